package org.wganspark.ot.loss;

import org.wganspark.ot.cost.PointSet;
import org.wganspark.ot.patch.PatchExtractor;
import org.wganspark.ot.patch.PatchGeometry;

/**
 * Sliced W1 between the pooled p x p patches of two image sets (the paper's MiniBatchPatchLoss-dist=swd): every
 * patch of every image and location in one set, compared by {@link SlicedLoss}, the gradient carried back to the
 * images' pixels (a pixel inside several patches gathers all their gradients).
 */
public final class PatchSlicedLoss {

    private PatchSlicedLoss() {
    }

    /**
     * @param x  generated images, row-major, {@code nx} of them
     * @param y  data images, {@code ny} of them
     * @return the patch SWD and its gradient with respect to x
     */
    public static LossGradient of(float[] x, int nx, float[] y, int ny, PatchGeometry geometry, int directions, long seed) {
        int locations = geometry.locations();
        int dimension = geometry.dimension();
        float[] px = new float[nx * locations * dimension];
        float[] py = new float[ny * locations * dimension];
        PatchExtractor.pooled(x, nx, geometry, px);
        PatchExtractor.pooled(y, ny, geometry, py);
        LossGradient patches = SlicedLoss.of(new PointSet(px, nx * locations, dimension), new PointSet(py, ny * locations, dimension),
                directions, seed);
        double[] gradient = new double[nx * geometry.imageSize()];
        PatchExtractor.addPooledAdjoint(patches.gradient(), nx, geometry, gradient);
        return new LossGradient(patches.value(), gradient);
    }
}
