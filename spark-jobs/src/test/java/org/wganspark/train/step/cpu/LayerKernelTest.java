package org.wganspark.train.step.cpu;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The Vector API elementwise loops of the FC and convolutional critic steps against the plain-Java ones: the same bits, tails included. */
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

            // the heap-array loops of the convolutional step: the same bits as the buffers' scalar loops above
            float[] heapZ = heap(z = floats(random, count + 9));
            float[] heapSlopes = new float[count + 9];
            LayerKernel.BEST.biasAndSlope(heapZ, heapSlopes, 5, count, 0.25f, 0f);
            ByteBuffer reference = copy(z);
            ByteBuffer referenceSlopes = ByteBuffer.allocateDirect((count + 9) * Float.BYTES).order(ByteOrder.nativeOrder());
            LayerKernel.SCALAR.biasAndSlope(reference, referenceSlopes, 5, count, 0.25f, 0f);
            assertSameFloats(reference, heapZ, "heap activation");
            assertSameFloats(referenceSlopes, heapSlopes, "heap slope");
            float[] heapTarget = heap(target = floats(random, count + 9));
            float[] heapFactor = heap(factor);
            LayerKernel.BEST.multiply(heapTarget, heapFactor, 4, count);
            LayerKernel.SCALAR.multiply(target, factor, 4, count);
            assertSameFloats(target, heapTarget, "heap product");
        }
    }

    @Test
    void rowBiasLoopsGiveTheScalarLoopsBitsAndTheFormula() {
        Random random = new Random(11);
        for (int width : new int[] {1, 9, 16, 64, 67}) {
            int rows = 5;
            float[] bias = new float[width];
            for (int j = 0; j < width; j++) {
                bias[j] = (float) random.nextGaussian();
            }
            float[] z = heap(floats(random, (rows + 3) * width));
            for (float slope : new float[] {0.2f, 0f, 1f}) {
                float[] vector = z.clone();
                float[] scalar = z.clone();
                float[] vectorSlopes = new float[z.length];
                float[] scalarSlopes = new float[z.length];
                LayerKernel.BEST.biasRowsAndSlope(vector, slope == 1f ? null : vectorSlopes, 2, rows, bias, slope);
                LayerKernel.SCALAR.biasRowsAndSlope(scalar, slope == 1f ? null : scalarSlopes, 2, rows, bias, slope);
                for (int k = 0; k < z.length; k++) {
                    assertEquals(Float.floatToRawIntBits(scalar[k]), Float.floatToRawIntBits(vector[k]), "width " + width + " entry " + k);
                    assertEquals(Float.floatToRawIntBits(scalarSlopes[k]), Float.floatToRawIntBits(vectorSlopes[k]), "slope, width " + width);
                    boolean inside = k >= 2 * width && k < (2 + rows) * width;
                    float pre = z[k] + bias[k % width];
                    float expected = !inside ? z[k] : slope == 1f ? pre : pre > 0 ? pre : slope * pre;
                    assertEquals(Float.floatToRawIntBits(expected), Float.floatToRawIntBits(scalar[k]), "formula, width " + width + " entry " + k);
                }
            }
        }
    }

    @Test
    void addToGivesTheScalarBitsAndTouchesOnlyItsRun() {
        Random random = new Random(13);
        for (int count : new int[] {1, 7, 16, 64, 70}) {
            float[] target = heap(floats(random, count + 20));
            float[] source = heap(floats(random, count + 20));
            float[] vector = target.clone();
            float[] scalar = target.clone();
            LayerKernel.BEST.addTo(vector, 3, source, 11, count);
            LayerKernel.SCALAR.addTo(scalar, 3, source, 11, count);
            for (int k = 0; k < target.length; k++) {
                float expected = k >= 3 && k < 3 + count ? target[k] + source[k + 8] : target[k];
                assertEquals(Float.floatToRawIntBits(expected), Float.floatToRawIntBits(scalar[k]), "scalar, count " + count + " entry " + k);
                assertEquals(Float.floatToRawIntBits(expected), Float.floatToRawIntBits(vector[k]), "vector, count " + count + " entry " + k);
            }
        }
    }

    private static float[] heap(ByteBuffer b) {
        float[] a = new float[b.capacity() / Float.BYTES];
        for (int k = 0; k < a.length; k++) {
            a[k] = b.getFloat(k * Float.BYTES);
        }
        return a;
    }

    private static void assertSameFloats(ByteBuffer expected, float[] actual, String what) {
        for (int k = 0; k < actual.length; k++) {
            assertEquals(Float.floatToRawIntBits(expected.getFloat(k * Float.BYTES)), Float.floatToRawIntBits(actual[k]), what + " entry " + k);
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
