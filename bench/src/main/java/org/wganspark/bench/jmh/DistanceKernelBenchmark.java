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
import org.wganspark.ot.cost.DistanceKernel;

/**
 * The squared-distance block that every exact and entropic solve spends its time in: 16 rows against 1024, for
 * image rows (d = 784) and 7 x 7 patches (d = 49), with the Vector API kernel and the plain-Java one. The ratio of the
 * two is what the Vector API brings on the machine at hand.
 * <pre>java --add-modules jdk.incubator.vector -jar bench/target/benchmarks.jar DistanceKernelBenchmark</pre>
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = "--add-modules=jdk.incubator.vector")
public class DistanceKernelBenchmark {

    static final int ROWS = 16;
    static final int COLUMNS = 1024;

    @Param({"784", "49"})
    int d;

    @Param({"best", "scalar"})
    String kernel;

    private DistanceKernel k;
    private float[] x;
    private float[] y;
    private double[] out;

    @Setup
    public void setUp() {
        k = kernel.equals("best") ? DistanceKernel.BEST : DistanceKernel.SCALAR;
        SplittableRandom random = new SplittableRandom(42);
        x = new float[ROWS * d];
        y = new float[COLUMNS * d];
        for (int i = 0; i < x.length; i++) {
            x[i] = (float) random.nextDouble(-1, 1);
        }
        for (int i = 0; i < y.length; i++) {
            y[i] = (float) random.nextDouble(-1, 1);
        }
        out = new double[ROWS * COLUMNS];
    }

    @Benchmark
    public double[] squaredBlock() {
        k.squaredBlock(x, 0, ROWS, y, 0, COLUMNS, d, out, 0, COLUMNS);
        return out;
    }
}
