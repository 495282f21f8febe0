package org.wganspark.train.step.cpu;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The Vector API Adam loop against the plain-Java one: the same bits, at offsets and lengths that leave a tail. */
class AdamKernelTest {

    private static ByteBuffer randomFloats(Random random, int count, double scale) {
        ByteBuffer b = ByteBuffer.allocateDirect(count * Float.BYTES).order(ByteOrder.nativeOrder());
        for (int k = 0; k < count; k++) {
            b.putFloat(k * Float.BYTES, (float) (random.nextGaussian() * scale));
        }
        return b;
    }

    private static ByteBuffer copy(ByteBuffer source) {
        ByteBuffer b = ByteBuffer.allocateDirect(source.capacity()).order(ByteOrder.nativeOrder());
        b.put(source.duplicate().clear());
        return b.clear();
    }

    @Test
    void vectorLoopGivesTheScalarLoopsBits() {
        // the test JVM runs with the vector module, so BEST must be the vector loop, or this compares the scalar loop with itself
        assertEquals("VectorAdamKernel", AdamKernel.BEST.getClass().getSimpleName());
        Random random = new Random(3);
        for (int size : new int[] {1, 15, 16, 17, 1000, 4099}) {
            int total = size + 40;
            ByteBuffer g = randomFloats(random, total, 1);
            ByteBuffer w = randomFloats(random, total, 0.1);
            ByteBuffer m = randomFloats(random, total, 0.01);
            ByteBuffer v = randomFloats(random, total, 1e-4);
            for (int k = 0; k < total; k++) {
                v.putFloat(k * Float.BYTES, Math.abs(v.getFloat(k * Float.BYTES)));
            }
            ByteBuffer original = copy(w);
            ByteBuffer g2 = copy(g);
            ByteBuffer w2 = copy(w);
            ByteBuffer m2 = copy(m);
            ByteBuffer v2 = copy(v);
            AdamKernel.BEST.step(g, 3, w, 7, m, 1, v, 11, size, 0.5f, 0.9f, 1e-8f, 1e-4f);
            AdamKernel.SCALAR.step(g2, 3, w2, 7, m2, 1, v2, 11, size, 0.5f, 0.9f, 1e-8f, 1e-4f);
            for (int k = 0; k < total; k++) {
                int at = k * Float.BYTES;
                assertEquals(Float.floatToIntBits(g2.getFloat(at)), Float.floatToIntBits(g.getFloat(at)), "update " + k + " of " + size);
                assertEquals(Float.floatToIntBits(w2.getFloat(at)), Float.floatToIntBits(w.getFloat(at)), "parameter " + k + " of " + size);
                assertEquals(Float.floatToIntBits(m2.getFloat(at)), Float.floatToIntBits(m.getFloat(at)), "first moment " + k + " of " + size);
                assertEquals(Float.floatToIntBits(v2.getFloat(at)), Float.floatToIntBits(v.getFloat(at)), "second moment " + k + " of " + size);
            }
            // the step moved every parameter of the block and none outside it
            for (int k = 0; k < total; k++) {
                boolean inside = k >= 7 && k < 7 + size;
                assertEquals(inside, w.getFloat(k * Float.BYTES) != original.getFloat(k * Float.BYTES), "parameter " + k + " of " + size);
            }
        }
    }
}
