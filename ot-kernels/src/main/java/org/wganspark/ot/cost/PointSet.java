package org.wganspark.ot.cost;

/**
 * n points in R^d, row-major (images, patches). Values must be finite. Points read from float64 data keep
 * their doubles: exact costs are then computed from them, and {@code values} is only their float rounding, for
 * screens and heuristics that carry their own error margins.
 *
 * @param values  n * d floats, not modified by any kernel (the rounding of {@code doubles} when those are given)
 * @param doubles n * d doubles for float64 data, or null when the points are float32
 */
public record PointSet(float[] values, double[] doubles, int n, int d) implements java.io.Serializable {

    /** float32 points. */
    public PointSet(float[] values, int n, int d) {
        this(values, null, n, d);
    }

    public PointSet {
        if (n < 1 || d < 1) {
            throw new IllegalArgumentException("a point set needs n >= 1 and d >= 1, found n = " + n + ", d = " + d);
        }
        if ((long) n * d != values.length || doubles != null && doubles.length != values.length) {
            throw new IllegalArgumentException("point set of " + n + " x " + d + " holds " + values.length + " values");
        }
        for (int k = 0; k < values.length; k++) {
            if (doubles != null ? !Double.isFinite(doubles[k]) : !Float.isFinite(values[k])) {
                throw new IllegalArgumentException("point " + k / d + " has a non-finite value "
                        + (doubles != null ? doubles[k] : values[k]) + " at coordinate " + k % d);
            }
        }
    }

    /** float64 points; the floats are their rounding. */
    public static PointSet ofDoubles(double[] values, int n, int d) {
        float[] rounded = new float[values.length];
        for (int k = 0; k < values.length; k++) {
            rounded[k] = (float) values[k];
        }
        return new PointSet(rounded, values, n, d);
    }

    /** Whether the points are float64. */
    public boolean isDouble() {
        return doubles != null;
    }

    /** "float64" or "float32": the precision the points carry, and the one exact costs are computed in. */
    public String precision() {
        return doubles != null ? "float64" : "float32";
    }

    /** Value k of the row-major array, at the points' own precision. */
    public double coordinate(int k) {
        return doubles != null ? doubles[k] : values[k];
    }

    /** The points as doubles: their own, or the floats widened (exactly). */
    public double[] widened() {
        if (doubles != null) {
            return doubles;
        }
        double[] w = new double[values.length];
        for (int k = 0; k < w.length; k++) {
            w[k] = values[k];
        }
        return w;
    }

    /** The chosen rows, in the given order, at the same precision. */
    public PointSet select(int[] rows) {
        float[] f = new float[rows.length * d];
        double[] w = doubles == null ? null : new double[rows.length * d];
        for (int t = 0; t < rows.length; t++) {
            System.arraycopy(values, rows[t] * d, f, t * d, d);
            if (w != null) {
                System.arraycopy(doubles, rows[t] * d, w, t * d, d);
            }
        }
        return new PointSet(f, w, rows.length, d);
    }

    /** Rows [from, to), at the same precision. */
    public PointSet range(int from, int to) {
        return new PointSet(java.util.Arrays.copyOfRange(values, from * d, to * d),
                doubles == null ? null : java.util.Arrays.copyOfRange(doubles, from * d, to * d), to - from, d);
    }

    /** The mean of the points of both sets together, summed in double (x's rows, then y's). */
    public static double[] jointMean(PointSet x, PointSet y) {
        int d = x.d();
        double[] mean = new double[d];
        for (PointSet s : new PointSet[] {x, y}) {
            for (int i = 0; i < s.n(); i++) {
                for (int k = 0; k < d; k++) {
                    mean[k] += s.coordinate(i * d + k);
                }
            }
        }
        for (int k = 0; k < d; k++) {
            mean[k] /= x.n() + y.n();
        }
        return mean;
    }
}
