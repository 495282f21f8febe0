package org.wganspark.train.step.cpu;

import java.nio.ByteBuffer;

/**
 * The elementwise loops of {@link FcCriticStep} (and of {@link ConvCriticStep}, on heap arrays) over contiguous runs of a buffer (float, native byte
 * order, offsets in floats). {@link #BEST} is the Vector API version when the JVM runs with
 * {@code --add-modules jdk.incubator.vector}, else the plain-Java one; both round the same operations in the same
 * order, so they give the same bits (LayerKernelTest).
 */
abstract class LayerKernel {

    static final LayerKernel SCALAR = new LayerKernel() {
        @Override
        void biasAndSlope(ByteBuffer z, ByteBuffer slopes, int from, int count, float bias, float slope) {
            scalarBiasAndSlope(z, slopes, from, from + count, bias, slope);
        }

        @Override
        void multiply(ByteBuffer target, ByteBuffer factor, int from, int count) {
            scalarMultiply(target, factor, from, from + count);
        }

        @Override
        void scale(ByteBuffer x, int from, float[] c) {
            scalarScale(x, from, c, 0, c.length);
        }

        @Override
        void biasAndSlope(float[] z, float[] slopes, int from, int count, float bias, float slope) {
            scalarBiasAndSlope(z, slopes, from, from + count, bias, slope);
        }

        @Override
        void multiply(float[] target, float[] factor, int from, int count) {
            scalarMultiply(target, factor, from, from + count);
        }

        @Override
        void biasRowsAndSlope(float[] z, float[] slopes, int firstRow, int rows, float[] bias, float slope) {
            scalarBiasRowsAndSlope(z, slopes, firstRow, rows, bias, 0, slope);
        }

        @Override
        void addTo(float[] target, int targetFrom, float[] source, int sourceFrom, int count) {
            scalarAddTo(target, targetFrom, source, sourceFrom, 0, count);
        }
    };
    static final LayerKernel BEST = choose();

    private static LayerKernel choose() {
        return org.wganspark.ot.VectorApi.choose(() -> new VectorLayerKernel(), SCALAR);
    }

    /**
     * For k in [from, from + count): z_k += bias, then with {@code slopes} (null for a linear layer) the LeakyReLU:
     * s_k = 1 if z_k > 0 else slope, z_k *= s_k.
     */
    abstract void biasAndSlope(ByteBuffer z, ByteBuffer slopes, int from, int count, float bias, float slope);

    /** target_k *= factor_k for k in [from, from + count). */
    abstract void multiply(ByteBuffer target, ByteBuffer factor, int from, int count);

    /** {@link #biasAndSlope(ByteBuffer, ByteBuffer, int, int, float, float)} on heap arrays ({@link ConvCriticStep}'s maps). */
    abstract void biasAndSlope(float[] z, float[] slopes, int from, int count, float bias, float slope);

    /** {@link #multiply(ByteBuffer, ByteBuffer, int, int)} on heap arrays. */
    abstract void multiply(float[] target, float[] factor, int from, int count);

    /**
     * {@link #biasAndSlope(float[], float[], int, int, float, float)} over rows [firstRow, firstRow + rows) of a
     * row-major matrix with bias.length columns, entry (r, j) getting bias[j] (a channels-last map: a bias per channel).
     */
    abstract void biasRowsAndSlope(float[] z, float[] slopes, int firstRow, int rows, float[] bias, float slope);

    /** target[targetFrom + k] += source[sourceFrom + k] for k < count (a channel vector summed onto a pixel). */
    abstract void addTo(float[] target, int targetFrom, float[] source, int sourceFrom, int count);

    /** addTo for k in [from, count): the Vector API version's tail. */
    static void scalarAddTo(float[] target, int targetFrom, float[] source, int sourceFrom, int from, int count) {
        for (int k = from; k < count; k++) {
            target[targetFrom + k] += source[sourceFrom + k];
        }
    }

    /** x_{from + i} *= c_i for i < c.length. */
    abstract void scale(ByteBuffer x, int from, float[] c);

    static void scalarBiasAndSlope(ByteBuffer z, ByteBuffer slopes, int from, int to, float bias, float slope) {
        for (int k = from; k < to; k++) {
            float v = z.getFloat(k << 2) + bias;
            if (slopes != null) {
                float s = v > 0 ? 1f : slope;
                slopes.putFloat(k << 2, s);
                v *= s;
            }
            z.putFloat(k << 2, v);
        }
    }

    static void scalarBiasAndSlope(float[] z, float[] slopes, int from, int to, float bias, float slope) {
        for (int k = from; k < to; k++) {
            float v = z[k] + bias;
            if (slopes != null) {
                float s = v > 0 ? 1f : slope;
                slopes[k] = s;
                v *= s;
            }
            z[k] = v;
        }
    }

    /** Columns [fromColumn, bias.length) of the rows, as biasRowsAndSlope (the Vector API version's tail). */
    static void scalarBiasRowsAndSlope(float[] z, float[] slopes, int firstRow, int rows, float[] bias, int fromColumn, float slope) {
        int width = bias.length;
        for (int r = firstRow; r < firstRow + rows; r++) {
            for (int j = fromColumn, k = r * width + fromColumn; j < width; j++, k++) {
                float v = z[k] + bias[j];
                if (slopes != null) {
                    float s = v > 0 ? 1f : slope;
                    slopes[k] = s;
                    v *= s;
                }
                z[k] = v;
            }
        }
    }

    static void scalarMultiply(float[] target, float[] factor, int from, int to) {
        for (int k = from; k < to; k++) {
            target[k] *= factor[k];
        }
    }

    static void scalarMultiply(ByteBuffer target, ByteBuffer factor, int from, int to) {
        for (int k = from; k < to; k++) {
            target.putFloat(k << 2, target.getFloat(k << 2) * factor.getFloat(k << 2));
        }
    }

    static void scalarScale(ByteBuffer x, int from, float[] c, int i0, int i1) {
        for (int i = i0; i < i1; i++) {
            int at = (from + i) << 2;
            x.putFloat(at, x.getFloat(at) * c[i]);
        }
    }
}
