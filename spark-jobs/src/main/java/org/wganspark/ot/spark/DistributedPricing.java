package org.wganspark.ot.spark;

import java.util.ArrayList;
import java.util.List;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.wganspark.ot.Blocks;
import org.wganspark.ot.exact.PricingKernel.Pricing;
import org.wganspark.ot.exact.PricingKernel;
import org.wganspark.ot.exact.ShortlistSolver;

/**
 * The shortlist solver's pricing pass on Spark executors: the kernel (both point sets and the projection)
 * is broadcast once, the duals once per round; each task prices a block of rows with the local kernel and
 * treeReduce merges. The restricted problem stays on the driver. Sorting the merged arcs makes the answer
 * independent of partitioning and of task retries.
 */
public final class DistributedPricing implements ShortlistSolver.Pricer, AutoCloseable {

    private final JavaSparkContext sc;
    private final Broadcast<PricingKernel> kernel;
    private final JavaRDD<int[]> rowBlocks;

    public DistributedPricing(JavaSparkContext sc, PricingKernel kernel, int partitions) {
        this.sc = sc;
        this.kernel = sc.broadcast(kernel);
        int n = kernel.rows();
        int blocks = Math.max(1, Math.min(n, partitions));
        List<int[]> ranges = new ArrayList<>(blocks);
        for (int b = 0; b < blocks; b++) {
            ranges.add(new int[] {Blocks.start(n, b, blocks), Blocks.start(n, b + 1, blocks)});
        }
        this.rowBlocks = sc.parallelize(ranges, blocks);
    }

    @Override
    public Pricing price(double[] u, double[] v, double costScale, double slack) {
        Broadcast<double[]> bu = sc.broadcast(u);
        Broadcast<double[]> bv = sc.broadcast(v);
        Broadcast<PricingKernel> k = kernel;
        try {
            return rowBlocks.map(range -> k.value().price(bu.value(), bv.value(), costScale, slack, range[0], range[1]))
                    .treeReduce(Pricing::merge, 2).sorted();
        } finally {
            bu.destroy();
            bv.destroy();
        }
    }

    @Override
    public void close() {
        kernel.destroy();
    }
}
