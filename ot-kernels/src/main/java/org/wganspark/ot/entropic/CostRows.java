package org.wganspark.ot.entropic;

import org.wganspark.ot.cost.PairwiseCost;

/**
 * Cost rows for Sinkhorn's passes: the kept matrix when it fits, else row tiles recomputed on each pass
 * (never the n x m matrix).
 */
abstract class CostRows {

    final int n;
    final int m;

    CostRows(int n, int m) {
        this.n = n;
        this.m = m;
    }

    static CostRows of(PairwiseCost cost, long denseEntries) {
        return (long) cost.rows() * cost.cols() <= denseEntries ? new Kept(cost) : new Tiled(cost);
    }

    /** A buffer a task may reuse for {@link #load}. */
    abstract double[] scratch();

    /** Rows [i0, i1): returns the array holding them; row i starts at {@link #offset}(i, i0). */
    abstract double[] load(int i0, int i1, double[] scratch);

    abstract int offset(int i, int i0);

    /** Rows per tile a task should load at once. */
    abstract int tileRows();

    /** The kept matrix, or null when costs are tiled. */
    double[] matrix() {
        return null;
    }

    private static final class Kept extends CostRows {
        private final double[] c;

        @Override
        double[] matrix() {
            return c;
        }

        Kept(PairwiseCost cost) {
            super(cost.rows(), cost.cols());
            c = cost.dense();
        }

        @Override
        double[] scratch() {
            return null;
        }

        @Override
        double[] load(int i0, int i1, double[] scratch) {
            return c;
        }

        @Override
        int offset(int i, int i0) {
            return i * m;
        }

        @Override
        int tileRows() {
            return 64;
        }
    }

    private static final class Tiled extends CostRows {
        private final PairwiseCost cost;
        private final int tile;

        Tiled(PairwiseCost cost) {
            super(cost.rows(), cost.cols());
            this.cost = cost;
            // about 1 MB of costs per tile: the tile is reused twice while it is still in L2
            this.tile = Math.max(4, Math.min(64, (1 << 17) / Math.max(1, m) / 4 * 4));
        }

        @Override
        double[] scratch() {
            return new double[tile * m];
        }

        @Override
        double[] load(int i0, int i1, double[] scratch) {
            cost.fill(i0, i1, scratch);
            return scratch;
        }

        @Override
        int offset(int i, int i0) {
            return (i - i0) * m;
        }

        @Override
        int tileRows() {
            return tile;
        }
    }
}
