package org.wganspark.ot.cost;

/**
 * Squared Euclidean distances between float (or float64) rows, the hot loop of every OT kernel. Differences of two floats
 * are exact in double and are squared and summed in double, so costs keep ~1e-15 relative accuracy even for
 * nearly equal points (no |x|^2 + |y|^2 - 2xy expansion). The float variants (pricing screens, entropic OT on
 * small d) accumulate in float.
 *
 * <p>{@link #BEST} is the Vector API kernel when the JVM runs with {@code --add-modules jdk.incubator.vector}
 * (bin/wgan-spark and the Spark configs pass it), else the plain-Java one; both give the same values up to
 * summation order.
 */
public abstract class DistanceKernel {

    public static final DistanceKernel SCALAR = new ScalarDistanceKernel();
    public static final DistanceKernel BEST = choose();

    private static DistanceKernel choose() {
        return org.wganspark.ot.VectorApi.choose(() -> new VectorDistanceKernel(), SCALAR);
    }

    /** ||x[xo, xo + d) - y[yo, yo + d)||^2 in double. */
    public abstract double squared(float[] x, int xo, float[] y, int yo, int d);

    /** out[s] = ||x_i - y_{cols[s]}||^2 for s < count, rows of width d. */
    public abstract void squaredToColumns(float[] x, int i, float[] y, int[] cols, int count, int d, double[] out);

    /** Rows [i0, i1) of x against rows [j0, j1) of y, row-major into out at offset + (i - i0) * stride + (j - j0). */
    public abstract void squaredBlock(float[] x, int i0, int i1, float[] y, int j0, int j1, int d, double[] out, int offset, int stride);

    /** ||x[xo, xo + d) - y[yo, yo + d)||^2 of float64 rows, in double. */
    public abstract double squared(double[] x, int xo, double[] y, int yo, int d);

    /** {@link #squaredToColumns} for float64 rows. */
    public void squaredToColumns(double[] x, int i, double[] y, int[] cols, int count, int d, double[] out) {
        for (int s = 0; s < count; s++) {
            out[s] = squared(x, i * d, y, cols[s] * d, d);
        }
    }

    /** {@link #squaredBlock} for float64 rows. */
    public void squaredBlock(double[] x, int i0, int i1, double[] y, int j0, int j1, int d, double[] out, int offset, int stride) {
        for (int i = i0; i < i1; i++) {
            for (int j = j0; j < j1; j++) {
                out[offset + (i - i0) * stride + (j - j0)] = squared(x, i * d, y, j * d, d);
            }
        }
    }

    /**
     * Costs of rows [i0, i1) of x against all m columns of y given coordinate-major ({@code yT[k * m + j]}),
     * accumulated in float (relative error ~ d * 2^-24), then square-rooted if {@code root}, into
     * out[(i - i0) * m + j] as doubles. The fast path for small d (patches): vectorized across columns, with
     * column chunks that stay in L2 while the rows pass over them.
     */
    public final void costsTransposedFloat(float[] x, int i0, int i1, float[] yT, int m, int d, boolean root, double[] out) {
        costsTransposedFloat(x, i0, i1, yT, m, d, root, 0, m, out, m);
    }

    /** Columns [j0, j1) of {@link #costsTransposedFloat} into out[(i - i0) * stride + (j - j0)]. */
    public abstract void costsTransposedFloat(float[] x, int i0, int i1, float[] yT, int m, int d, boolean root, int j0, int j1, double[] out,
                                              int stride);

    /** sum_k a[ao + k] * b[bo + k]. */
    public abstract double dot(double[] a, int ao, double[] b, int bo, int length);

    /** y[yo + k] += alpha * x[xo + k]. */
    public abstract void axpy(double alpha, double[] x, int xo, double[] y, int yo, int length);

    /**
     * A pricing screen over one row of a tile of lower bounds on squared distances: the columns j in [j0, j1)
     * (ascending) with t = u + v[j] > 0 and bound[bo + j - j0] <= slope * (t^2 if squareLimit else t) + offset
     * go to {@code survivors}; returns their count. The rest cannot have cost below u + v[j].
     */
    public abstract int screenTile(double[] bound, int bo, double u, double[] v, int j0, int j1, boolean squareLimit, double slope,
                                   double offset, int[] survivors);

    public abstract String name();
}
