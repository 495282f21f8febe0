package org.wganspark.train.step.cpu;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/** {@link LayerKernel} on the JDK Vector API: the widest float lanes the CPU has, a plain-Java tail. */
final class VectorLayerKernel extends LayerKernel {

    private static final VectorSpecies<Float> LANES = FloatVector.SPECIES_PREFERRED;
    private static final ByteOrder ORDER = ByteOrder.nativeOrder();

    @Override
    void biasAndSlope(ByteBuffer z, ByteBuffer slopes, int from, int count, float bias, float slope) {
        int end = from + LANES.loopBound(count);
        FloatVector one = FloatVector.broadcast(LANES, 1f);
        FloatVector leak = FloatVector.broadcast(LANES, slope);
        for (int k = from; k < end; k += LANES.length()) {
            FloatVector v = FloatVector.fromByteBuffer(LANES, z, k << 2, ORDER).add(bias);
            if (slopes != null) {
                VectorMask<Float> positive = v.compare(VectorOperators.GT, 0f);
                FloatVector s = leak.blend(one, positive);
                s.intoByteBuffer(slopes, k << 2, ORDER);
                v = v.mul(s);
            }
            v.intoByteBuffer(z, k << 2, ORDER);
        }
        scalarBiasAndSlope(z, slopes, end, from + count, bias, slope);
    }

    @Override
    void multiply(ByteBuffer target, ByteBuffer factor, int from, int count) {
        int end = from + LANES.loopBound(count);
        for (int k = from; k < end; k += LANES.length()) {
            FloatVector.fromByteBuffer(LANES, target, k << 2, ORDER).mul(FloatVector.fromByteBuffer(LANES, factor, k << 2, ORDER))
                    .intoByteBuffer(target, k << 2, ORDER);
        }
        scalarMultiply(target, factor, end, from + count);
    }

    @Override
    void biasAndSlope(float[] z, float[] slopes, int from, int count, float bias, float slope) {
        int end = from + LANES.loopBound(count);
        FloatVector one = FloatVector.broadcast(LANES, 1f);
        FloatVector leak = FloatVector.broadcast(LANES, slope);
        for (int k = from; k < end; k += LANES.length()) {
            FloatVector v = FloatVector.fromArray(LANES, z, k).add(bias);
            if (slopes != null) {
                FloatVector s = leak.blend(one, v.compare(VectorOperators.GT, 0f));
                s.intoArray(slopes, k);
                v = v.mul(s);
            }
            v.intoArray(z, k);
        }
        scalarBiasAndSlope(z, slopes, end, from + count, bias, slope);
    }

    @Override
    void biasRowsAndSlope(float[] z, float[] slopes, int firstRow, int rows, float[] bias, float slope) {
        int width = bias.length;
        int bound = LANES.loopBound(width);
        FloatVector one = FloatVector.broadcast(LANES, 1f);
        FloatVector leak = FloatVector.broadcast(LANES, slope);
        for (int r = firstRow; r < firstRow + rows; r++) {
            for (int j = 0; j < bound; j += LANES.length()) {
                int k = r * width + j;
                FloatVector v = FloatVector.fromArray(LANES, z, k).add(FloatVector.fromArray(LANES, bias, j));
                if (slopes != null) {
                    FloatVector s = leak.blend(one, v.compare(VectorOperators.GT, 0f));
                    s.intoArray(slopes, k);
                    v = v.mul(s);
                }
                v.intoArray(z, k);
            }
        }
        if (bound < width) {
            scalarBiasRowsAndSlope(z, slopes, firstRow, rows, bias, bound, slope);
        }
    }

    @Override
    void addTo(float[] target, int targetFrom, float[] source, int sourceFrom, int count) {
        int bound = LANES.loopBound(count);
        for (int k = 0; k < bound; k += LANES.length()) {
            FloatVector.fromArray(LANES, target, targetFrom + k).add(FloatVector.fromArray(LANES, source, sourceFrom + k)).intoArray(target, targetFrom + k);
        }
        scalarAddTo(target, targetFrom, source, sourceFrom, bound, count);
    }

    @Override
    void multiply(float[] target, float[] factor, int from, int count) {
        int end = from + LANES.loopBound(count);
        for (int k = from; k < end; k += LANES.length()) {
            FloatVector.fromArray(LANES, target, k).mul(FloatVector.fromArray(LANES, factor, k)).intoArray(target, k);
        }
        scalarMultiply(target, factor, end, from + count);
    }

    @Override
    void scale(ByteBuffer x, int from, float[] c) {
        int end = LANES.loopBound(c.length);
        for (int i = 0; i < end; i += LANES.length()) {
            int at = (from + i) << 2;
            FloatVector.fromByteBuffer(LANES, x, at, ORDER).mul(FloatVector.fromArray(LANES, c, i)).intoByteBuffer(x, at, ORDER);
        }
        scalarScale(x, from, c, end, c.length);
    }
}
