package org.wganspark.ot.exact;

import java.io.Serializable;
import java.util.Arrays;
import java.util.stream.IntStream;
import org.wganspark.ot.cost.PairwiseCost;

/**
 * One pricing pass of the shortlist solver over a range of rows: for each row, the columns whose reduced
 * cost c_ij - u_i - v_j is below -tolerance (at most {@code addPerRow}, the most negative), and the
 * largest dual violation u_i + v_j - c_ij among the pairs it had to evaluate. Pairs whose projected lower
 * bound already exceeds u_i + v_j are proven non-violating without their exact cost. A row stops evaluating
 * once it has found {@code 4 * addPerRow} violations: such a pass adds arcs and is not a certificate, while
 * the final pass (no violation anywhere) evaluates every pair the bound cannot rule out. Ranges are
 * independent, so Spark tasks or threads can each take one; {@link Pricing#merge} is associative and
 * {@link Pricing#sorted} fixes the order, so the answer does not depend on the split.
 */
public final class PricingKernel implements Serializable {

    /** Survivors are costed in chunks: vectorized in fours, and a row can still stop early. */
    private static final int CHUNK = 32;

    private final PairwiseCost cost;
    private final Projection bound;
    private final double tolerance;
    private final int addPerRow;

    PricingKernel(PairwiseCost cost, Projection bound, double tolerance, int addPerRow) {
        this.cost = cost;
        this.bound = bound;
        this.tolerance = tolerance;
        this.addPerRow = addPerRow;
    }

    public int rows() {
        return cost.rows();
    }

    /** Violated arcs found by a pass, and what the pass saw. */
    public record Pricing(int[] rows, int[] cols, double[] costs, int count, double maxViolation, long exactEvaluations)
            implements Serializable {

        public static final Pricing EMPTY = new Pricing(new int[0], new int[0], new double[0], 0, Double.NEGATIVE_INFINITY, 0);

        public Pricing merge(Pricing o) {
            int total = count + o.count;
            int[] r = Arrays.copyOf(rows, total);
            int[] c = Arrays.copyOf(cols, total);
            double[] k = Arrays.copyOf(costs, total);
            System.arraycopy(o.rows, 0, r, count, o.count);
            System.arraycopy(o.cols, 0, c, count, o.count);
            System.arraycopy(o.costs, 0, k, count, o.count);
            return new Pricing(r, c, k, total, Math.max(maxViolation, o.maxViolation), exactEvaluations + o.exactEvaluations);
        }

        /** The same arcs ordered by (row, column): the order a pass over all rows in sequence gives. */
        public Pricing sorted() {
            Integer[] order = new Integer[count];
            for (int k = 0; k < count; k++) {
                order[k] = k;
            }
            Arrays.sort(order, (p, q) -> rows[p] != rows[q] ? Integer.compare(rows[p], rows[q]) : Integer.compare(cols[p], cols[q]));
            int[] r = new int[count];
            int[] c = new int[count];
            double[] k = new double[count];
            for (int t = 0; t < count; t++) {
                r[t] = rows[order[t]];
                c[t] = cols[order[t]];
                k[t] = costs[order[t]];
            }
            return new Pricing(r, c, k, count, maxViolation, exactEvaluations);
        }
    }

    /** All rows, in row blocks on this JVM's cores. */
    public Pricing priceInParallel(double[] u, double[] v, double costScale) {
        int n = cost.rows();
        int blocks = Math.max(1, Math.min(n, Runtime.getRuntime().availableProcessors() * 8));
        return IntStream.range(0, blocks).parallel()
                .mapToObj(b -> price(u, v, costScale, (int) ((long) n * b / blocks), (int) ((long) n * (b + 1) / blocks)))
                .reduce(Pricing.EMPTY, Pricing::merge).sorted();
    }

    /** Rows [rowFrom, rowTo); single-threaded. */
    public Pricing price(double[] u, double[] v, double costScale, int rowFrom, int rowTo) {
        int m = cost.cols();
        int perRow = addPerRow;
        double tol = tolerance * Math.max(costScale, Double.MIN_NORMAL);
        double margin = 1e-9 * bound.scale;
        ShortlistSolver.ArcList out = new ShortlistSolver.ArcList();
        int[] bestCol = new int[perRow];
        double[] bestReduced = new double[perRow];
        double[] bestCost = new double[perRow];
        double violation = Double.NEGATIVE_INFINITY;
        long exact = 0;
        double[] limit = new double[m];
        float[] screenLimit = new float[m];
        int[] survivors = new int[m];
        int enough = 4 * perRow;
        int[] chunk = new int[CHUNK];
        double[] chunkCost = new double[CHUNK];
        for (int i = rowFrom; i < rowTo; i++) {
            int kept = 0;
            int violated = 0;
            double ui = u[i];
            for (int j = 0; j < m; j++) {
                double threshold = ui + v[j];  // the pair violates when c_ij < threshold
                // threshold <= 0: c_ij >= 0 cannot violate (limit 0 skips the pair)
                limit[j] = threshold <= 0 ? 0 : cost.metric().squaredOf(threshold) * (1 + 1e-9) + margin;
                screenLimit[j] = bound.screenLimit(limit[j]);
            }
            int candidates = bound.screenRow(i, screenLimit, limit, survivors);  // the rest have c_ij > u_i + v_j for sure
            for (int from = 0; from < candidates && violated < enough; from += CHUNK) {
                int count = Math.min(CHUNK, candidates - from);
                System.arraycopy(survivors, from, chunk, 0, count);
                cost.costsToColumns(i, chunk, count, chunkCost);
                exact += count;
                for (int s = 0; s < count; s++) {
                    int j = chunk[s];
                    double c = chunkCost[s];
                    double reduced = c - (ui + v[j]);
                    violation = Math.max(violation, -reduced);
                    if (reduced < -tol) {
                        violated++;
                        // keep the perRow most negative reduced costs of this row
                        if (kept < perRow) {
                            bestCol[kept] = j;
                            bestReduced[kept] = reduced;
                            bestCost[kept] = c;
                            kept++;
                        } else {
                            int worst = 0;
                            for (int w = 1; w < perRow; w++) {
                                if (bestReduced[w] > bestReduced[worst]) {
                                    worst = w;
                                }
                            }
                            if (reduced < bestReduced[worst]) {
                                bestCol[worst] = j;
                                bestReduced[worst] = reduced;
                                bestCost[worst] = c;
                            }
                        }
                    }
                }
            }
            for (int s = 0; s < kept; s++) {
                out.add(i, bestCol[s], bestCost[s]);
            }
        }
        return new Pricing(out.rows(), out.cols(), out.costs(), out.size(), violation, exact);
    }
}
