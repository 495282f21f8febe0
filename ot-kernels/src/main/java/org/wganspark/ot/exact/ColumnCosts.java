package org.wganspark.ot.exact;

import java.util.stream.IntStream;
import org.wganspark.ot.cost.PairwiseCost;

/**
 * Every column's costs to all n rows, column by column (cost(i, j) at j * n + i), and which columns are heavy: heavier
 * than half the lightest row (Fashion-MNIST's blank patch holds 18 % of the mass). One pass over all pairs in double,
 * tiles of columns in parallel, the same values as {@link PairwiseCost#cost}: for few rows, where n x m costs fit.
 */
final class ColumnCosts {

    private static final int TILE = 256;

    private final int n;
    private final double[] cost;
    private final boolean[] heavyColumn;
    final int heavy;

    private ColumnCosts(int n, double[] cost, boolean[] heavyColumn, int heavy) {
        this.n = n;
        this.cost = cost;
        this.heavyColumn = heavyColumn;
        this.heavy = heavy;
    }

    double cost(int i, int j) {
        return cost[j * n + i];
    }

    boolean isHeavy(int j) {
        return heavyColumn[j];
    }

    static ColumnCosts of(PairwiseCost c, long[] rowUnits, long[] colUnits) {
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
        double[] cost = new double[Math.multiplyExact(n, m)];
        IntStream.range(0, (m + TILE - 1) / TILE).parallel().forEach(t -> {
            int j0 = t * TILE;
            int j1 = Math.min(m, j0 + TILE);
            int w = j1 - j0;
            double[] block = new double[n * w];
            c.fillBlock(0, n, j0, j1, false, block);
            for (int j = j0; j < j1; j++) {
                for (int i = 0; i < n; i++) {
                    cost[j * n + i] = block[i * w + j - j0];
                }
            }
        });
        return new ColumnCosts(n, cost, heavyColumn, heavy);
    }
}
