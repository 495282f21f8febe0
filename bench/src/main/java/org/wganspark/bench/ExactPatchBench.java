package org.wganspark.bench;

import java.util.Locale;
import org.wganspark.ot.Weights;
import org.wganspark.ot.cost.Deduplicated;
import org.wganspark.ot.cost.Metric;
import org.wganspark.ot.cost.PairwiseCost;
import org.wganspark.ot.cost.PointSet;
import org.wganspark.ot.exact.ExactOptions;
import org.wganspark.ot.exact.ExactResult;
import org.wganspark.ot.exact.ShortlistSolver;
import org.wganspark.ot.patch.PatchGeometry;

/**
 * Exact W1 between the 7x7 patches (stride 7: 16 per image) of Fashion-MNIST train[0, N/16) and test[0, N/16),
 * identical patches merged into weighted points (the same OT problem), with the certificate. Args: train.gz test.gz N.
 */
public final class ExactPatchBench {
    public static void main(String[] args) throws Exception {
        int n = Integer.parseInt(args[2]);
        int images = n / 16;
        PatchGeometry g = new PatchGeometry(1, 28, 28, 7, 7);
        PointSet x = PatchSinkhornBench.patches(ExactBench.load(args[0], 0, images, false), images, g);
        PointSet y = PatchSinkhornBench.patches(ExactBench.load(args[1], 0, images, false), images, g);
        long start = System.nanoTime();
        Deduplicated dx = Deduplicated.of(x, Weights.uniform(x.n()));
        Deduplicated dy = Deduplicated.of(y, Weights.uniform(y.n()));
        System.err.printf(Locale.ROOT, "[bench] %d x %d patches, %d x %d distinct%n", x.n(), y.n(), dx.points().n(), dy.points().n());
        ExactResult r = ShortlistSolver.solve(dx.weights(), dy.weights(), new PairwiseCost(dx.points(), dy.points(), Metric.EUCLIDEAN),
                ExactOptions.defaults(), line -> System.err.println("[exact] " + line), kernel -> kernel::priceInParallel);
        double seconds = (System.nanoTime() - start) / 1e9;
        System.out.printf(Locale.ROOT, "{\"tool\":\"wgan-spark\",\"n\":%d,\"distinct\":[%d,%d],\"cost\":%.15g,\"seconds\":%.1f,\"status\":\"%s\","
                        + "\"rounds\":%d,\"arcs\":%d,\"pivots\":%d,\"max_violation\":%.3g,\"slackness_residual\":%.3g,\"relative_gap\":%.3g,"
                        + "\"marginal_error\":%.3g}%n", x.n(), dx.points().n(), dy.points().n(), r.cost(), seconds, r.status(), r.rounds(), r.arcs(),
                r.pivots(), r.certificate().maxViolation(), r.certificate().slacknessResidual(), r.certificate().relativeGap(),
                r.certificate().marginalError());
    }
}
