package org.wganspark.ot.cost;

/**
 * Exact costs between the rows of X (n x d) and Y (m x d), computed directly as sum_k (x_k - y_k)^2 in
 * double: no |x|^2 + |y|^2 - 2xy expansion, so close points lose no digits (relative error ~ d * 2^-53).
 * The one exception is {@link #dense()}, which uses the expansion through BLAS where its error bound allows.
 *
 * <p>When either set is float64 ({@link PointSet#isDouble()}), every exact cost is computed from the doubles (the
 * float32 set widened, exactly), and the float fast path works on both sets centred on Y's mean before rounding,
 * so data far from the origin keeps its resolution there too.
 */
public final class PairwiseCost implements java.io.Serializable {

    private final PointSet x;
    private final PointSet y;
    private final Metric metric;

    private final boolean inDouble;

    public PairwiseCost(PointSet x, PointSet y, Metric metric) {
        if (x.d() != y.d()) {
            throw new IllegalArgumentException("X has dimension " + x.d() + ", Y has dimension " + y.d());
        }
        this.x = x;
        this.y = y;
        this.metric = metric;
        this.inDouble = x.isDouble() || y.isDouble();
    }

    /** "float64" when either set is, else "float32": the precision of the exact costs. */
    public String precision() {
        return inDouble ? "float64" : "float32";
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

    /** Float X and coordinate-major float Y (d x m) for the float fast path, built on first use. */
    private transient volatile float[][] floatView;
    /** Both sets as doubles (float64 mode), built on first use. */
    private transient volatile double[][] wide;

    private float[][] floatView() {
        float[][] view = floatView;
        if (view == null) {
            synchronized (this) {
                view = floatView;
                if (view == null) {
                    int m = y.n();
                    int d = y.d();
                    double[] shift = new double[d];
                    if (inDouble) {
                        for (int j = 0; j < m; j++) {
                            for (int k = 0; k < d; k++) {
                                shift[k] += y.coordinate(j * d + k);
                            }
                        }
                        for (int k = 0; k < d; k++) {
                            shift[k] /= m;
                        }
                    }
                    float[] xf = x.values();
                    if (inDouble) {
                        xf = new float[x.n() * d];
                        for (int k = 0; k < xf.length; k++) {
                            xf[k] = (float) (x.coordinate(k) - shift[k % d]);
                        }
                    }
                    float[] t = new float[m * d];
                    for (int j = 0; j < m; j++) {
                        for (int k = 0; k < d; k++) {
                            t[k * m + j] = inDouble ? (float) (y.coordinate(j * d + k) - shift[k]) : y.values()[j * d + k];
                        }
                    }
                    view = new float[][] {xf, t};
                    floatView = view;
                }
            }
        }
        return view;
    }

    private double[][] wide() {
        double[][] w = wide;
        if (w == null) {
            synchronized (this) {
                w = wide;
                if (w == null) {
                    w = new double[][] {x.widened(), y.widened()};
                    wide = w;
                }
            }
        }
        return w;
    }

    /** Rows [rowFrom, rowTo) of the cost matrix like {@link #fill}, accumulated in float (relative error ~ d 2^-24): fast for small d. */
    public void fillFloat(int rowFrom, int rowTo, double[] out) {
        float[][] view = floatView();
        DistanceKernel.BEST.costsTransposedFloat(view[0], rowFrom, rowTo, view[1], y.n(), x.d(), metric == Metric.EUCLIDEAN, out);
    }

    public double squaredDistance(int i, int j) {
        int d = x.d();
        if (inDouble) {
            double[][] w = wide();
            return DistanceKernel.BEST.squared(w[0], i * d, w[1], j * d, d);
        }
        return DistanceKernel.BEST.squared(x.values(), i * d, y.values(), j * d, d);
    }

    /** out[s] = cost(i, cols[s]) for s < count. */
    public void costsToColumns(int i, int[] cols, int count, double[] out) {
        if (inDouble) {
            double[][] w = wide();
            DistanceKernel.BEST.squaredToColumns(w[0], i, w[1], cols, count, x.d(), out);
        } else {
            DistanceKernel.BEST.squaredToColumns(x.values(), i, y.values(), cols, count, x.d(), out);
        }
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
        fillBlock(rowFrom, rowTo, 0, y.n(), false, out);
    }

    /**
     * The block rows [rowFrom, rowTo) x columns [colFrom, colTo) into out[(i - rowFrom) * (colTo - colFrom) + j - colFrom]:
     * in double like {@link #fill}, or accumulated in float like {@link #fillFloat}.
     */
    public void fillBlock(int rowFrom, int rowTo, int colFrom, int colTo, boolean inFloat, double[] out) {
        int width = colTo - colFrom;
        boolean root = metric == Metric.EUCLIDEAN;
        if (inFloat) {
            float[][] view = floatView();
            DistanceKernel.BEST.costsTransposedFloat(view[0], rowFrom, rowTo, view[1], y.n(), x.d(), root, colFrom, colTo, out, width);
            return;
        }
        squaredBlock(rowFrom, rowTo, colFrom, colTo, out, 0, width);
        if (root) {
            int size = (rowTo - rowFrom) * width;
            for (int k = 0; k < size; k++) {
                out[k] = Math.sqrt(out[k]);
            }
        }
    }

    /** Squared distances of rows [i0, i1) and columns [j0, j1) into out at offset + (i - i0) * stride + (j - j0). */
    private void squaredBlock(int i0, int i1, int j0, int j1, double[] out, int offset, int stride) {
        if (inDouble) {
            double[][] w = wide();
            DistanceKernel.BEST.squaredBlock(w[0], i0, i1, w[1], j0, j1, x.d(), out, offset, stride);
        } else {
            DistanceKernel.BEST.squaredBlock(x.values(), i0, i1, y.values(), j0, j1, x.d(), out, offset, stride);
        }
    }

    /** Relative accuracy of every entry of {@link #dense()} on the BLAS path. */
    public static final double DENSE_ACCURACY = 1e-12;

    /**
     * The whole n x m matrix; only for problems that fit (n * m < 2^31). From one BLAS product when OpenBLAS is
     * there, d >= 16 and the sets are float32 (each entry to {@link #DENSE_ACCURACY} relative, see {@link BlasGram}),
     * else from differences.
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
        if (x.d() >= 16 && !inDouble && BlasGram.available()) {
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
                squaredBlock(from, to, j0, Math.min(m, j0 + 256), c, from * m + j0, m);
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
