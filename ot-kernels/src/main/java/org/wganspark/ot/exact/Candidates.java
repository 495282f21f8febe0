package org.wganspark.ot.exact;

import java.util.Arrays;
import java.util.stream.IntStream;
import org.wganspark.ot.cost.PairwiseCost;

/**
 * Each column's nearest rows with their exact costs, in compressed rows (column j's are entries start[j] to
 * start[j + 1], nearest first): k of them, and for a column heavier than half the lightest row as many more as it
 * needs rows to hold it, twice over (Fashion-MNIST's blank patch holds 18 % of the mass: hundreds of rows share it).
 * One pass over all pairs in float, tiles of columns in parallel; the kept costs are recomputed exactly.
 */
final class Candidates {

    private static final int TILE = 256;

    final int[] start;
    final int[] row;
    final double[] cost;
    final int heavy;
    private final boolean[] heavyColumn;

    private Candidates(int[] start, int[] row, double[] cost, boolean[] heavyColumn, int heavy) {
        this.start = start;
        this.row = row;
        this.cost = cost;
        this.heavyColumn = heavyColumn;
        this.heavy = heavy;
    }

    boolean isHeavy(int j) {
        return heavyColumn[j];
    }

    static Candidates nearest(PairwiseCost c, long[] rowUnits, long[] colUnits, int k) {
        int n = c.rows();
        int m = c.cols();
        long lightest = Long.MAX_VALUE;
        for (long r : rowUnits) {
            if (r > 0) {
                lightest = Math.min(lightest, r);
            }
        }
        int[] count = new int[m];
        boolean[] heavyColumn = new boolean[m];
        int heavy = 0;
        for (int j = 0; j < m; j++) {
            int want = Math.min(n, k);
            if (2 * colUnits[j] > lightest) {
                heavyColumn[j] = true;
                heavy++;
                want = (int) Math.min(n, k + 2 * ((colUnits[j] + lightest - 1) / lightest));
            }
            count[j] = want;
        }
        int[] start = new int[m + 1];
        for (int j = 0; j < m; j++) {
            start[j + 1] = start[j] + count[j];
        }
        int[] row = new int[start[m]];
        double[] cost = new double[start[m]];
        int tiles = (m + TILE - 1) / TILE;
        IntStream.range(0, tiles).parallel().forEach(t -> {
            int j0 = t * TILE;
            int j1 = Math.min(m, j0 + TILE);
            int w = j1 - j0;
            double[] block = new double[n * w];
            c.fillBlock(0, n, j0, j1, true, block);
            double[] column = new double[n];
            int[] order = new int[n];
            for (int j = j0; j < j1; j++) {
                int want = count[j];
                if (want * 8 >= n) {
                    for (int i = 0; i < n; i++) {
                        column[i] = block[i * w + j - j0];
                    }
                    org.wganspark.ot.IndexSort.argsort(column, order);
                    System.arraycopy(order, 0, row, start[j], want);
                } else {
                    smallest(block, w, j - j0, n, want, row, start[j]);
                }
                for (int s = start[j]; s < start[j + 1]; s++) {
                    cost[s] = c.cost(row[s], j);
                }
                sortByCost(row, cost, start[j], start[j + 1]);
            }
        });
        return new Candidates(start, row, cost, heavyColumn, heavy);
    }

    /** The want smallest entries of column col of a row-major n x w block, into out[at..at+want). */
    private static void smallest(double[] block, int w, int col, int n, int want, int[] out, int at) {
        double[] best = new double[want];
        Arrays.fill(best, Double.POSITIVE_INFINITY);
        int[] who = new int[want];
        for (int i = 0; i < n; i++) {
            double v = block[i * w + col];
            if (v < best[want - 1]) {
                int p = want - 1;
                while (p > 0 && best[p - 1] > v) {
                    best[p] = best[p - 1];
                    who[p] = who[p - 1];
                    p--;
                }
                best[p] = v;
                who[p] = i;
            }
        }
        System.arraycopy(who, 0, out, at, want);
    }

    private static void sortByCost(int[] row, double[] cost, int from, int to) {
        for (int a = from + 1; a < to; a++) {
            double c = cost[a];
            int r = row[a];
            int b = a - 1;
            while (b >= from && (cost[b] > c || cost[b] == c && row[b] > r)) {
                cost[b + 1] = cost[b];
                row[b + 1] = row[b];
                b--;
            }
            cost[b + 1] = c;
            row[b + 1] = r;
        }
    }
}
