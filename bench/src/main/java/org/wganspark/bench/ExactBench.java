package org.wganspark.bench;

import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.FileInputStream;
import java.util.Locale;
import java.util.zip.GZIPInputStream;
import org.wganspark.ot.Weights;
import org.wganspark.ot.cost.Metric;
import org.wganspark.ot.cost.PairwiseCost;
import org.wganspark.ot.cost.PointSet;
import org.wganspark.ot.exact.ExactOptions;
import org.wganspark.ot.exact.ExactResult;
import org.wganspark.ot.exact.ShortlistSolver;

/**
 * Exact W1 between Fashion-MNIST train[0, n) and train[30000, 30000 + n): our side of bench/exact-vs-pot.sh.
 * With a third argument "mirror" (for n > 30000, where disjoint halves do not exist): Y is train[60000 - n, 60000)
 * flipped left-right, so no image of Y is an image of X. With "shift": Y is train[60000 - n, 60000) moved one pixel
 * to the right (a generator that memorized its data up to a one-pixel shift, the regime of the paper's Fig. 6).
 * {@code -Dwarmups=k} solves k 1000 x 1000 problems of other images first.
 * {@code -Dprogress=true} prints the solver's rounds to stderr (off in the timed runs: POT prints nothing, and the
 * first String.format in a JVM costs about 30 ms).
 */
public final class ExactBench {

    static PointSet load(String file, int from, int n, boolean mirror) throws Exception {
        return load(file, from, n, mirror, false);
    }

    static PointSet load(String file, int from, int n, boolean mirror, boolean shift) throws Exception {
        try (DataInputStream in = new DataInputStream(new BufferedInputStream(new GZIPInputStream(new FileInputStream(file))))) {
            in.skipNBytes(16 + (long) from * 784);
            byte[] b = new byte[n * 784];
            in.readFully(b);
            float[] v = new float[b.length];
            for (int k = 0; k < v.length; k++) {
                int column = k % 28;
                int source = mirror ? k - column + (27 - column) : shift ? k - 1 : k;  // flip, or move one pixel right
                int pixel = shift && column == 0 ? 0 : b[source] & 0xff;
                v[k] = pixel / 127.5f - 1f;  // [-1, 1], as the paper's code scales pixels
            }
            return new PointSet(v, n, 784);
        }
    }

    public static void main(String[] args) throws Exception {
        String file = args[0];
        int n = Integer.parseInt(args[1]);
        boolean mirror = args.length > 2 && args[2].equals("mirror");
        boolean shift = args.length > 2 && args[2].equals("shift");
        // the native BLAS library loads before the clock starts, as numpy and POT are imported before the peer's clock
        long libraryStart = System.nanoTime();
        boolean blas = org.wganspark.ot.cost.BlasGram.available();
        double librarySeconds = (System.nanoTime() - libraryStart) / 1e9;
        double warmupSeconds = 0;
        // a JVM that has solved k times before (a training run that evaluates W1 at every log interval, as the Fig. 6
        // runs do at M = N = 1000, reaches the JIT's steady state after a few)
        int warmups = Integer.getInteger("warmups", 0);
        if (warmups > 0) {
            long w = System.nanoTime();
            PointSet wx = load(file, 40000, 1000, false);
            PointSet wy = load(file, 50000, 1000, false);
            for (int k = 0; k < warmups; k++) {
                ShortlistSolver.solve(Weights.uniform(1000), Weights.uniform(1000), new PairwiseCost(wx, wy, Metric.EUCLIDEAN), ExactOptions.defaults());
            }
            warmupSeconds = (System.nanoTime() - w) / 1e9;
        }
        PointSet x = load(file, 0, n, false);
        PointSet y = mirror ? load(file, 60000 - n, n, true) : shift ? load(file, 60000 - n, n, false, true) : load(file, 30000, n, false);
        long start = System.nanoTime();
        ExactResult r = ShortlistSolver.solve(Weights.uniform(n), Weights.uniform(n), new PairwiseCost(x, y, Metric.EUCLIDEAN),
                ExactOptions.defaults().withCandidatesPerRow(Integer.getInteger("k", ExactOptions.defaults().candidatesPerRow()))
                        .withAddPerRow(Integer.getInteger("add", ExactOptions.defaults().addPerRow())), Boolean.getBoolean("progress") ? line -> System.err.println("[exact] " + line) : null, kernel -> kernel::priceInParallel);
        double seconds = (System.nanoTime() - start) / 1e9;
        System.out.printf(Locale.ROOT, "{\"tool\":\"wgan-spark\",\"blas\":%b,\"library_seconds\":%.3f,\"warmup_seconds\":%.3f,\"n\":%d,\"cost\":%.15g,\"seconds\":%.3f,\"status\":\"%s\",\"rounds\":%d,"
                        + "\"arcs\":%d,\"max_violation\":%.3g,\"relative_gap\":%.3g}%n", blas, librarySeconds, warmupSeconds, n, r.cost(), seconds, r.status(), r.rounds(), r.arcs(),
                r.certificate().maxViolation(), r.certificate().relativeGap());
    }
}
