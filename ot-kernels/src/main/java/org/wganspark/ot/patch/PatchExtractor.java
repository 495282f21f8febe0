package org.wganspark.ot.patch;

import org.wganspark.ot.cost.PointSet;

/**
 * Cuts p x p patches out of row-major images (each row of {@code images} is one c x h x w image).
 *
 * <p>Two layouts, both as flat row-major blocks of {@link PatchGeometry#dimension()} columns:
 * <ul>
 *   <li><b>pooled</b> (location-agnostic): image by image, location by location, so patch
 *       {@code k} of image {@code i} is row {@code i * locations + k};</li>
 *   <li><b>per location</b>: one block per location, image order inside, for the local patch
 *       metrics that compare the same grid cell across image sets.</li>
 * </ul>
 * Stateless and allocation-free when the caller supplies the output.
 */
public final class PatchExtractor {

    private PatchExtractor() {
    }

    /**
     * All patches of {@code imageCount} images, pooled.
     *
     * @param images     imageCount * imageSize values, not modified
     * @param imageCount images in {@code images}
     * @param geometry   image shape and patch layout
     * @param out        imageCount * locations * dimension values, modified
     */
    public static void pooled(float[] images, int imageCount, PatchGeometry geometry, float[] out) {
        pooled(images, images.length, imageCount, geometry, out, out.length);
    }

    /** The pooled patches of a set of images, at the set's precision (float64 images give float64 patches too). */
    public static PointSet pooled(PointSet images, PatchGeometry geometry) {
        int count = images.n();
        float[] out = new float[Math.multiplyExact(count * geometry.locations(), geometry.dimension())];
        pooled(images.values(), count, geometry, out);
        double[] wide = null;
        if (images.isDouble()) {
            wide = new double[out.length];
            pooled(images.doubles(), count, geometry, wide);
        }
        return new PointSet(out, wide, count * geometry.locations(), geometry.dimension());
    }

    /** {@link #pooled(float[], int, PatchGeometry, float[])} for float64 images. */
    public static void pooled(double[] images, int imageCount, PatchGeometry geometry, double[] out) {
        pooled(images, images.length, imageCount, geometry, out, out.length);
    }

    /** Pooled patches between two arrays of the same primitive type (System.arraycopy does the copying). */
    private static void pooled(Object images, int imagesLength, int imageCount, PatchGeometry geometry, Object out, int outLength) {
        checkSizes(imagesLength, imageCount, geometry, outLength, (long) imageCount * geometry.locations() * geometry.dimension());
        int locations = geometry.locations();
        int dimension = geometry.dimension();
        for (int i = 0; i < imageCount; i++) {
            for (int k = 0; k < locations; k++) {
                copyPatch(images, i, k, geometry, out, ((long) i * locations + k) * dimension);
            }
        }
    }

    /**
     * The patches at one grid location, one per image.
     *
     * @param location index in [0, locations), row-major over the grid
     * @param out      imageCount * dimension values, modified
     */
    public static void atLocation(float[] images, int imageCount, PatchGeometry geometry, int location, float[] out) {
        atLocation(images, images.length, imageCount, geometry, location, out, out.length);
    }

    /** {@link #atLocation(float[], int, PatchGeometry, int, float[])} for float64 images. */
    public static void atLocation(double[] images, int imageCount, PatchGeometry geometry, int location, double[] out) {
        atLocation(images, images.length, imageCount, geometry, location, out, out.length);
    }

    private static void atLocation(Object images, int imagesLength, int imageCount, PatchGeometry geometry, int location, Object out,
                                   int outLength) {
        if (location < 0 || location >= geometry.locations()) {
            throw new IllegalArgumentException("location " + location + " outside [0, " + geometry.locations() + ")");
        }
        checkSizes(imagesLength, imageCount, geometry, outLength, (long) imageCount * geometry.dimension());
        int dimension = geometry.dimension();
        for (int i = 0; i < imageCount; i++) {
            copyPatch(images, i, location, geometry, out, (long) i * dimension);
        }
    }

    /**
     * The adjoint of {@link #pooled}: adds every patch's values back onto the pixels it was cut from, so a
     * gradient with respect to the pooled patches becomes one with respect to the images.
     *
     * @param patches    imageCount * locations * dimension values in the pooled layout, not modified
     * @param imageCount images
     * @param images     imageCount * imageSize values, added to
     */
    public static void addPooledAdjoint(double[] patches, int imageCount, PatchGeometry g, double[] images) {
        int locations = g.locations();
        int p = g.patchSize();
        if ((long) imageCount * locations * g.dimension() > patches.length || (long) imageCount * g.imageSize() > images.length) {
            throw new IllegalArgumentException("adjoint of " + imageCount + " images: patches hold " + patches.length + " values, images "
                    + images.length);
        }
        int o = 0;
        for (int i = 0; i < imageCount; i++) {
            long imageOffset = (long) i * g.imageSize();
            for (int k = 0; k < locations; k++) {
                int top = (k / g.cols()) * g.stride();
                int left = (k % g.cols()) * g.stride();
                for (int c = 0; c < g.channels(); c++) {
                    long plane = imageOffset + (long) c * g.height() * g.width();
                    for (int y = 0; y < p; y++) {
                        int at = (int) (plane + (long) (top + y) * g.width() + left);
                        for (int x = 0; x < p; x++) {
                            images[at + x] += patches[o++];
                        }
                    }
                }
            }
        }
    }

    private static void copyPatch(Object images, int image, int location, PatchGeometry g, Object out, long outOffset) {
        int p = g.patchSize();
        int top = (location / g.cols()) * g.stride();
        int left = (location % g.cols()) * g.stride();
        long imageOffset = (long) image * g.imageSize();
        int o = (int) outOffset;
        for (int c = 0; c < g.channels(); c++) {
            long plane = imageOffset + (long) c * g.height() * g.width();
            for (int y = 0; y < p; y++) {
                System.arraycopy(images, (int) (plane + (long) (top + y) * g.width() + left), out, o, p);
                o += p;
            }
        }
    }

    private static void checkSizes(int imagesLength, int imageCount, PatchGeometry g, int outLength, long outNeeded) {
        if ((long) imageCount * g.imageSize() > imagesLength) {
            throw new IllegalArgumentException("images holds " + imagesLength + " values, " + imageCount + " images of "
                    + g.imageSize() + " need " + (long) imageCount * g.imageSize());
        }
        if (outNeeded > outLength) {
            throw new IllegalArgumentException("out holds " + outLength + " values, " + outNeeded + " needed");
        }
    }
}
