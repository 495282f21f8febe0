package org.wganspark.bench;

import java.util.Arrays;
import java.util.Locale;
import java.util.SplittableRandom;
import org.wganspark.ot.Weights;
import org.wganspark.ot.cost.Deduplicated;
import org.wganspark.ot.cost.Metric;
import org.wganspark.ot.cost.PairwiseCost;
import org.wganspark.ot.cost.PointSet;
import org.wganspark.ot.entropic.Sinkhorn;
import org.wganspark.ot.entropic.SinkhornOptions;
import org.wganspark.ot.entropic.SinkhornResult;
import org.wganspark.ot.patch.PatchExtractor;
import org.wganspark.ot.patch.PatchGeometry;

/**
 * Entropic OT between the 7x7 patches (stride 7: 16 per image) of Fashion-MNIST train[0, N/16) and test[0, N/16),
 * eps = 0.05 x the median cost (from 10^5 seeded pairs), marginal error 1e-6. Identical patches are merged into
 * weighted points first (the same OT problem). Also times the machine's limit: the same number of pairwise
 * costs as one pass of the distance kernel. Args: train.gz test.gz N.
 */
public final class PatchSinkhornBench {
    public static void main(String[] args) throws Exception {
        int n = Integer.parseInt(args[2]);
        int images = n / 16;
        PatchGeometry g = new PatchGeometry(1, 28, 28, 7, 7);
        PointSet x = patches(ExactBench.load(args[0], 0, images, false), images, g);
        PointSet y = patches(ExactBench.load(args[1], 0, images, false), images, g);
        long start = System.nanoTime();
        Deduplicated dx = Deduplicated.of(x, Weights.uniform(x.n()));
        Deduplicated dy = Deduplicated.of(y, Weights.uniform(y.n()));
        PairwiseCost cost = new PairwiseCost(dx.points(), dy.points(), Metric.EUCLIDEAN);
        SplittableRandom random = new SplittableRandom(7);
        double[] sample = new double[100_000];
        for (int s = 0; s < sample.length; s++) {
            sample[s] = new PairwiseCost(x, y, Metric.EUCLIDEAN).cost(random.nextInt(x.n()), random.nextInt(y.n()));
        }
        Arrays.sort(sample);
        double eps = 0.05 * sample[sample.length / 2];
        System.err.printf(Locale.ROOT, "[bench] %d x %d patches, %d x %d distinct, eps %.5f%n", x.n(), y.n(), dx.points().n(), dy.points().n(), eps);
        // the machine's limit for this work: one pass of all distinct pairs' costs (float, as the solver computes them)
        long t0 = System.nanoTime();
        int m = dy.points().n();
        int nx = dx.points().n();
        java.util.stream.IntStream.range(0, 2).parallel().forEach(t -> {
            double[] tile = new double[16 * m];
            for (int i0 = nx * t / 2; i0 < nx * (t + 1) / 2; i0 += 16) {
                cost.fillFloat(i0, Math.min(nx * (t + 1) / 2, i0 + 16), tile);
            }
        });
        double passSeconds = (System.nanoTime() - t0) / 1e9;
        System.err.printf(Locale.ROOT, "[bench] one pass of all costs on 2 threads: %.1f s%n", passSeconds);
        SinkhornResult r = Sinkhorn.solve(dx.weights(), dy.weights(), cost, SinkhornOptions.of(eps).withTolerance(1e-6).withFloatCosts(true).withStageTolerance(Double.parseDouble(System.getProperty("stage", "0.1"))).withMaxIterations(Integer.getInteger("iterations", 100_000)),
                line -> System.err.println("[sinkhorn] " + line));
        double seconds = (System.nanoTime() - start) / 1e9;
        System.out.printf(Locale.ROOT, "{\"tool\":\"wgan-spark\",\"n\":%d,\"distinct\":[%d,%d],\"eps\":%.6g,\"cost\":%.12g,\"objective\":%.12g,"
                        + "\"seconds\":%.1f,\"iterations\":%d,\"seconds_per_iteration\":%.2f,\"cost_pass_seconds\":%.2f,"
                        + "\"marginal_error_l1\":%.3g,\"status\":\"%s\"}%n", x.n(), dx.points().n(), dy.points().n(), eps, r.transportCost(), r.objective(),
                seconds, r.iterations(), seconds / Math.max(1, r.iterations()), passSeconds, r.marginalError(), r.status());
    }

    static PointSet patches(PointSet images, int count, PatchGeometry g) {
        float[] out = new float[count * g.locations() * g.dimension()];
        PatchExtractor.pooled(images.values(), count, g, out);
        return new PointSet(out, count * g.locations(), g.dimension());
    }
}
