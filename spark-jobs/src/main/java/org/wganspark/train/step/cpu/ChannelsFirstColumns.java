package org.wganspark.train.step.cpu;

import java.nio.FloatBuffer;
import java.util.Arrays;

/**
 * The transposed column matrix of a convolution over NCHW images (Chellapilla, Puri and Simard 2006), as
 * {@link GemmConvolution} multiplies it: X^T [taps, positions], row (c, ky, kx), column (n, oy, ox) holding
 * x[n, c, oy sy - py + ky, ox sx - px + kx] (0 outside the image). Keeping the channel as the slow index makes every
 * product one call and the NCHW activations block copies of it. The input is padded once, so each tap reads every
 * output position at a fixed offset without a bounds test. Holds its scratch memory from call to call.
 */
final class ChannelsFirstColumns {

    /** The zero-padded input or input gradient, and one row of X^T. */
    private float[] padded;
    private float[] tapRow;
    /** Per tap (ky, kx), for every output position, the offset of the pixel it reads in a padded plane; for offsetsGeometry. */
    private int[][] tapOffsets;
    private ConvGeometry offsetsGeometry;

    /** X^T of {@code batch} NCHW images {@code pixels} into {@code columns}. */
    void build(float[] pixels, int batch, ConvGeometry c, FloatBuffer columns) {
        int perImage = c.positions();
        int positions = batch * perImage;
        float[] x = padded(pixels, batch, c);
        int[][] offsets = tapOffsets(c);
        tapRow = scratch(tapRow, positions);
        float[] row = tapRow;
        int plane = paddedPlane(c);
        for (int ch = 0; ch < c.channels(); ch++) {
            for (int tap = 0; tap < offsets.length; tap++) {
                int[] offset = offsets[tap];
                for (int n = 0, to = 0; n < batch; n++, to += perImage) {
                    int image = (n * c.channels() + ch) * plane;
                    for (int p = 0; p < perImage; p++) {
                        row[to + p] = x[image + offset[p]];
                    }
                }
                columns.put((ch * offsets.length + tap) * positions, row, 0, positions);
            }
        }
    }

    /** The transpose of {@link #build}: epsilon[n, c, iy, ix] = the sum of dX^T over the (tap, position) pairs that read that pixel. */
    void sumOntoPixels(FloatBuffer columnGradient, int batch, ConvGeometry c, FloatBuffer epsilon) {
        int perImage = c.positions();
        int positions = batch * perImage;
        int wide = c.width() + 2 * c.px();
        int plane = paddedPlane(c);
        int planes = batch * c.channels();
        int size = planes * plane;
        padded = scratch(padded, size);
        tapRow = scratch(tapRow, positions);
        float[] eps = padded;
        float[] row = tapRow;
        Arrays.fill(eps, 0, size, 0f);
        int[][] offsets = tapOffsets(c);
        for (int ch = 0; ch < c.channels(); ch++) {
            for (int tap = 0; tap < offsets.length; tap++) {
                int[] offset = offsets[tap];
                columnGradient.get((ch * offsets.length + tap) * positions, row, 0, positions);
                for (int n = 0, from = 0; n < batch; n++, from += perImage) {
                    int image = (n * c.channels() + ch) * plane;
                    for (int p = 0; p < perImage; p++) {
                        eps[image + offset[p]] += row[from + p];
                    }
                }
            }
        }
        if (c.py() == 0 && c.px() == 0) {
            epsilon.put(0, eps, 0, batch * c.imageFloats());
            return;
        }
        for (int image = 0; image < planes; image++) {
            for (int y = 0; y < c.height(); y++) {
                epsilon.put((image * c.height() + y) * c.width(), eps, image * plane + (y + c.py()) * wide + c.px(), c.width());
            }
        }
    }

    private static int paddedPlane(ConvGeometry c) {
        return (c.height() + 2 * c.py()) * (c.width() + 2 * c.px());
    }

    /** The input with py zero rows above and below and px zero columns either side of every plane (itself if unpadded). */
    private float[] padded(float[] x, int batch, ConvGeometry c) {
        if (c.py() == 0 && c.px() == 0) {
            return x;
        }
        int wide = c.width() + 2 * c.px();
        int plane = paddedPlane(c);
        int planes = batch * c.channels();
        padded = scratch(padded, planes * plane);
        Arrays.fill(padded, 0, planes * plane, 0f);
        for (int image = 0; image < planes; image++) {
            for (int y = 0; y < c.height(); y++) {
                System.arraycopy(x, (image * c.height() + y) * c.width(), padded, image * plane + (y + c.py()) * wide + c.px(), c.width());
            }
        }
        return padded;
    }

    /** Per tap (ky, kx), for every output position (oy, ox): the offset (oy sy + ky) * padded width + ox sx + kx in a padded plane. */
    private int[][] tapOffsets(ConvGeometry conv) {
        if (!conv.equals(offsetsGeometry)) {
            int area = conv.kernelArea();
            int positions = conv.positions();
            int[] byPosition = conv.withPaddingStored().tapOffsets(1);
            int[][] byTap = new int[area][positions];
            for (int p = 0; p < positions; p++) {
                for (int t = 0; t < area; t++) {
                    byTap[t][p] = byPosition[p * area + t];
                }
            }
            tapOffsets = byTap;
            offsetsGeometry = conv;
        }
        return tapOffsets;
    }

    private static float[] scratch(float[] a, int size) {
        return a != null && a.length >= size ? a : new float[size];
    }
}
