package org.wganspark.bench.jmh;

import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.wganspark.ot.cost.Metric;
import org.wganspark.ot.cost.PairwiseCost;
import org.wganspark.ot.cost.PointSet;
import org.wganspark.ot.entropic.FusedSweep;
import org.wganspark.ot.entropic.Sweep;

/**
 * One fused Sinkhorn sweep over a block of 256 rows against 8192 columns of 7 x 7 patches (d = 49), costs recomputed
 * in float or in double: the unit of work a Spark task of the distributed entropic solver runs each iteration.
 * <pre>java --add-modules jdk.incubator.vector -jar bench/target/benchmarks.jar FusedSweepBenchmark</pre>
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = "--add-modules=jdk.incubator.vector")
public class FusedSweepBenchmark {

    static final int ROWS = 256;
    static final int COLUMNS = 8192;
    static final int D = 49;

    @Param({"true", "false"})
    boolean floatCosts;

    private PairwiseCost block;
    private double[] logA;
    private double[] f;
    private double[] h;
    private double[] fOut;
    private double eps;

    @Setup
    public void setUp() {
        SplittableRandom random = new SplittableRandom(7);
        PointSet x = points(ROWS, random);
        PointSet y = points(COLUMNS, random);
        block = new PairwiseCost(x, y, Metric.EUCLIDEAN);
        logA = new double[ROWS];
        java.util.Arrays.fill(logA, -Math.log(ROWS));
        f = new double[ROWS];
        h = new double[COLUMNS];
        java.util.Arrays.fill(h, -Math.log(COLUMNS));
        fOut = new double[ROWS];
        eps = 0.05 * Math.sqrt(2 * D / 3.0);  // about 0.05 x the median distance of uniform points in [-1, 1]^d
    }

    private static PointSet points(int n, SplittableRandom random) {
        float[] v = new float[n * D];
        for (int i = 0; i < v.length; i++) {
            v[i] = (float) random.nextDouble(-1, 1);
        }
        return new PointSet(v, n, D);
    }

    @Benchmark
    public Sweep sweep() {
        return FusedSweep.ofBlock(block, floatCosts, logA, f, h, eps, 1, fOut);
    }
}
