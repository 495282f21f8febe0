package org.wganspark.ot.cost;

/**
 * n points in R^d, row-major floats (images, patches). Values must be finite.
 *
 * @param values n * d values, not modified by any kernel
 */
public record PointSet(float[] values, int n, int d) implements java.io.Serializable {

    public PointSet {
        if (n < 1 || d < 1) {
            throw new IllegalArgumentException("a point set needs n >= 1 and d >= 1, found n = " + n + ", d = " + d);
        }
        if ((long) n * d != values.length) {
            throw new IllegalArgumentException("point set of " + n + " x " + d + " holds " + values.length + " values");
        }
        for (int k = 0; k < values.length; k++) {
            if (!Float.isFinite(values[k])) {
                throw new IllegalArgumentException("point " + k / d + " has a non-finite value " + values[k] + " at coordinate " + k % d);
            }
        }
    }

    /** The mean of the points of both sets together, summed in double (x's rows, then y's). */
    public static double[] jointMean(PointSet x, PointSet y) {
        int d = x.d();
        double[] mean = new double[d];
        for (PointSet s : new PointSet[] {x, y}) {
            float[] v = s.values();
            for (int i = 0; i < s.n(); i++) {
                for (int k = 0; k < d; k++) {
                    mean[k] += v[i * d + k];
                }
            }
        }
        for (int k = 0; k < d; k++) {
            mean[k] /= x.n() + y.n();
        }
        return mean;
    }
}
