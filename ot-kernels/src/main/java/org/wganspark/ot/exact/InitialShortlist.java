package org.wganspark.ot.exact;

import java.util.Arrays;
import java.util.function.IntToDoubleFunction;
import java.util.stream.IntStream;
import org.wganspark.ot.Blocks;
import org.wganspark.ot.TopK;
import org.wganspark.ot.Weights;
import org.wganspark.ot.cost.Metric;
import org.wganspark.ot.cost.PairCost;
import org.wganspark.ot.cost.PairwiseCost;

/**
 * The first shortlist of {@link ShortlistSolver}: candidate arcs ranked on the projected bound (the nearest pairs, or
 * the smallest reduced costs under estimated duals), and the arcs of a feasible plan so that the restricted problem
 * always has a solution. The shortlist only has to be good; pricing makes the answer exact.
 */
final class InitialShortlist {

    private InitialShortlist() {
    }

    /**
     * About the k nearest columns of every row and rows of every column, ranked by the projected bound (the
     * shortlist only has to be good; pricing makes the answer exact). Exact costs only for the chosen arcs.
     */
    static void nearestCandidates(PairwiseCost cost, Projection bound, int k, ArcList out) {
        dualCandidates(cost, bound, k, out, new double[cost.rows()], new double[cost.cols()]);
    }

    /**
     * The k columns of every row and rows of every column with the smallest reduced cost c_ij - u_i - v_j
     * for the given (estimated) duals, c_ij estimated by the projected bound; zero duals give the k nearest.
     */
    static void dualCandidates(PairwiseCost cost, Projection bound, int k, ArcList out, double[] u, double[] v) {
        Metric metric = cost.metric();
        int n = cost.rows();
        int m = cost.cols();
        int kr = Math.min(k, m);
        int kc = Math.min(k, n);
        int[] rowBest = new int[n * kr];
        double[] rowBestSq = new double[n * kr];
        Arrays.fill(rowBestSq, Double.POSITIVE_INFINITY);
        int[] colBest = new int[m * kc];
        double[] colBestSq = new double[m * kc];
        Arrays.fill(colBestSq, Double.POSITIVE_INFINITY);
        // rows in parallel blocks; column lists are merged afterwards from per-block copies
        int blocks = Math.max(1, Math.min(n, Runtime.getRuntime().availableProcessors() * 4));
        double[][] blockColSq = new double[blocks][];
        int[][] blockCol = new int[blocks][];
        IntStream.range(0, blocks).parallel().forEach(block -> {
            int from = Blocks.start(n, block, blocks);
            int to = Blocks.start(n, block + 1, blocks);
            double[] cSq = new double[m * kc];
            int[] cIdx = new int[m * kc];
            double[] colWorst = new double[m];
            Arrays.fill(cSq, Double.POSITIVE_INFINITY);
            Arrays.fill(colWorst, Double.POSITIVE_INFINITY);
            int rowBlock = PricingKernel.ROW_BLOCK;
            int width = PricingKernel.COLUMN_TILE;
            double[] tile = new double[rowBlock * width];
            double[] rowWorst = new double[rowBlock];
            for (int first = from; first < to; first += rowBlock) {
                int last = Math.min(to, first + rowBlock);
                Arrays.fill(rowWorst, Double.POSITIVE_INFINITY);
                for (int j0 = 0; j0 < m; j0 += width) {
                    int j1 = Math.min(m, j0 + width);
                    bound.tile(first, last, j0, j1, tile, width);
                    for (int i = first; i < last; i++) {
                        int ro = i * kr;
                        int t = (i - first) * width - j0;
                        double ui = u[i];
                        double worst = rowWorst[i - first];
                        for (int j = j0; j < j1; j++) {
                            double reach = Math.max(worst, colWorst[j]) + ui + v[j];  // key < worst needs c_ij < reach
                            if (reach <= 0 || tile[t + j] > metric.squaredOf(reach)) {
                                continue;
                            }
                            double key = metric.fromSquared(tile[t + j]) - ui - v[j];
                            if (key < worst) {
                                worst = TopK.offer(rowBestSq, rowBest, ro, kr, key, j);
                            }
                            if (key < colWorst[j]) {
                                colWorst[j] = TopK.offer(cSq, cIdx, j * kc, kc, key, i);
                            }
                        }
                        rowWorst[i - first] = worst;
                    }
                }
            }
            blockColSq[block] = cSq;
            blockCol[block] = cIdx;
        });
        for (int block = 0; block < blocks; block++) {
            for (int j = 0; j < m; j++) {
                for (int s = 0; s < kc; s++) {
                    double sq = blockColSq[block][j * kc + s];
                    if (sq < Double.POSITIVE_INFINITY) {
                        TopK.offer(colBestSq, colBest, j * kc, kc, sq, blockCol[block][j * kc + s]);
                    }
                }
            }
        }
        for (int i = 0; i < n; i++) {
            for (int s = 0; s < kr; s++) {
                if (rowBestSq[i * kr + s] < Double.POSITIVE_INFINITY) {
                    out.addUnique(i, rowBest[i * kr + s], cost.cost(i, rowBest[i * kr + s]));
                }
            }
        }
        for (int j = 0; j < m; j++) {
            for (int s = 0; s < kc; s++) {
                if (colBestSq[j * kc + s] < Double.POSITIVE_INFINITY) {
                    out.addUnique(colBest[j * kc + s], j, cost.cost(colBest[j * kc + s], j));
                }
            }
        }
    }

    static int[] identity(int n) {
        int[] order = new int[n];
        for (int i = 0; i < n; i++) {
            order[i] = i;
        }
        return order;
    }

    static int[] sortedBy(int n, IntToDoubleFunction key) {
        return IntStream.range(0, n).boxed().sorted((p, q) -> Double.compare(key.applyAsDouble(p), key.applyAsDouble(q)))
                .mapToInt(Integer::intValue).toArray();
    }

    /**
     * Arcs of a feasible plan: the north-west corner rule with rows and columns in the given orders (sorted by
     * the first principal coordinate, this is the exact 1-D plan along it). Guarantees the restricted problem is
     * feasible.
     */
    static void feasiblePlanArcs(Weights a, Weights b, PairCost cost, int[] rows, int[] cols, ArcList out) {
        int n = a.size();
        int m = b.size();
        boolean integer = a.isUniform() && b.isUniform();
        double[] left = new double[n];
        double[] need = new double[m];
        for (int i = 0; i < n; i++) {
            left[i] = integer ? m : a.get(i);
        }
        for (int j = 0; j < m; j++) {
            need[j] = integer ? n : b.get(j);
        }
        int p = 0;
        int q = 0;
        while (p < n && q < m) {
            int i = rows[p];
            int j = cols[q];
            out.addUnique(i, j, cost.cost(i, j));
            // the last row takes every remaining column and the last column every remaining row, so rounding
            // residues of general weights can never leave a node without an arc
            if (p == n - 1) {
                q++;
            } else if (q == m - 1) {
                p++;
            } else if (left[i] <= need[j]) {
                need[j] -= left[i];
                p++;
            } else {
                left[i] -= need[j];
                q++;
            }
        }
    }
}
