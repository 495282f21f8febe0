package org.wganspark.ot;

import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;

import org.junit.jupiter.api.Test;

class SpareTest {

    @Test
    void keepsOneObjectWithinTheLimitAndHandsItOutOnceWhenItIsLargeEnough() {
        Spare<double[]> spare = new Spare<>(a -> a.length, 100);
        double[] array = new double[50];
        spare.keep(array);
        assertSame(array, spare.take(40));
        assertNull(spare.take(40), "taken once, then gone");
        spare.keep(array);
        assertNull(spare.take(51), "too small for the request");
        assertNull(spare.take(10), "a refused object is not kept either");
        spare.keep(new double[101]);
        assertNull(spare.take(1), "above the limit");
        spare.keep(null);
        assertNull(spare.take(0));
    }
}
