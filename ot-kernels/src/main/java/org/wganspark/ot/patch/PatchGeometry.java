package org.wganspark.ot.patch;

/**
 * Where p x p patches sit in a c x h x w image at stride s (no padding), as the paper's
 * {@code MiniBatchPatchLoss} takes them: locations at (y, x) = (s*i, s*j) for
 * i in [0, (h - p)/s], j in [0, (w - p)/s], row-major. A patch is a vector of c*p*p values
 * in channel, row, column order.
 *
 * @param channels  c
 * @param height    h
 * @param width     w
 * @param patchSize p, at least 1 and at most min(h, w)
 * @param stride    s, at least 1
 */
public record PatchGeometry(int channels, int height, int width, int patchSize, int stride) implements java.io.Serializable {

    public PatchGeometry {
        if (channels < 1 || height < 1 || width < 1) {
            throw new IllegalArgumentException("image shape must be positive, found " + channels + "x" + height + "x" + width);
        }
        if (patchSize < 1) {
            throw new IllegalArgumentException("patch size must be at least 1, found " + patchSize);
        }
        if (stride < 1) {
            throw new IllegalArgumentException("patch stride must be at least 1, found " + stride);
        }
        if (patchSize > height || patchSize > width) {
            throw new IllegalArgumentException("patch size " + patchSize + " is larger than the " + height + "x" + width + " images");
        }
    }

    /** Locations along the vertical axis. */
    public int rows() {
        return (height - patchSize) / stride + 1;
    }

    /** Locations along the horizontal axis. */
    public int cols() {
        return (width - patchSize) / stride + 1;
    }

    /** Patches per image. */
    public int locations() {
        return rows() * cols();
    }

    /** Values per patch: c * p * p. */
    public int dimension() {
        return channels * patchSize * patchSize;
    }

    /** Values per image: c * h * w. */
    public int imageSize() {
        return channels * height * width;
    }
}
