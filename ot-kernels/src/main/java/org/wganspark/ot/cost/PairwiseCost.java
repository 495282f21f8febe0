package org.wganspark.ot.cost;

/**
 * Exact costs between the rows of X (n x d) and Y (m x d), computed directly as sum_k (x_k - y_k)^2 in
 * double: no |x|^2 + |y|^2 - 2xy expansion, so close points lose no digits (relative error ~ d * 2^-53).
 */
public final class PairwiseCost implements java.io.Serializable {

    private final PointSet x;
    private final PointSet y;
    private final Metric metric;

    public PairwiseCost(PointSet x, PointSet y, Metric metric) {
        if (x.d() != y.d()) {
            throw new IllegalArgumentException("X has dimension " + x.d() + ", Y has dimension " + y.d());
        }
        this.x = x;
        this.y = y;
        this.metric = metric;
    }

    public int rows() {
        return x.n();
    }

    public int cols() {
        return y.n();
    }

    public int dimension() {
        return x.d();
    }

    public Metric metric() {
        return metric;
    }

    public PointSet x() {
        return x;
    }

    public PointSet y() {
        return y;
    }

    public double squaredDistance(int i, int j) {
        float[] xv = x.values();
        float[] yv = y.values();
        int d = x.d();
        int xo = i * d;
        int yo = j * d;
        // four partial sums: independent chains the JIT can pipeline
        double s0 = 0, s1 = 0, s2 = 0, s3 = 0;
        int k = 0;
        for (; k + 3 < d; k += 4) {
            double t0 = (double) xv[xo + k] - yv[yo + k];
            double t1 = (double) xv[xo + k + 1] - yv[yo + k + 1];
            double t2 = (double) xv[xo + k + 2] - yv[yo + k + 2];
            double t3 = (double) xv[xo + k + 3] - yv[yo + k + 3];
            s0 += t0 * t0;
            s1 += t1 * t1;
            s2 += t2 * t2;
            s3 += t3 * t3;
        }
        for (; k < d; k++) {
            double t = (double) xv[xo + k] - yv[yo + k];
            s0 += t * t;
        }
        return (s0 + s1) + (s2 + s3);
    }

    public double cost(int i, int j) {
        return metric.fromSquared(squaredDistance(i, j));
    }

    /** Rows [rowFrom, rowTo) of the cost matrix, row-major into {@code out} (modified). */
    public void fill(int rowFrom, int rowTo, double[] out) {
        int m = y.n();
        for (int i = rowFrom; i < rowTo; i++) {
            int base = (i - rowFrom) * m;
            for (int j = 0; j < m; j++) {
                out[base + j] = cost(i, j);
            }
        }
    }

    /** The whole n x m matrix; only for problems that fit (n * m < 2^31). */
    public double[] dense() {
        long size = (long) x.n() * y.n();
        if (size > Integer.MAX_VALUE - 8) {
            throw new IllegalArgumentException("a dense " + x.n() + " x " + y.n() + " cost matrix does not fit in one array");
        }
        double[] c = new double[(int) size];
        fill(0, x.n(), c);
        return c;
    }
}
