package org.wganspark.train.step.cpu;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;

import org.junit.jupiter.api.Test;

class KernelWarmupTest {

    @Test
    void warmsUpOncePerJvmAndFinishes() throws InterruptedException {
        Thread first = KernelWarmup.start();
        assertSame(first, KernelWarmup.start(), "a second start is the same warm-up");
        first.join(60_000);
        assertFalse(first.isAlive(), "the warm-up ends on its own (6000 calls on 512 floats)");
    }
}
