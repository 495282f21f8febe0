package org.wganspark.ot.exact;

import java.util.Locale;
import java.util.function.Consumer;
import java.util.stream.IntStream;

/**
 * Row potentials u near the optimum, for the start of {@link SmallSideSolver}: log-domain Sinkhorn over all pairs of
 * {@link ColumnCosts}, with epsilon scaling (Schmitzer 2019, sec. 3; Peyré and Cuturi 2019, sec. 4.4). Each
 * half-iteration is exact on its side's marginals,
 * <pre>
 *   v_j = eps log b_j - eps log sum_i exp((u_i - c_ij) / eps),
 *   u_i = eps log a_i - eps log sum_j exp((v_j - c_ij) / eps),
 * </pre>
 * and epsilon falls geometrically from the spread of a column's costs to a thousandth of it, a few iterations a
 * level. As epsilon falls the potentials approach a maximizer of the unregularized dual, which is
 * what decides how few columns the exact rounds see; the exact rounds alone decide the answer.
 *
 * <p>After {@link #run}, every column's best and second-best row under u (value c_ij - u_i).
 */
final class EntropicBalance {

    /** Iterations per epsilon level (the last level gets four times as many). */
    private static final int ITERATIONS = 3;
    /** epsilon's fall per level. */
    private static final double FACTOR = 0.5;
    /** The last epsilon, relative to the first. */
    private static final double FINAL = 1e-3;

    private final ColumnCosts c;
    private final int n;
    private final int m;
    private final double[] logA;
    private final double[] logB;

    final int[] bestRow;
    final double[] bestValue;
    final int[] secondRow;
    final double[] secondValue;

    EntropicBalance(ColumnCosts c, long[] rowUnits, long[] colUnits, int n, int m) {
        this.c = c;
        this.n = n;
        this.m = m;
        double total = 0;
        for (long r : rowUnits) {
            total += r;
        }
        logA = new double[n];
        for (int i = 0; i < n; i++) {
            logA[i] = rowUnits[i] > 0 ? Math.log(rowUnits[i] / total) : Double.NEGATIVE_INFINITY;
        }
        logB = new double[m];
        for (int j = 0; j < m; j++) {
            logB[j] = Math.log(colUnits[j] / total);
        }
        bestRow = new int[m];
        bestValue = new double[m];
        secondRow = new int[m];
        secondValue = new double[m];
    }

    /** The scaled iterations; returns u (0 for a row no column lists). */
    double[] run(Consumer<String> progress, long start) {
        double[] u = new double[n];
        double[] v = new double[m];
        double spread = spread();
        double eps = spread;
        double last = spread * FINAL;
        int iterations = 0;
        double error = Double.NaN;
        while (true) {
            boolean finalLevel = eps <= last;
            int count = finalLevel ? 4 * ITERATIONS : ITERATIONS;
            for (int t = 0; t < count; t++) {
                columns(u, v, eps);
                error = rows(u, v, eps);
                iterations++;
            }
            if (finalLevel) {
                break;
            }
            eps = Math.max(last, eps * FACTOR);
        }
        IntStream.range(0, m).parallel().forEach(j -> refresh(j, u));
        if (progress != null) {
            progress.accept(String.format(Locale.ROOT, "entropic start: %d iterations down to epsilon %.3g (%.3g of the cost spread), row marginal "
                    + "error %.3g, %.2f s", iterations, last, FINAL, error, (System.nanoTime() - start) / 1e9));
        }
        return u;
    }

    /** The mean over columns of the range of their costs: the first epsilon. */
    private double spread() {
        double sum = 0;
        for (int j = 0; j < m; j++) {
            double low = Double.POSITIVE_INFINITY;
            double high = Double.NEGATIVE_INFINITY;
            for (int i = 0; i < n; i++) {
                low = Math.min(low, c.cost(i, j));
                high = Math.max(high, c.cost(i, j));
            }
            sum += high - low;
        }
        return Math.max(sum / m, 1e-12);
    }

    private void columns(double[] u, double[] v, double eps) {
        IntStream.range(0, m).parallel().forEach(j -> {
            double top = Double.NEGATIVE_INFINITY;
            for (int i = 0; i < n; i++) {
                top = Math.max(top, u[i] - c.cost(i, j));
            }
            double sum = 0;
            for (int i = 0; i < n; i++) {
                sum += Math.exp((u[i] - c.cost(i, j) - top) / eps);
            }
            v[j] = eps * logB[j] - top - eps * Math.log(sum);
        });
    }

    /** The row half-iteration; returns the row marginals' L1 error before it (that of the column step's plan). */
    private double rows(double[] u, double[] v, double eps) {
        return IntStream.range(0, n).parallel().mapToDouble(i -> {
            if (logA[i] == Double.NEGATIVE_INFINITY) {
                return 0;
            }
            double top = Double.NEGATIVE_INFINITY;
            for (int j = 0; j < m; j++) {
                top = Math.max(top, v[j] - c.cost(i, j));
            }
            double sum = 0;
            for (int j = 0; j < m; j++) {
                sum += Math.exp((v[j] - c.cost(i, j) - top) / eps);
            }
            double logSum = top / eps + Math.log(sum);          // log sum_j exp((v_j - c_ij) / eps)
            double before = Math.exp(u[i] / eps + logSum);       // row i's mass under the current plan
            u[i] = eps * logA[i] - eps * logSum;
            return Math.abs(before - Math.exp(logA[i]));
        }).sum();
    }

    /** Column j's best and second-best rows under u. */
    private void refresh(int j, double[] u) {
        double b = Double.POSITIVE_INFINITY;
        double s2 = Double.POSITIVE_INFINITY;
        int br = -1;
        int sr = -1;
        for (int i = 0; i < n; i++) {
            double value = c.cost(i, j) - u[i];
            if (value < b) {
                s2 = b;
                sr = br;
                b = value;
                br = i;
            } else if (value < s2) {
                s2 = value;
                sr = i;
            }
        }
        bestRow[j] = br;
        bestValue[j] = b;
        secondRow[j] = sr;
        secondValue[j] = sr < 0 ? Double.POSITIVE_INFINITY : s2;
    }
}
