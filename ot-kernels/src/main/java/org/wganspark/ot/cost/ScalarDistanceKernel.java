package org.wganspark.ot.cost;

/** Plain-Java distances: four independent partial sums so the JIT can pipeline them. */
final class ScalarDistanceKernel extends DistanceKernel {

    @Override
    public double squared(float[] x, int xo, float[] y, int yo, int d) {
        double s0 = 0, s1 = 0, s2 = 0, s3 = 0;
        int k = 0;
        for (; k + 3 < d; k += 4) {
            double t0 = (double) x[xo + k] - y[yo + k];
            double t1 = (double) x[xo + k + 1] - y[yo + k + 1];
            double t2 = (double) x[xo + k + 2] - y[yo + k + 2];
            double t3 = (double) x[xo + k + 3] - y[yo + k + 3];
            s0 += t0 * t0;
            s1 += t1 * t1;
            s2 += t2 * t2;
            s3 += t3 * t3;
        }
        for (; k < d; k++) {
            double t = (double) x[xo + k] - y[yo + k];
            s0 += t * t;
        }
        return (s0 + s1) + (s2 + s3);
    }

    @Override
    public double squared(double[] x, int xo, double[] y, int yo, int d) {
        double s0 = 0, s1 = 0;
        int k = 0;
        for (; k + 1 < d; k += 2) {
            double t0 = x[xo + k] - y[yo + k];
            double t1 = x[xo + k + 1] - y[yo + k + 1];
            s0 += t0 * t0;
            s1 += t1 * t1;
        }
        if (k < d) {
            double t = x[xo + k] - y[yo + k];
            s0 += t * t;
        }
        return s0 + s1;
    }

    @Override
    public void squaredToColumns(float[] x, int i, float[] y, int[] cols, int count, int d, double[] out) {
        for (int s = 0; s < count; s++) {
            out[s] = squared(x, i * d, y, cols[s] * d, d);
        }
    }

    @Override
    public void squaredBlock(float[] x, int i0, int i1, float[] y, int j0, int j1, int d, double[] out, int offset, int stride) {
        for (int i = i0; i < i1; i++) {
            for (int j = j0; j < j1; j++) {
                out[offset + (i - i0) * stride + (j - j0)] = squared(x, i * d, y, j * d, d);
            }
        }
    }

    @Override
    public void costsTransposedFloat(float[] x, int i0, int i1, float[] yT, int m, int d, boolean root, int j0, int j1, double[] out, int stride) {
        for (int i = i0; i < i1; i++) {
            costsTransposedRange(x, i, yT, m, d, root, j0, j1, out, (i - i0) * stride - j0);
        }
    }

    /** Columns [from, to) of row i of {@link #costsTransposedFloat}: column j goes to out[base + j]. */
    static void costsTransposedRange(float[] x, int i, float[] yT, int m, int d, boolean root, int from, int to, double[] out, int base) {
        for (int j = from; j < to; j++) {
            float s = 0;
            for (int k = 0; k < d; k++) {
                float t = yT[k * m + j] - x[i * d + k];
                s = Math.fma(t, t, s);  // as a vector lane does: the same bits wherever a pair falls
            }
            out[base + j] = root ? (float) Math.sqrt(s) : s;  // the float root, as the vector kernel
        }
    }

    @Override
    public double dot(double[] a, int ao, double[] b, int bo, int length) {
        double s0 = 0, s1 = 0;
        int k = 0;
        for (; k + 1 < length; k += 2) {
            s0 += a[ao + k] * b[bo + k];
            s1 += a[ao + k + 1] * b[bo + k + 1];
        }
        if (k < length) {
            s0 += a[ao + k] * b[bo + k];
        }
        return s0 + s1;
    }

    @Override
    public void axpy(double alpha, double[] x, int xo, double[] y, int yo, int length) {
        for (int k = 0; k < length; k++) {
            y[yo + k] += alpha * x[xo + k];
        }
    }

    @Override
    public int screenTile(double[] bound, int bo, double u, double[] v, int j0, int j1, boolean squareLimit, double slope, double offset,
                          int[] survivors) {
        return screenTileRange(bound, bo, u, v, j0, j0, j1, squareLimit, slope, offset, survivors, 0);
    }

    /** Columns [from, to) of {@link #screenTile} over a tile starting at column j0, after {@code count} survivors. */
    static int screenTileRange(double[] bound, int bo, double u, double[] v, int j0, int from, int to, boolean squareLimit, double slope,
                               double offset, int[] survivors, int count) {
        for (int j = from; j < to; j++) {
            double t = u + v[j];
            if (t > 0 && bound[bo + j - j0] <= slope * (squareLimit ? t * t : t) + offset) {
                survivors[count++] = j;
            }
        }
        return count;
    }

    @Override
    public String name() {
        return "scalar";
    }
}
