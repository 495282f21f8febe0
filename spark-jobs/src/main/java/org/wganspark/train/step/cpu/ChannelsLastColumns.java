package org.wganspark.train.step.cpu;

import java.nio.FloatBuffer;
import java.util.Arrays;

/**
 * The column matrix of a convolution over channels-last maps (Chellapilla, Puri and Simard 2006), and its transpose
 * operation: row (image, oy, ox) of X holds, per kernel tap (ky, kx), the channel vector of the input pixel it
 * reads, zeros in the padding. Maps hold images one after another, each as [(y, x), channel]. Rows go through a heap
 * chunk of a few hundred KB, so they stay in cache, and then in one bulk copy to or from the native buffer the
 * products use.
 */
final class ChannelsLastColumns {

    /** Floats of X handled on the heap at a time. */
    static final int CHUNK_FLOATS = 1 << 16;

    private final ConvGeometry g;
    private final int[] offsets;

    ChannelsLastColumns(ConvGeometry g) {
        this.g = g;
        this.offsets = g.tapOffsets(g.channels());
    }

    /** Heap floats a chunk of rows takes. */
    int chunkFloats() {
        return chunkRows() * g.taps();
    }

    private int chunkRows() {
        return Math.max(1, CHUNK_FLOATS / g.taps());
    }

    /** Rows of X for images [first, to) of {@code map}, into {@code columns} at their row positions. */
    void build(float[] map, int first, int to, float[] chunk, FloatBuffer columns) {
        int positions = g.positions();
        int area = g.kernelArea();
        int channels = g.channels();
        int taps = g.taps();
        int imageFloats = g.imageFloats();
        for (int r0 = first * positions, end = to * positions; r0 < end; r0 += chunkRows()) {
            int r1 = Math.min(end, r0 + chunkRows());
            for (int r = r0, at = 0; r < r1; r++) {
                int base = (r / positions) * imageFloats;
                int tap0 = (r % positions) * area;
                for (int t = 0; t < area; t++, at += channels) {
                    int offset = offsets[tap0 + t];
                    if (offset < 0) {
                        Arrays.fill(chunk, at, at + channels, 0f);
                    } else if (channels == 1) {
                        chunk[at] = map[base + offset];
                    } else {
                        System.arraycopy(map, base + offset, chunk, at, channels);
                    }
                }
            }
            columns.put(r0 * taps, chunk, 0, (r1 - r0) * taps);
        }
    }

    /**
     * The transpose of {@link #build}: rows of dX for images [first, to) in {@code columnGradient}, each entry summed
     * onto the pixel it was read from; {@code map}'s images [first, to) are overwritten.
     */
    void scatter(FloatBuffer columnGradient, int first, int to, float[] chunk, float[] map) {
        int positions = g.positions();
        int area = g.kernelArea();
        int channels = g.channels();
        int taps = g.taps();
        int imageFloats = g.imageFloats();
        Arrays.fill(map, first * imageFloats, to * imageFloats, 0f);
        for (int r0 = first * positions, end = to * positions; r0 < end; r0 += chunkRows()) {
            int r1 = Math.min(end, r0 + chunkRows());
            columnGradient.get(r0 * taps, chunk, 0, (r1 - r0) * taps);
            for (int r = r0, at = 0; r < r1; r++) {
                int base = (r / positions) * imageFloats;
                int tap0 = (r % positions) * area;
                for (int t = 0; t < area; t++, at += channels) {
                    int offset = offsets[tap0 + t];
                    if (offset < 0) {
                        continue;
                    }
                    if (channels < 8) {
                        for (int c = 0, k = base + offset; c < channels; c++, k++) {
                            map[k] += chunk[at + c];
                        }
                    } else {
                        LayerKernel.BEST.addTo(map, base + offset, chunk, at, channels);
                    }
                }
            }
        }
    }
}
