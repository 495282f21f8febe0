package org.wganspark.ot.entropic;

import java.util.Arrays;
import java.util.stream.IntStream;
import org.wganspark.ot.Blocks;
import org.wganspark.ot.Weights;

/**
 * The plain log-domain half-steps f = T(g) and g = T(f), each with the marginal error of the state before it: the
 * iteration of the symmetric self terms OT_eps(a, a) of the Sinkhorn divergence, averaged as Feydy et al. (2019)
 * prescribe in {@link Sinkhorn}.
 */
final class SymmetricUpdates {

    private final Weights a;
    private final Weights b;
    private final CostRows rows;
    private final double[] logA;
    private final double[] logB;
    private final int tasks;
    private final ExpSums sums = ExpSums.BEST;

    SymmetricUpdates(Weights a, Weights b, CostRows rows, double[] logA, double[] logB, int tasks) {
        this.a = a;
        this.b = b;
        this.rows = rows;
        this.logA = logA;
        this.logB = logB;
        this.tasks = tasks;
    }

    /**
     * f_new = T(g); returns sum_i a_i |exp((f_i - f_new_i) / eps) - 1|, the row marginal error of (f, g).
     */
    double updateRows(double[] g, double eps, double[] f, double[] fNew) {
        int n = rows.n;
        int m = rows.m;
        double invEps = 1 / eps;
        double[] h = new double[m];
        for (int j = 0; j < m; j++) {
            h[j] = logB[j] + g[j] * invEps;
        }
        return IntStream.range(0, tasks).parallel().mapToDouble(t -> {
            int from = Blocks.start(n, t, tasks);
            int to = Blocks.start(n, t + 1, tasks);
            double[] scratch = rows.scratch();
            double error = 0;
            for (int i0 = from; i0 < to; i0 += rows.tileRows()) {
                int i1 = Math.min(to, i0 + rows.tileRows());
                double[] c = rows.load(i0, i1, scratch);
                for (int i = i0; i < i1; i++) {
                    int co = rows.offset(i, i0);
                    double max = sums.max(h, c, co, m, invEps);
                    double lse = max + Math.log(sums.sumExp(h, c, co, m, invEps, max));
                    fNew[i] = -eps * lse;
                    if (a.get(i) > 0) {
                        error += a.get(i) * Math.abs(Math.exp((f[i] - fNew[i]) * invEps) - 1);
                    }
                }
            }
            return error;
        }).sum();
    }

    /** g_new = T(f); returns sum_j b_j |exp((g_j - g_new_j) / eps) - 1|, the column marginal error of (f, g). */
    double updateColumns(double[] f, double eps, double[] g, double[] gNew) {
        int n = rows.n;
        int m = rows.m;
        double invEps = 1 / eps;
        double[][] partMax = new double[tasks][];
        double[][] partSum = new double[tasks][];
        IntStream.range(0, tasks).parallel().forEach(t -> {
            int from = Blocks.start(n, t, tasks);
            int to = Blocks.start(n, t + 1, tasks);
            double[] scratch = rows.scratch();
            double[] colMax = new double[m];
            double[] colSum = new double[m];
            double[] tileMax = new double[m];
            Arrays.fill(colMax, Double.NEGATIVE_INFINITY);
            for (int i0 = from; i0 < to; i0 += rows.tileRows()) {
                int i1 = Math.min(to, i0 + rows.tileRows());
                double[] c = rows.load(i0, i1, scratch);
                Arrays.fill(tileMax, Double.NEGATIVE_INFINITY);
                for (int i = i0; i < i1; i++) {
                    sums.maxInto(logA[i] + f[i] * invEps, c, rows.offset(i, i0), m, invEps, tileMax);
                }
                for (int j = 0; j < m; j++) {
                    if (tileMax[j] > colMax[j]) {  // a new maximum: rescale what was summed under the old one
                        colSum[j] = colMax[j] == Double.NEGATIVE_INFINITY ? 0 : colSum[j] * Math.exp(colMax[j] - tileMax[j]);
                        colMax[j] = tileMax[j];
                    }
                }
                for (int i = i0; i < i1; i++) {
                    if (logA[i] > Double.NEGATIVE_INFINITY) {
                        sums.sumExpInto(logA[i] + f[i] * invEps, c, rows.offset(i, i0), m, invEps, colMax, colSum);
                    }
                }
            }
            partMax[t] = colMax;
            partSum[t] = colSum;
        });
        double error = 0;
        for (int j = 0; j < m; j++) {
            double max = Double.NEGATIVE_INFINITY;
            for (int t = 0; t < tasks; t++) {
                max = Math.max(max, partMax[t][j]);
            }
            double sum = 0;
            for (int t = 0; t < tasks; t++) {
                if (partMax[t][j] > Double.NEGATIVE_INFINITY) {
                    sum += partSum[t][j] * Math.exp(partMax[t][j] - max);
                }
            }
            gNew[j] = -eps * (max + Math.log(sum));
            if (b.get(j) > 0) {
                error += b.get(j) * Math.abs(Math.exp((g[j] - gNew[j]) * invEps) - 1);
            }
        }
        return error;
    }
}
