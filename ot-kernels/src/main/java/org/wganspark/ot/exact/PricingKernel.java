package org.wganspark.ot.exact;

import java.io.Serializable;
import java.util.Arrays;
import java.util.stream.IntStream;
import org.wganspark.ot.Blocks;
import org.wganspark.ot.cost.PairwiseCost;

/**
 * One pricing pass of the shortlist solver over a range of rows: for each row, the columns whose reduced
 * cost c_ij - u_i - v_j is below -tolerance, or below a slack that also takes nearly binding pairs (the most
 * negative, up to the row's capacity: {@code addPerRow}, more for a row heavier than average), the number of
 * violations, and the largest dual violation u_i + v_j - c_ij among the pairs it had to evaluate. Pairs whose
 * projected lower bound already exceeds u_i + v_j + slack are proven non-violating without their exact cost. A
 * row stops evaluating once it has found 4 x its capacity in violations: such a pass adds arcs and is not a
 * certificate, while the final pass (no violation anywhere) evaluates every pair the bound cannot rule out.
 * Ranges are independent, so Spark tasks or threads can each take one; {@link Pricing#merge} is associative and
 * {@link Pricing#sorted} fixes the order, so the answer does not depend on the split.
 */
public final class PricingKernel implements Serializable {

    /** Survivors are costed in chunks: vectorized in fours, and a row can still stop early. */
    private static final int CHUNK = 32;
    /** Rows that share a column tile. */
    static final int ROW_BLOCK = 64;
    /** Columns per tile: 2048 x 65 lifted float coordinates, 530 KB. */
    static final int COLUMN_TILE = 2048;
    private static final org.wganspark.ot.cost.DistanceKernel KERNEL = org.wganspark.ot.cost.DistanceKernel.BEST;

    private final PairwiseCost cost;
    private final Projection bound;
    private final double tolerance;
    private final int[] rowCapacity;

    /** @param rowCapacity arcs a row may add per pass (heavy rows of weighted problems need more) */
    PricingKernel(PairwiseCost cost, Projection bound, double tolerance, int[] rowCapacity) {
        this.cost = cost;
        this.bound = bound;
        this.tolerance = tolerance;
        this.rowCapacity = rowCapacity;
    }

    public int rows() {
        return cost.rows();
    }

    /** Violated arcs found by a pass, and what the pass saw. */
    public record Pricing(int[] rows, int[] cols, double[] costs, int count, long violations, double maxViolation, long exactEvaluations)
            implements Serializable {

        public static final Pricing EMPTY = new Pricing(new int[0], new int[0], new double[0], 0, 0, Double.NEGATIVE_INFINITY, 0);

        public Pricing merge(Pricing o) {
            int total = count + o.count;
            int[] r = Arrays.copyOf(rows, total);
            int[] c = Arrays.copyOf(cols, total);
            double[] k = Arrays.copyOf(costs, total);
            System.arraycopy(o.rows, 0, r, count, o.count);
            System.arraycopy(o.cols, 0, c, count, o.count);
            System.arraycopy(o.costs, 0, k, count, o.count);
            return new Pricing(r, c, k, total, violations + o.violations, Math.max(maxViolation, o.maxViolation),
                    exactEvaluations + o.exactEvaluations);
        }

        /** The same arcs ordered by (row, column): the order a pass over all rows in sequence gives. */
        public Pricing sorted() {
            int[] r = Arrays.copyOf(rows, count);
            int[] c = Arrays.copyOf(cols, count);
            double[] k = Arrays.copyOf(costs, count);
            // The passes emit rows in ascending order, each row's few arcs in heap order: an insertion sort is then
            // linear in the arcs times a row's arcs, with no boxing. Anything else (rows out of order, a heavy row's
            // thousands of arcs) falls back to a general sort.
            long moves = 0;
            for (int t = 1; t < count; t++) {
                int row = r[t];
                int col = c[t];
                double cost = k[t];
                int s = t - 1;
                if (r[s] > row) {
                    return sortedInGeneral();
                }
                while (s >= 0 && r[s] == row && c[s] > col) {
                    if (++moves > 64L * count) {
                        return sortedInGeneral();
                    }
                    r[s + 1] = r[s];
                    c[s + 1] = c[s];
                    k[s + 1] = k[s];
                    s--;
                }
                r[s + 1] = row;
                c[s + 1] = col;
                k[s + 1] = cost;
            }
            return new Pricing(r, c, k, count, violations, maxViolation, exactEvaluations);
        }

        private Pricing sortedInGeneral() {
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
            return new Pricing(r, c, k, count, violations, maxViolation, exactEvaluations);
        }
    }

    /** All rows, in row blocks on this JVM's cores. */
    public Pricing priceInParallel(double[] u, double[] v, double costScale, double slack) {
        int n = cost.rows();
        int blocks = Math.max(1, Math.min(n, Runtime.getRuntime().availableProcessors() * 8));
        return IntStream.range(0, blocks).parallel()
                .mapToObj(b -> price(u, v, costScale, slack, Blocks.start(n, b, blocks), Blocks.start(n, b + 1, blocks)))
                .reduce(Pricing.EMPTY, Pricing::merge).sorted();
    }

    /**
     * Rows [rowFrom, rowTo); single-threaded. Rows go in blocks of {@link #ROW_BLOCK} over column tiles of
     * {@link #COLUMN_TILE}, so a tile's lifted coordinates stay in L2 while the block passes over them; the
     * float bounds of a tile screen each row, and only the survivors get their exact cost. Columns are visited
     * in ascending order in every row whatever the row range, so the answer does not depend on the split.
     */
    public Pricing price(double[] u, double[] v, double costScale, double slack, int rowFrom, int rowTo) {
        int m = cost.cols();
        double tol = tolerance * Math.max(costScale, Double.MIN_NORMAL);
        boolean squareLimit = cost.metric() == org.wganspark.ot.cost.Metric.EUCLIDEAN;
        double slope = 1 + Projection.FLOAT_SLACK;
        double offset = Projection.FLOAT_SLACK * bound.scale;
        double take = slack > 0 ? slack : -tol;  // no slack: violations only
        ArcList out = new ArcList();
        int[] violated = new int[ROW_BLOCK];
        long violations = 0;
        double violation = Double.NEGATIVE_INFINITY;
        long exact = 0;
        double[] tile = new double[ROW_BLOCK * COLUMN_TILE];
        int[] survivors = new int[COLUMN_TILE];
        int[] chunk = new int[CHUNK];
        double[] chunkCost = new double[CHUNK];
        for (int block = rowFrom; block < rowTo; block += ROW_BLOCK) {
            int blockEnd = Math.min(rowTo, block + ROW_BLOCK);
            MostNegative best = new MostNegative(java.util.Arrays.copyOfRange(rowCapacity, block, blockEnd));
            Arrays.fill(violated, 0);
            for (int j0 = 0; j0 < m; j0 += COLUMN_TILE) {
                int j1 = Math.min(m, j0 + COLUMN_TILE);
                bound.tile(block, blockEnd, j0, j1, tile, COLUMN_TILE);
                for (int i = block; i < blockEnd; i++) {
                    int row = i - block;
                    int enough = 4 * rowCapacity[i];
                    if (violated[row] >= enough) {
                        continue;
                    }
                    double ui = u[i];
                    // the rest have c_ij > u_i + v_j + slack for sure
                    int candidates = KERNEL.screenTile(tile, row * COLUMN_TILE, ui + slack, v, j0, j1, squareLimit, slope, offset, survivors);
                    for (int from = 0; from < candidates && violated[row] < enough; from += CHUNK) {
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
                                violated[row]++;
                                violations++;
                            }
                            if (reduced < take) {
                                best.offer(row, j, reduced, c);
                            }
                        }
                    }
                }
            }
            for (int i = block; i < blockEnd; i++) {
                for (int k = 0; k < best.size(i - block); k++) {
                    out.add(i, best.col(i - block, k), best.cost(i - block, k));
                }
            }
        }
        return new Pricing(out.rows(), out.cols(), out.costs(), out.size(), violations, violation, exact);
    }
}
