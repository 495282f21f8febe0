package org.wganspark.ot.entropic;

import java.util.Arrays;
import java.util.stream.IntStream;
import org.wganspark.ot.TopK;
import org.wganspark.ot.Weights;
import org.wganspark.ot.cost.PairwiseCost;
import org.wganspark.ot.exact.SparsePlan;

/** The largest entries of an entropic plan, row by row, without forming the plan. */
public final class TopPlan {

    private TopPlan() {
    }

    /**
     * The k largest entries of each row of the plan P_ij = a_i b_j exp((f_i + g_j - c_ij) / eps), pairs whose mass
     * is at least {@code threshold}, row by row. Costs recomputed; this JVM's threads.
     */
    public static SparsePlan of(Weights a, Weights b, PairwiseCost cost, SinkhornResult r, int k, double threshold) {
        int n = cost.rows();
        int m = cost.cols();
        int kk = Math.min(k, m);
        double[][] perRow = new double[n][];
        IntStream.range(0, n).parallel().forEach(i -> {
            int[] best = new int[kk];
            double[] negated = new double[kk];  // the k largest masses are the k smallest negated ones
            Arrays.fill(negated, 1);
            for (int j = 0; j < m; j++) {
                double p = a.get(i) * b.get(j) * Math.exp((r.f()[i] + r.g()[j] - cost.cost(i, j)) / r.epsilon());
                TopK.offer(negated, best, 0, kk, -p, j);
            }
            int kept = 0;
            double[] row = new double[2 * kk];
            for (int t = 0; t < kk; t++) {
                double mass = -negated[t];
                if (mass >= threshold && mass > 0) {
                    row[2 * kept] = best[t];
                    row[2 * kept + 1] = mass;
                    kept++;
                }
            }
            perRow[i] = Arrays.copyOf(row, 2 * kept);
        });
        int total = Arrays.stream(perRow).mapToInt(row -> row.length / 2).sum();
        int[] rows = new int[total];
        int[] cols = new int[total];
        double[] mass = new double[total];
        int at = 0;
        for (int i = 0; i < n; i++) {
            for (int t = 0; t < perRow[i].length / 2; t++) {
                rows[at] = i;
                cols[at] = (int) perRow[i][2 * t];
                mass[at] = perRow[i][2 * t + 1];
                at++;
            }
        }
        return new SparsePlan(rows, cols, mass);
    }
}
