package org.wganspark.ot.means;

import java.util.Arrays;
import java.util.SplittableRandom;
import java.util.function.Consumer;
import org.wganspark.ot.Weights;
import org.wganspark.ot.cost.Metric;
import org.wganspark.ot.cost.PairwiseCost;
import org.wganspark.ot.cost.PointSet;
import org.wganspark.ot.exact.ExactOptions;
import org.wganspark.ot.exact.ExactResult;
import org.wganspark.ot.exact.ShortlistSolver;
import org.wganspark.ot.exact.SparsePlan;

/**
 * OTMeans: the k points that minimize the exact W1 to the data, the analytic optimum of a discrete generator with k
 * codes (Elnekave and Weiss, ICLR 2025). Alternates an exact OT plan P between
 * the centroids (mass 1/k each) and the data (1/N each) with Weiszfeld steps for the plan held fixed,
 * c_i <- sum_j (P_ij / |c_i - x_j|) x_j / sum_j (P_ij / |c_i - x_j|): each step lowers sum_ij P_ij |c_i - x_j| and each
 * new plan lowers it further, so the W1 after each step never rises.
 */
public final class OtMeans {

    /** The centroids and the exact W1 to the data after each step (the initial W1 first). */
    public record Result(PointSet centroids, double[] w1) {
    }

    private static final double MIN_DISTANCE = 1e-6;

    private OtMeans() {
    }

    /**
     * @param k      centroids, drawn from 0.5 N(0, I) with {@code seed} (the paper's initialization)
     * @param steps  Weiszfeld steps, each with a freshly solved exact plan
     */
    public static Result fit(PointSet data, int k, int steps, long seed, Consumer<String> progress) {
        if (k < 1 || steps < 0) {
            throw new IllegalArgumentException("OTMeans: expected k >= 1 and steps >= 0, found " + k + ", " + steps);
        }
        int d = data.d();
        float[] c = new float[k * d];
        SplittableRandom random = new SplittableRandom(seed);
        for (int t = 0; t < c.length; t++) {
            c[t] = (float) (0.5 * random.nextGaussian());
        }
        double[] w1 = new double[steps + 1];
        double[] numerator = new double[k * d];
        double[] denominator = new double[k];
        for (int s = 0; ; s++) {
            PointSet centroids = new PointSet(c, k, d);
            PairwiseCost cost = new PairwiseCost(centroids, data, Metric.EUCLIDEAN);
            ExactResult r = ShortlistSolver.solve(Weights.uniform(k), Weights.uniform(data.n()), cost, ExactOptions.defaults());
            w1[s] = r.cost();
            if (progress != null) {
                progress.accept(String.format(java.util.Locale.ROOT, "[otmeans] step %d/%d: exact W1 %.6f", s, steps, r.cost()));
            }
            if (s == steps) {
                return new Result(centroids, w1);
            }
            Arrays.fill(numerator, 0);
            Arrays.fill(denominator, 0);
            SparsePlan plan = r.plan();
            float[] x = data.values();
            for (int e = 0; e < plan.size(); e++) {
                int i = plan.row()[e];
                int j = plan.col()[e];
                double weight = plan.mass()[e] / Math.max(MIN_DISTANCE, cost.cost(i, j));
                denominator[i] += weight;
                for (int t = 0; t < d; t++) {
                    numerator[i * d + t] += weight * x[j * d + t];
                }
            }
            float[] next = new float[k * d];
            for (int i = 0; i < k; i++) {
                for (int t = 0; t < d; t++) {
                    next[i * d + t] = denominator[i] > 0 ? (float) (numerator[i * d + t] / denominator[i]) : c[i * d + t];
                }
            }
            c = next;
        }
    }
}
