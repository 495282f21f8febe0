package org.wganspark.train.step.cpu;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;

/**
 * The work memory of {@link ConvCriticStep} for one batch of images: every layer's maps channels-last, the
 * activation slopes at them, the errors, the column matrices (native, for the products, kept for the weight
 * gradient) and the products' output. Allocated once per batch size and reused from step to step.
 */
final class ConvBuffers {

    final int batch;
    /** maps[l]: conv l's input; maps[L]: the last conv's output. */
    final float[][] maps;
    /** slopes[l]: the activation's slope at maps[l] (from l = 1). */
    final float[][] slopes;
    /** deltas[l]: the errors at conv l's pre-activation, the layout of maps[l + 1]. */
    final float[][] deltas;
    /** Rows of X or dX on the heap. */
    final float[] chunk;
    /** X per layer, native. */
    final FloatBuffer[] columns;
    /** Z, or dX. */
    final FloatBuffer product;
    /** Delta, as a product's operand. */
    final FloatBuffer errors;
    /** Conv 0's input gradient, the layout of maps[0]. */
    final float[] inputGradient;
    /** Per image the score layer's input (pooled or flat), then the tangents'. */
    final float[] features;

    ConvBuffers(ConvCritic critic, int rows) {
        ConvGeometry[] convs = critic.convs;
        int layers = convs.length;
        batch = rows;
        maps = new float[layers + 1][];
        slopes = new float[layers + 1][];
        deltas = new float[layers][];
        columns = new FloatBuffer[layers];
        long largestProduct = 0;
        long largestErrors = 0;
        int chunkFloats = 0;
        maps[0] = new float[rows * convs[0].imageFloats()];
        for (int l = 0; l < layers; l++) {
            ConvGeometry g = convs[l];
            long positions = (long) rows * g.positions();
            int out = Math.toIntExact(positions * g.outChannels());
            maps[l + 1] = new float[out];
            slopes[l + 1] = new float[out];
            deltas[l] = new float[out];
            columns[l] = direct(positions * g.taps());
            largestProduct = Math.max(largestProduct, positions * Math.max(g.taps(), g.outChannels()));
            largestErrors = Math.max(largestErrors, out);
            chunkFloats = Math.max(chunkFloats, Math.max(1, ChannelsLastColumns.CHUNK_FLOATS / g.taps()) * g.taps());
        }
        chunk = new float[chunkFloats];
        product = direct(largestProduct);
        errors = direct(largestErrors);
        inputGradient = new float[maps[0].length];
        features = new float[rows * critic.featureWidth()];
    }

    /** A native float buffer; one batch's buffer must stay within 2 GB. */
    static FloatBuffer direct(long floats) {
        if (floats * Float.BYTES > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("a buffer of " + floats + " floats is too large for one batch; use smaller batches");
        }
        return ByteBuffer.allocateDirect((int) (floats * Float.BYTES)).order(ByteOrder.nativeOrder()).asFloatBuffer();
    }
}
