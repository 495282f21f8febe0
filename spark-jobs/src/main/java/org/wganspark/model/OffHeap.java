package org.wganspark.model;

import org.bytedeco.javacpp.Pointer;

/**
 * Host memory behind ND4J's arrays: views of their native buffers for the hand-written kernels, and the collection
 * that keeps a training process's native memory bounded. ND4J frees an array's native memory only when a full
 * garbage collection has found its Java wrapper dead (young collections do not). The wrappers are small, so full
 * collections are rare while the native side grows by megabytes per training step, and native allocation slows down
 * as it grows. Trainers call {@link #collectIfGrown()} once per step: while the process is more than {@link #SLACK}
 * above its size at the first call, a full collection runs, at most once per {@link #MIN_INTERVAL_NANOS}. Freed
 * native memory is not handed back to the system, but it is reused, so the process stays near that bound.
 */
public final class OffHeap {

    static final long SLACK = 768L << 20;
    static final long MIN_INTERVAL_NANOS = 1_000_000_000L;
    private static long floor = -1;
    private static long lastCollection = Long.MIN_VALUE / 2;

    private OffHeap() {
    }

    /**
     * True when ND4J's arrays live in host memory (the CPU backend), so that {@link #floats} and {@link #bytes} are the
     * arrays themselves. The hand-written paths that work on those views ({@link FcCriticStep}, {@link FusedAdam})
     * stand aside otherwise and leave the work to DL4J.
     */
    public static final boolean HOST_MEMORY = org.nd4j.linalg.factory.Nd4j.getBackend().getClass().getSimpleName().startsWith("CpuBackend");

    /** A float array's whole native buffer as floats, in place (a view's elements start at its {@code offset()}). */
    public static java.nio.FloatBuffer floats(org.nd4j.linalg.api.ndarray.INDArray array) {
        return bytes(array).asFloatBuffer();
    }

    /** The same native buffer as bytes in native order (for the Vector API's loads and stores). */
    public static java.nio.ByteBuffer bytes(org.nd4j.linalg.api.ndarray.INDArray array) {
        return array.data().asNio().order(java.nio.ByteOrder.nativeOrder());
    }

    /** A float array's elements from its first one (a view's offset into the shared buffer), in place. */
    public static java.nio.FloatBuffer at(org.nd4j.linalg.api.ndarray.INDArray array) {
        return bytes(array).position((int) array.offset() * Float.BYTES).slice().order(java.nio.ByteOrder.nativeOrder()).asFloatBuffer();
    }

    /**
     * data.getRows(rows) for a float matrix in host memory, copied row by row from its native buffer: the same values,
     * without ND4J's per-row views (an INDArray and a native call per row).
     */
    public static org.nd4j.linalg.api.ndarray.INDArray rows(org.nd4j.linalg.api.ndarray.INDArray data, int[] rows) {
        if (!HOST_MEMORY || data.rank() != 2 || data.dataType() != org.nd4j.linalg.api.buffer.DataType.FLOAT || data.ordering() != 'c'
                || data.stride(1) != 1 || data.stride(0) != data.columns()) {
            return data.getRows(rows);
        }
        int width = (int) data.columns();
        java.nio.FloatBuffer source = at(data);
        float[] gathered = new float[rows.length * width];
        for (int r = 0; r < rows.length; r++) {
            source.get(rows[r] * width, gathered, r * width, width);
        }
        return org.nd4j.linalg.factory.Nd4j.create(gathered, new long[] {rows.length, width}, 'c');
    }

    /** The elements of an array in row-major order as floats on the heap, read straight from its buffer when it is contiguous. */
    public static float[] heapFloats(org.nd4j.linalg.api.ndarray.INDArray array) {
        if (HOST_MEMORY && array.dataType() == org.nd4j.linalg.api.buffer.DataType.FLOAT && array.elementWiseStride() == 1
                && (array.ordering() == 'c' || array.isVector())) {
            float[] copy = new float[(int) array.length()];
            at(array).get(0, copy);
            return copy;
        }
        return array.castTo(org.nd4j.linalg.api.buffer.DataType.FLOAT).dup('c').data().asFloat();
    }

    public static synchronized void collectIfGrown() {
        long resident = Pointer.physicalBytes();
        if (floor < 0 || resident < floor) {
            floor = resident;
            return;
        }
        long now = System.nanoTime();
        if (resident - floor > SLACK && now - lastCollection > MIN_INTERVAL_NANOS) {
            System.gc();
            lastCollection = System.nanoTime();
        }
    }

    /** The values of a float array in row-major order; one bulk copy when it is a whole contiguous buffer. */
    public static float[] toFloats(org.nd4j.linalg.api.ndarray.INDArray a) {
        if (whole(a)) {
            float[] out = new float[(int) a.length()];
            ((org.bytedeco.javacpp.FloatPointer) a.data().addressPointer()).get(out, 0, out.length);
            return out;
        }
        return a.castTo(org.nd4j.linalg.api.buffer.DataType.FLOAT).dup('c').data().asFloat();
    }

    /** target := values (row-major); one bulk copy when the target is a whole contiguous float buffer. */
    public static void assign(org.nd4j.linalg.api.ndarray.INDArray target, float[] values) {
        if (target.length() != values.length) {
            throw new IllegalArgumentException("assigning " + values.length + " values to an array of " + target.length());
        }
        if (whole(target)) {
            ((org.bytedeco.javacpp.FloatPointer) target.data().addressPointer()).put(values, 0, values.length);
        } else {
            target.assign(org.nd4j.linalg.factory.Nd4j.createFromArray(values).reshape(target.shape()).castTo(target.dataType()));
        }
    }

    private static boolean whole(org.nd4j.linalg.api.ndarray.INDArray a) {
        return a.dataType() == org.nd4j.linalg.api.buffer.DataType.FLOAT && !a.isView() && a.offset() == 0 && a.data().length() == a.length()
                && (a.rank() <= 1 || a.ordering() == 'c' || a.rows() == 1);
    }
}
