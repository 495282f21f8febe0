package org.wganspark.ot.cost;

/**
 * Exact costs between the rows of X (n x d) and Y (m x d), computed directly as sum_k (x_k - y_k)^2 in
 * double: no |x|^2 + |y|^2 - 2xy expansion, so close points lose no digits (relative error ~ d * 2^-53).
 * The one exception is {@link #dense()}, which uses the expansion through BLAS where its error bound allows.
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

    /** Y coordinate-major (d x m), built on first use by the float fast path. */
    private transient volatile float[] yTransposed;

    private float[] yTransposed() {
        float[] t = yTransposed;
        if (t == null) {
            synchronized (this) {
                t = yTransposed;
                if (t == null) {
                    int m = y.n();
                    int d = y.d();
                    float[] v = y.values();
                    t = new float[m * d];
                    for (int j = 0; j < m; j++) {
                        for (int k = 0; k < d; k++) {
                            t[k * m + j] = v[j * d + k];
                        }
                    }
                    yTransposed = t;
                }
            }
        }
        return t;
    }

    /** Rows [rowFrom, rowTo) of the cost matrix like {@link #fill}, accumulated in float (relative error ~ d 2^-24): fast for small d. */
    public void fillFloat(int rowFrom, int rowTo, double[] out) {
        DistanceKernel.BEST.costsTransposedFloat(x.values(), rowFrom, rowTo, yTransposed(), y.n(), x.d(), metric == Metric.EUCLIDEAN, out);
    }

    public double squaredDistance(int i, int j) {
        int d = x.d();
        return DistanceKernel.BEST.squared(x.values(), i * d, y.values(), j * d, d);
    }

    /** out[s] = cost(i, cols[s]) for s < count. */
    public void costsToColumns(int i, int[] cols, int count, double[] out) {
        DistanceKernel.BEST.squaredToColumns(x.values(), i, y.values(), cols, count, x.d(), out);
        if (metric == Metric.EUCLIDEAN) {
            for (int s = 0; s < count; s++) {
                out[s] = Math.sqrt(out[s]);
            }
        }
    }

    public double cost(int i, int j) {
        return metric.fromSquared(squaredDistance(i, j));
    }

    /** Rows [rowFrom, rowTo) of the cost matrix, row-major into {@code out} (modified). */
    public void fill(int rowFrom, int rowTo, double[] out) {
        int m = y.n();
        DistanceKernel.BEST.squaredBlock(x.values(), rowFrom, rowTo, y.values(), 0, m, x.d(), out, 0, m);
        if (metric == Metric.EUCLIDEAN) {
            int size = (rowTo - rowFrom) * m;
            for (int k = 0; k < size; k++) {
                out[k] = Math.sqrt(out[k]);
            }
        }
    }

    /**
     * The block rows [rowFrom, rowTo) x columns [colFrom, colTo) into out[(i - rowFrom) * (colTo - colFrom) + j - colFrom]:
     * in double like {@link #fill}, or accumulated in float like {@link #fillFloat}.
     */
    public void fillBlock(int rowFrom, int rowTo, int colFrom, int colTo, boolean inFloat, double[] out) {
        int width = colTo - colFrom;
        boolean root = metric == Metric.EUCLIDEAN;
        if (inFloat) {
            DistanceKernel.BEST.costsTransposedFloat(x.values(), rowFrom, rowTo, yTransposed(), y.n(), x.d(), root, colFrom, colTo, out, width);
            return;
        }
        DistanceKernel.BEST.squaredBlock(x.values(), rowFrom, rowTo, y.values(), colFrom, colTo, x.d(), out, 0, width);
        if (root) {
            int size = (rowTo - rowFrom) * width;
            for (int k = 0; k < size; k++) {
                out[k] = Math.sqrt(out[k]);
            }
        }
    }

    /** Relative accuracy of every entry of {@link #dense()} on the BLAS path. */
    public static final double DENSE_ACCURACY = 1e-12;

    /**
     * The whole n x m matrix; only for problems that fit (n * m < 2^31). From one BLAS product when OpenBLAS is
     * there and d >= 16 (each entry to {@link #DENSE_ACCURACY} relative, see {@link BlasGram}), else from differences.
     */
    public double[] dense() {
        return dense(null);
    }

    /**
     * {@link #dense()} written into {@code reuse} (its first n * m entries) when that is long enough, else into a new
     * array; returns the array written.
     */
    public double[] dense(double[] reuse) {
        long size = (long) x.n() * y.n();
        if (size > Integer.MAX_VALUE - 8) {
            throw new IllegalArgumentException("a dense " + x.n() + " x " + y.n() + " cost matrix does not fit in one array");
        }
        double[] c = reuse != null && reuse.length >= size ? reuse : new double[(int) size];
        if (x.d() >= 16 && BlasGram.available()) {
            BlasGram.costs(x, y, metric, DENSE_ACCURACY, c);
            return c;
        }
        int n = x.n();
        int m = y.n();
        int d = x.d();
        int blocks = Math.max(1, (n + 63) / 64);  // 64-row blocks in parallel, written in place
        java.util.stream.IntStream.range(0, blocks).parallel().forEach(b -> {
            int from = b * 64;
            int to = Math.min(n, from + 64);
            // 256-column tiles: the tile of Y stays in L2 while the block's rows pass over it
            for (int j0 = 0; j0 < m; j0 += 256) {
                DistanceKernel.BEST.squaredBlock(x.values(), from, to, y.values(), j0, Math.min(m, j0 + 256), d, c, from * m + j0, m);
            }
            if (metric == Metric.EUCLIDEAN) {
                for (int k = from * m; k < to * m; k++) {
                    c[k] = Math.sqrt(c[k]);
                }
            }
        });
        return c;
    }
}
