package org.wganspark.ot.spark;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import org.apache.spark.api.java.JavaSparkContext;
import org.wganspark.ot.Weights;
import org.wganspark.ot.cost.Metric;
import org.wganspark.ot.cost.PairwiseCost;
import org.wganspark.ot.cost.PointSet;
import org.wganspark.ot.entropic.Sinkhorn;
import org.wganspark.ot.entropic.SinkhornOptions;
import org.wganspark.ot.entropic.SinkhornResult;

/**
 * Entropic OT where it runs best: on the driver when the cost matrix is kept (or a symmetric self term is asked for,
 * or the caller wants it local), else as Sinkhorn sweeps of row blocks on the executors ({@link DistributedSinkhorn}),
 * which give the local solver's numbers over the same blocks. The executors' cached blocks are released by
 * {@link #close}.
 */
public final class EntropicOt implements AutoCloseable {

    private final JavaSparkContext sc;
    private final boolean local;
    private final Consumer<String> progress;
    private final List<DistributedSinkhorn> opened = new ArrayList<>();

    /**
     * @param local    sweep in the driver's threads even when the matrix is not kept
     * @param progress receives the solver's lines, each prefixed by the problem's label
     */
    public EntropicOt(JavaSparkContext sc, boolean local, Consumer<String> progress) {
        this.sc = sc;
        this.local = local;
        this.progress = progress;
    }

    /** OT_eps(a on x, b on y); {@code label} prefixes its progress lines ("" for the main problem). */
    public SinkhornResult solve(Weights a, PointSet x, Weights b, PointSet y, Metric metric, SinkhornOptions options, String label) {
        PairwiseCost cost = new PairwiseCost(x, y, metric);
        Consumer<String> lines = line -> progress.accept(label + line);
        boolean kept = (long) x.n() * y.n() <= options.denseEntries();
        if (local || kept || options.symmetric()) {
            return Sinkhorn.solve(a, b, cost, options, lines);
        }
        return Sinkhorn.solveWith(a, b, cost, options, lines, logA -> {
            DistributedSinkhorn d = new DistributedSinkhorn(sc, x, y, metric, options.floatCosts(), logA, Math.max(sc.defaultParallelism() * 2, 1));
            opened.add(d);
            return d;
        });
    }

    /**
     * The Sinkhorn divergence S_eps = OT_eps(a, b) - (OT_eps(a, a) + OT_eps(b, b)) / 2 (Feydy et al. 2019), from the
     * already solved {@code ab}.
     */
    public double divergence(SinkhornResult ab, Weights a, PointSet x, Weights b, PointSet y, Metric metric, SinkhornOptions options) {
        SinkhornResult xx = solve(a, x, a, x, metric, options, "X-X: ");
        SinkhornResult yy = solve(b, y, b, y, metric, options, "Y-Y: ");
        return ab.objective() - (xx.objective() + yy.objective()) / 2;
    }

    @Override
    public void close() {
        opened.forEach(DistributedSinkhorn::close);
        opened.clear();
    }
}
