package org.wganspark.ot.spark;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.storage.StorageLevel;
import org.wganspark.ot.Blocks;
import org.wganspark.ot.cost.Metric;
import org.wganspark.ot.cost.PairwiseCost;
import org.wganspark.ot.cost.PointSet;
import org.wganspark.ot.entropic.FusedSweep;
import org.wganspark.ot.entropic.Sinkhorn;
import org.wganspark.ot.entropic.Sweep;
import org.wganspark.ot.entropic.Sweeper;

/**
 * Sinkhorn's fused sweeps on Spark executors: X in row blocks cached on the executors, Y broadcast once, f and
 * h = log b + g / eps broadcast each iteration. Each task runs the local kernel's sweep over its block and
 * returns its new f and its column masses; the driver sums the masses in block order, so the numbers are the
 * local solver's over the same blocks, bit for bit, whatever the task placement or retries.
 */
public final class DistributedSinkhorn implements Sweeper, AutoCloseable {

    /** A block of X's rows with the logs of their weights. */
    public record Block(int index, int from, PointSet x, double[] logA) implements Serializable {
    }

    /** A task's answer: the block's new f and the sweep. */
    public record Part(int index, int from, double[] f, Sweep sweep) implements Serializable {
    }

    private final JavaSparkContext sc;
    private final JavaRDD<Block> blocks;
    private final Broadcast<PointSet> y;
    private final Metric metric;
    private final boolean floatCosts;
    private final int count;

    public DistributedSinkhorn(JavaSparkContext sc, PointSet x, PointSet y, Metric metric, boolean floatCosts, double[] logA, int blocks) {
        this.sc = sc;
        this.metric = metric;
        this.floatCosts = floatCosts;
        int n = x.n();
        int d = x.d();
        this.count = Math.max(1, Math.min(n, blocks));
        List<Block> list = new ArrayList<>(count);
        for (int b = 0; b < count; b++) {
            int from = Blocks.start(n, b, count);
            int to = Blocks.start(n, b + 1, count);
            list.add(new Block(b, from, x.range(from, to),
                    Arrays.copyOfRange(logA, from, to)));
        }
        this.blocks = sc.parallelize(list, count).persist(StorageLevel.MEMORY_AND_DISK());
        this.y = sc.broadcast(y);
    }

    @Override
    public Sweep[] sweep(double[] f, double[] h, double eps, double w, double[] fOut) {
        Broadcast<double[]> bf = sc.broadcast(f);
        Broadcast<double[]> bh = sc.broadcast(h);
        Broadcast<PointSet> by = y;
        Metric ground = metric;
        boolean single = floatCosts;
        try {
            List<Part> parts = blocks.map(block -> {
                int rows = block.x().n();
                double[] fIn = Arrays.copyOfRange(bf.value(), block.from(), block.from() + rows);
                double[] next = new double[rows];
                Sweep s = FusedSweep.ofBlock(new PairwiseCost(block.x(), by.value(), ground), single, block.logA(), fIn, bh.value(), eps, w, next);
                return new Part(block.index(), block.from(), next, s);
            }).collect();
            Sweep[] ordered = new Sweep[count];
            for (Part p : parts) {
                System.arraycopy(p.f(), 0, fOut, p.from(), p.f().length);
                ordered[p.index()] = p.sweep();
            }
            return ordered;
        } finally {
            bf.destroy();
            bh.destroy();
        }
    }

    @Override
    public void close() {
        blocks.unpersist(false);
        y.destroy();
    }
}
