package org.wganspark.ot.spark;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import org.apache.spark.api.java.JavaSparkContext;
import org.wganspark.ot.Weights;
import org.wganspark.ot.cost.Metric;
import org.wganspark.ot.cost.PairwiseCost;
import org.wganspark.ot.cost.PointSet;
import org.wganspark.ot.exact.ExactOptions;
import org.wganspark.ot.exact.ExactResult;
import org.wganspark.ot.exact.ShortlistSolver;

/**
 * Exact OT with the pricing passes where they run best: the column generation's restricted problems on the driver,
 * its passes over all pairs as Spark tasks over row blocks ({@link DistributedPricing}), or in the driver's threads
 * when asked. The answer does not depend on which.
 */
public final class ExactOt {

    private ExactOt() {
    }

    /**
     * @param localPricing price in the driver's threads instead of Spark tasks
     * @param progress     receives the solver's lines (one per round)
     */
    public static ExactResult solve(JavaSparkContext sc, Weights a, PointSet x, Weights b, PointSet y, Metric metric, ExactOptions options,
                                    boolean localPricing, Consumer<String> progress) {
        List<DistributedPricing> opened = new ArrayList<>();
        try {
            return ShortlistSolver.solve(a, b, new PairwiseCost(x, y, metric), options, progress, kernel -> {
                if (localPricing) {
                    return kernel::priceInParallel;
                }
                DistributedPricing pricing = new DistributedPricing(sc, kernel, Math.max(sc.defaultParallelism() * 4, 1));
                opened.add(pricing);
                return pricing;
            });
        } finally {
            opened.forEach(DistributedPricing::close);
        }
    }
}
