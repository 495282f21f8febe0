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

    static CostRows of(PairwiseCost cost, long denseEntries, boolean floatCosts) {
        return (long) cost.rows() * cost.cols() <= denseEntries ? new Kept(cost) : new Tiled(cost, floatCosts);
    }

    /** A buffer a task may reuse for {@link #load}. */
    abstract double[] scratch();

    /** Rows [i0, i1): returns the array holding them; row i starts at {@link #offset}(i, i0). */
    abstract double[] load(int i0, int i1, double[] scratch);

    abstract int offset(int i, int i0);

    /** Rows per tile a task should load at once. */
    abstract int tileRows();

    /** Rows [i0, i1) x columns [j0, j1) into out, row-major with stride j1 - j0. */
    abstract void loadBlock(int i0, int i1, int j0, int j1, double[] out);

    /** Costs computed in float: the sweeps keep their exponentials in float too (their error is then far below the costs'). */
    boolean inFloat() {
        return false;
    }

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

        @Override
        void loadBlock(int i0, int i1, int j0, int j1, double[] out) {
            for (int i = i0; i < i1; i++) {
                System.arraycopy(c, i * m + j0, out, (i - i0) * (j1 - j0), j1 - j0);
            }
        }
    }

    private static final class Tiled extends CostRows {
        private final PairwiseCost cost;
        private final int tile;
        private final boolean floatCosts;

        Tiled(PairwiseCost cost, boolean floatCosts) {
            super(cost.rows(), cost.cols());
            this.cost = cost;
            this.floatCosts = floatCosts;
            // double: about 1 MB of costs per tile (reused while still in L2); float: 16 rows share each pass over
            // Y's column chunks, and the tile (16 m doubles) stays in L3
            this.tile = floatCosts ? 16 : Math.max(4, Math.min(64, (1 << 17) / Math.max(1, m) / 4 * 4));
        }

        @Override
        double[] scratch() {
            return new double[tile * m];
        }

        @Override
        double[] load(int i0, int i1, double[] scratch) {
            if (floatCosts) {
                cost.fillFloat(i0, i1, scratch);
            } else {
                cost.fill(i0, i1, scratch);
            }
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

        @Override
        boolean inFloat() {
            return floatCosts;
        }

        @Override
        void loadBlock(int i0, int i1, int j0, int j1, double[] out) {
            cost.fillBlock(i0, i1, j0, j1, floatCosts, out);
        }
    }
}
