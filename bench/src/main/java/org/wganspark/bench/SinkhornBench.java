package org.wganspark.bench;

import java.util.Locale;
import org.wganspark.ot.Weights;
import org.wganspark.ot.cost.Metric;
import org.wganspark.ot.cost.PairwiseCost;
import org.wganspark.ot.cost.PointSet;
import org.wganspark.ot.entropic.Sinkhorn;
import org.wganspark.ot.entropic.SinkhornOptions;
import org.wganspark.ot.entropic.SinkhornResult;

/**
 * Entropic OT between Fashion-MNIST train[0, n) and train[30000, 30000 + n): our side of bench/sinkhorn-vs-pot.sh.
 * Args: images.gz n [reg]. Without reg, prints 0.01 x the largest cost (the driver script passes it to both sides).
 */
public final class SinkhornBench {
    public static void main(String[] args) throws Exception {
        int n = Integer.parseInt(args[1]);
        PointSet x = ExactBench.load(args[0], 0, n, false);
        PointSet y = ExactBench.load(args[0], 30000, n, false);
        if (args.length < 3) {
            double max = 0;
            for (double c : new PairwiseCost(x, y, Metric.EUCLIDEAN).dense()) {
                max = Math.max(max, c);
            }
            System.out.printf(Locale.ROOT, "%.17g%n", 0.01 * max);
            return;
        }
        double reg = Double.parseDouble(args[2]);
        double tolerance = Double.parseDouble(args[3]);
        long start = System.nanoTime();
        SinkhornResult r = Sinkhorn.solve(Weights.uniform(n), Weights.uniform(n), new PairwiseCost(x, y, Metric.EUCLIDEAN),
                SinkhornOptions.of(reg).withTolerance(tolerance).withDenseEntries(Boolean.getBoolean("tiled") ? 0 : 25_000_000L),
                line -> System.err.println("[sinkhorn] " + line));
        double seconds = (System.nanoTime() - start) / 1e9;
        System.out.printf(Locale.ROOT, "{\"tool\":\"wgan-spark\",\"n\":%d,\"cost\":%.15g,\"seconds\":%.3f,\"iterations\":%d,\"marginal_error_l1\":%.3g,"
                + "\"status\":\"%s\"}%n", n, r.transportCost(), seconds, r.iterations(), r.marginalError(), r.status());
    }
}
