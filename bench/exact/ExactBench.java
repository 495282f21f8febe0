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
 * flipped left-right, so no image of Y is an image of X.
 */
public final class ExactBench {

    static PointSet load(String file, int from, int n, boolean mirror) throws Exception {
        try (DataInputStream in = new DataInputStream(new BufferedInputStream(new GZIPInputStream(new FileInputStream(file))))) {
            in.skipNBytes(16 + (long) from * 784);
            byte[] b = new byte[n * 784];
            in.readFully(b);
            float[] v = new float[b.length];
            for (int k = 0; k < v.length; k++) {
                int source = mirror ? k - k % 28 + (27 - k % 28) : k;  // mirror: flip each 28-pixel row
                v[k] = (b[source] & 0xff) / 127.5f - 1f;  // [-1, 1], as the anchor code scales pixels
            }
            return new PointSet(v, n, 784);
        }
    }

    public static void main(String[] args) throws Exception {
        String file = args[0];
        int n = Integer.parseInt(args[1]);
        boolean mirror = args.length > 2 && args[2].equals("mirror");
        PointSet x = load(file, 0, n, false);
        PointSet y = mirror ? load(file, 60000 - n, n, true) : load(file, 30000, n, false);
        long start = System.nanoTime();
        ExactResult r = ShortlistSolver.solve(Weights.uniform(n), Weights.uniform(n), new PairwiseCost(x, y, Metric.EUCLIDEAN),
                ExactOptions.defaults(), line -> System.err.println("[exact] " + line), kernel -> kernel::priceInParallel);
        double seconds = (System.nanoTime() - start) / 1e9;
        System.out.printf(Locale.ROOT, "{\"tool\":\"wgan-spark\",\"n\":%d,\"cost\":%.15g,\"seconds\":%.3f,\"status\":\"%s\",\"rounds\":%d,"
                        + "\"arcs\":%d,\"max_violation\":%.3g,\"relative_gap\":%.3g}%n", n, r.cost(), seconds, r.status(), r.rounds(), r.arcs(),
                r.certificate().maxViolation(), r.certificate().relativeGap());
    }
}
