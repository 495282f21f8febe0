package org.wganspark.ot.exact;

import java.util.Arrays;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.function.Consumer;
import org.wganspark.ot.Status;
import org.wganspark.ot.Weights;
import org.wganspark.ot.cost.PairwiseCost;

/**
 * Estimated duals for the whole problem from an exact solve of a random part of it: the one-level multiscale start of
 * {@link ShortlistSolver} (in the spirit of Schmitzer 2016), which ranks the first shortlist by reduced cost instead
 * of distance.
 */
final class SampledDuals {

    private SampledDuals() {
    }

    /**
     * Duals of a random subproblem of at most {@code denseEntries} pairs (a quarter of the problem at most), solved
     * exactly on its kept matrix, extended to every point by one c-transform each way against the sample on the
     * projected bound. Null when the sample would have fewer than 100 points a side.
     */
    static double[][] estimate(Weights a, Weights b, PairwiseCost cost, Projection bound, ExactOptions options,
                                   Consumer<String> progress) {
        int n = cost.rows();
        int m = cost.cols();
        double pairs = (double) n * m;
        double ratio = Math.sqrt(Math.min(options.denseEntries(), pairs / 4) / pairs);
        int ns = (int) (n * ratio);
        int ms = (int) (m * ratio);
        if (ns < 100 || ms < 100) {
            return null;
        }
        long t0 = System.nanoTime();
        SplittableRandom random = new SplittableRandom(0x5a3b1eL);
        int[] sx = sample(n, ns, random);
        int[] sy = sample(m, ms, random);
        Weights as = a.restrict(sx);
        Weights bs = b.restrict(sy);
        if (as == null || bs == null) {
            return null;
        }
        if (progress != null) {
            progress.accept(String.format(Locale.ROOT, "sample %d x %d: solving it for a first estimate of the duals", ns, ms));
        }
        ExactResult sub = ShortlistSolver.solve(as, bs, new PairwiseCost(cost.x().select(sx), cost.y().select(sy), cost.metric()),
                options.withSampledStart(false), progress == null ? null : line -> progress.accept("sample: " + line),
                kernel -> kernel::priceInParallel);
        if (sub.status() != Status.OPTIMAL) {
            return null;
        }
        double[] v = bound.transformToColumns(sx, sub.u(), cost.metric());
        double[] u = bound.transformToRows(sy, sub.v(), cost.metric());
        if (progress != null) {
            progress.accept(String.format(Locale.ROOT, "sample %d x %d: cost %.10g in %d rounds; duals extended, %.2f s",
                    ns, ms, sub.cost(), sub.rounds(), (System.nanoTime() - t0) / 1e9));
        }
        return new double[][] {u, v};
    }

    private static int[] sample(int n, int k, SplittableRandom random) {
        int[] all = InitialShortlist.identity(n);
        for (int t = 0; t < k; t++) {
            int p = t + random.nextInt(n - t);
            int swap = all[t];
            all[t] = all[p];
            all[p] = swap;
        }
        int[] chosen = Arrays.copyOf(all, k);
        Arrays.sort(chosen);
        return chosen;
    }
}
