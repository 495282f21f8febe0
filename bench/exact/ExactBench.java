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

/** Exact W1 between Fashion-MNIST train[0, n) and train[30000, 30000 + n): our side of bench/exact-vs-pot.sh. */
public final class ExactBench {

    static PointSet load(String file, int from, int n) throws Exception {
        try (DataInputStream in = new DataInputStream(new BufferedInputStream(new GZIPInputStream(new FileInputStream(file))))) {
            in.skipNBytes(16 + (long) from * 784);
            byte[] b = new byte[n * 784];
            in.readFully(b);
            float[] v = new float[b.length];
            for (int k = 0; k < v.length; k++) {
                v[k] = (b[k] & 0xff) / 127.5f - 1f;  // [-1, 1], as the anchor code scales pixels
            }
            return new PointSet(v, n, 784);
        }
    }

    public static void main(String[] args) throws Exception {
        String file = args[0];
        int n = Integer.parseInt(args[1]);
        PointSet x = load(file, 0, n);
        PointSet y = load(file, 30000, n);
        long start = System.nanoTime();
        ExactResult r = ShortlistSolver.solve(Weights.uniform(n), Weights.uniform(n), new PairwiseCost(x, y, Metric.EUCLIDEAN),
                ExactOptions.defaults(), line -> System.err.println("[exact] " + line));
        double seconds = (System.nanoTime() - start) / 1e9;
        System.out.printf(Locale.ROOT, "{\"tool\":\"wgan-spark\",\"n\":%d,\"cost\":%.15g,\"seconds\":%.3f,\"status\":\"%s\",\"rounds\":%d,"
                        + "\"arcs\":%d,\"max_violation\":%.3g,\"relative_gap\":%.3g}%n", n, r.cost(), seconds, r.status(), r.rounds(), r.arcs(),
                r.certificate().maxViolation(), r.certificate().relativeGap());
    }
}
