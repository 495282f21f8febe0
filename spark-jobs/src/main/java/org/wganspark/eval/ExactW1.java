package org.wganspark.eval;

import org.wganspark.ot.Weights;
import org.wganspark.ot.cost.Deduplicated;
import org.wganspark.ot.cost.Metric;
import org.wganspark.ot.cost.PairwiseCost;
import org.wganspark.ot.cost.PointSet;
import org.wganspark.ot.exact.ExactOptions;
import org.wganspark.ot.exact.ShortlistSolver;
import org.wganspark.ot.patch.PatchExtractor;
import org.wganspark.ot.patch.PatchGeometry;

/**
 * The exact W1 of the training metrics: between two image sets, and between the pooled p x p patches of two image
 * sets (the quantity a GAP patch critic's WGAN minimizes, per Elnekave & Weiss). Uniform weights, Euclidean
 * cost, identical points merged first (same cost, a far smaller LP: background patches repeat).
 */
public final class ExactW1 {

    private ExactW1() {
    }

    public static double between(PointSet x, PointSet y) {
        Deduplicated mx = Deduplicated.of(x, Weights.uniform(x.n()));
        Deduplicated my = Deduplicated.of(y, Weights.uniform(y.n()));
        return ShortlistSolver.solve(mx.weights(), my.weights(), new PairwiseCost(mx.points(), my.points(), Metric.EUCLIDEAN),
                ExactOptions.defaults()).cost();
    }

    /** Exact W1 between the pooled patches of all the images of {@code x} and all those of {@code y} (any two sizes). */
    public static double betweenPatches(PointSet x, PointSet y, PatchGeometry patches) {
        return between(patchSet(x, patches), patchSet(y, patches));
    }

    /** The pooled patches of a set of images, at the set's precision. */
    static PointSet patchSet(PointSet images, PatchGeometry patches) {
        int count = images.n();
        float[] out = new float[count * patches.locations() * patches.dimension()];
        PatchExtractor.pooled(images.values(), count, patches, out);
        double[] wide = null;
        if (images.isDouble()) {
            wide = new double[out.length];
            PatchExtractor.pooled(images.doubles(), count, patches, wide);
        }
        return new PointSet(out, wide, count * patches.locations(), patches.dimension());
    }
}
