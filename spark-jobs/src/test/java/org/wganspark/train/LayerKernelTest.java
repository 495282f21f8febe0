package org.wganspark.train;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The Vector API elementwise loops of the FC critic step against the plain-Java ones: the same bits, tails included. */
class LayerKernelTest {

    private static ByteBuffer floats(Random random, int count) {
        ByteBuffer b = ByteBuffer.allocateDirect(count * Float.BYTES).order(ByteOrder.nativeOrder());
        for (int k = 0; k < count; k++) {
            b.putFloat(k * Float.BYTES, k % 17 == 0 ? 0f : k % 29 == 0 ? Float.NaN : (float) random.nextGaussian());
        }
        return b;
    }

    private static ByteBuffer copy(ByteBuffer source) {
        ByteBuffer b = ByteBuffer.allocateDirect(source.capacity()).order(ByteOrder.nativeOrder());
        b.put(source.duplicate().clear());
        return b.clear();
    }

    private static void assertSameBits(ByteBuffer expected, ByteBuffer actual, String what) {
        for (int k = 0; k < expected.capacity() / Float.BYTES; k++) {
            assertEquals(Float.floatToRawIntBits(expected.getFloat(k * Float.BYTES)), Float.floatToRawIntBits(actual.getFloat(k * Float.BYTES)),
                    what + " entry " + k);
        }
    }

    @Test
    void vectorLoopsGiveTheScalarLoopsBits() {
        assertEquals("VectorLayerKernel", LayerKernel.BEST.getClass().getSimpleName());  // else this compares the scalar loops with themselves
        Random random = new Random(7);
        for (int count : new int[] {1, 15, 16, 17, 192, 1001}) {
            ByteBuffer z = floats(random, count + 9);
            ByteBuffer zScalar = copy(z);
            ByteBuffer slopes = floats(random, count + 9);
            ByteBuffer slopesScalar = copy(slopes);
            LayerKernel.BEST.biasAndSlope(z, slopes, 5, count, 0.25f, 0.2f);
            LayerKernel.SCALAR.biasAndSlope(zScalar, slopesScalar, 5, count, 0.25f, 0.2f);
            assertSameBits(zScalar, z, "activation");
            assertSameBits(slopesScalar, slopes, "slope");

            ByteBuffer linear = floats(random, count + 9);
            ByteBuffer linearScalar = copy(linear);
            LayerKernel.BEST.biasAndSlope(linear, null, 3, count, -0.5f, 1f);
            LayerKernel.SCALAR.biasAndSlope(linearScalar, null, 3, count, -0.5f, 1f);
            assertSameBits(linearScalar, linear, "linear activation");

            ByteBuffer target = floats(random, count + 9);
            ByteBuffer targetScalar = copy(target);
            ByteBuffer factor = floats(random, count + 9);
            LayerKernel.BEST.multiply(target, factor, 4, count);
            LayerKernel.SCALAR.multiply(targetScalar, factor, 4, count);
            assertSameBits(targetScalar, target, "product");

            float[] c = new float[count];
            for (int i = 0; i < count; i++) {
                c[i] = (float) random.nextGaussian();
            }
            ByteBuffer x = floats(random, count + 9);
            ByteBuffer xScalar = copy(x);
            LayerKernel.BEST.scale(x, 6, c);
            LayerKernel.SCALAR.scale(xScalar, 6, c);
            assertSameBits(xScalar, x, "scaled row");
        }
    }

    @Test
    void leakyReluOfKnownValues() {
        ByteBuffer z = ByteBuffer.allocateDirect(20 * Float.BYTES).order(ByteOrder.nativeOrder());
        ByteBuffer s = ByteBuffer.allocateDirect(20 * Float.BYTES).order(ByteOrder.nativeOrder());
        for (int k = 0; k < 20; k++) {
            z.putFloat(k * Float.BYTES, k - 10f);  // -10 .. 9, plus a bias of 1: -9 .. 10
        }
        LayerKernel.BEST.biasAndSlope(z, s, 0, 20, 1f, 0.25f);
        for (int k = 0; k < 20; k++) {
            float pre = k - 9f;
            assertEquals(pre > 0 ? pre : 0.25f * pre, z.getFloat(k * Float.BYTES), 0f, "activation " + k);
            assertEquals(pre > 0 ? 1f : 0.25f, s.getFloat(k * Float.BYTES), 0f, "slope " + k);
        }
    }
}
