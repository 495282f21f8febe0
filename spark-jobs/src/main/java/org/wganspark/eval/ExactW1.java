package org.wganspark.eval;

import java.util.Arrays;
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
 * The exact W1 of the training metrics: between two image sets, and between the pooled p x p patches of their
 * first images (the quantity a GAP patch critic's WGAN minimizes, per the anchor paper). Uniform weights, Euclidean
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

    /** Exact W1 between the pooled patches of the first {@code images} rows of each set. */
    public static double betweenPatches(PointSet x, PointSet y, PatchGeometry patches, int images) {
        int count = Math.min(images, Math.min(x.n(), y.n()));
        return between(patchSet(x.values(), count, patches), patchSet(y.values(), count, patches));
    }

    private static PointSet patchSet(float[] images, int count, PatchGeometry patches) {
        float[] out = new float[count * patches.locations() * patches.dimension()];
        PatchExtractor.pooled(Arrays.copyOf(images, count * patches.imageSize()), count, patches, out);
        return new PointSet(out, count * patches.locations(), patches.dimension());
    }
}
