package org.wganspark.ot.exact;

import java.util.stream.IntStream;
import org.wganspark.ot.cost.PairwiseCost;

/**
 * Each column's costs to every row, nearest first (column j's are entries start[j] to start[j + 1]), and which columns
 * are heavy: heavier than half the lightest row (Fashion-MNIST's blank patch holds 18 % of the mass). One pass over all
 * pairs in float, tiles of columns in parallel, the kept costs recomputed exactly: for few rows, where n costs a column
 * fit in memory.
 */
final class ColumnCosts {

    private static final int TILE = 256;

    final int[] start;
    final int[] row;
    final double[] cost;
    final int heavy;
    private final boolean[] heavyColumn;

    private ColumnCosts(int[] start, int[] row, double[] cost, boolean[] heavyColumn, int heavy) {
        this.start = start;
        this.row = row;
        this.cost = cost;
        this.heavyColumn = heavyColumn;
        this.heavy = heavy;
    }

    boolean isHeavy(int j) {
        return heavyColumn[j];
    }

    static ColumnCosts all(PairwiseCost c, long[] rowUnits, long[] colUnits) {
        int n = c.rows();
        int m = c.cols();
        long lightest = Long.MAX_VALUE;
        for (long r : rowUnits) {
            if (r > 0) {
                lightest = Math.min(lightest, r);
            }
        }
        boolean[] heavyColumn = new boolean[m];
        int heavy = 0;
        for (int j = 0; j < m; j++) {
            if (2 * colUnits[j] > lightest) {
                heavyColumn[j] = true;
                heavy++;
            }
        }
        int[] start = new int[m + 1];
        for (int j = 0; j < m; j++) {
            start[j + 1] = start[j] + n;
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
                for (int i = 0; i < n; i++) {
                    column[i] = block[i * w + j - j0];
                }
                org.wganspark.ot.IndexSort.argsort(column, order);
                System.arraycopy(order, 0, row, start[j], n);
                for (int s = start[j]; s < start[j + 1]; s++) {
                    cost[s] = c.cost(row[s], j);
                }
                sortByCost(row, cost, start[j], start[j + 1]);
            }
        });
        return new ColumnCosts(start, row, cost, heavyColumn, heavy);
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
