package org.wganspark.ot.cost;

import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorShape;
import jdk.incubator.vector.VectorSpecies;

/**
 * Distances on the JDK Vector API: floats are loaded at half width and widened to double lanes, and four
 * rows share each load of the fourth (4 x 1 register blocking). Loaded only when the module is present.
 */
final class VectorDistanceKernel extends DistanceKernel {

    private static final VectorSpecies<Double> D = DoubleVector.SPECIES_PREFERRED;
    private static final VectorSpecies<Float> HALF = VectorSpecies.of(float.class, VectorShape.forBitSize(D.vectorBitSize() / 2));
    private static final VectorSpecies<Float> F = FloatVector.SPECIES_PREFERRED;
    private static final int LANES = D.length();
    /** Double lanes holding half a float vector: for widening float results on store. */
    private static final VectorSpecies<Double> WIDE = VectorSpecies.of(double.class, VectorShape.forBitSize(F.vectorBitSize()));

    private static DoubleVector widen(float[] a, int offset) {
        return (DoubleVector) FloatVector.fromArray(HALF, a, offset).convertShape(VectorOperators.F2D, D, 0);
    }

    @Override
    public double squared(float[] x, int xo, float[] y, int yo, int d) {
        int upper = d - d % LANES;
        DoubleVector acc = DoubleVector.zero(D);
        int k = 0;
        for (; k < upper; k += LANES) {
            DoubleVector t = widen(x, xo + k).sub(widen(y, yo + k));
            acc = t.fma(t, acc);
        }
        double s = VectorMath.sum(acc);
        for (; k < d; k++) {
            double t = (double) x[xo + k] - y[yo + k];
            s += t * t;
        }
        return s;
    }

    @Override
    public double squared(double[] x, int xo, double[] y, int yo, int d) {
        int upper = d - d % LANES;
        DoubleVector acc = DoubleVector.zero(D);
        int k = 0;
        for (; k < upper; k += LANES) {
            DoubleVector t = DoubleVector.fromArray(D, x, xo + k).sub(DoubleVector.fromArray(D, y, yo + k));
            acc = t.fma(t, acc);
        }
        double s = VectorMath.sum(acc);
        for (; k < d; k++) {
            double t = x[xo + k] - y[yo + k];
            s += t * t;
        }
        return s;
    }

    @Override
    public void squaredToColumns(float[] x, int i, float[] y, int[] cols, int count, int d, double[] out) {
        int xo = i * d;
        int upper = d - d % LANES;
        int s = 0;
        for (; s + 3 < count; s += 4) {
            int y0 = cols[s] * d, y1 = cols[s + 1] * d, y2 = cols[s + 2] * d, y3 = cols[s + 3] * d;
            DoubleVector a0 = DoubleVector.zero(D), a1 = a0, a2 = a0, a3 = a0;
            int k = 0;
            for (; k < upper; k += LANES) {
                DoubleVector xv = widen(x, xo + k);
                DoubleVector t = xv.sub(widen(y, y0 + k));
                a0 = t.fma(t, a0);
                t = xv.sub(widen(y, y1 + k));
                a1 = t.fma(t, a1);
                t = xv.sub(widen(y, y2 + k));
                a2 = t.fma(t, a2);
                t = xv.sub(widen(y, y3 + k));
                a3 = t.fma(t, a3);
            }
            double s0 = VectorMath.sum(a0), s1 = VectorMath.sum(a1);
            double s2 = VectorMath.sum(a2), s3 = VectorMath.sum(a3);
            for (; k < d; k++) {
                double xk = x[xo + k];
                double t = xk - y[y0 + k];
                s0 += t * t;
                t = xk - y[y1 + k];
                s1 += t * t;
                t = xk - y[y2 + k];
                s2 += t * t;
                t = xk - y[y3 + k];
                s3 += t * t;
            }
            out[s] = s0;
            out[s + 1] = s1;
            out[s + 2] = s2;
            out[s + 3] = s3;
        }
        for (; s < count; s++) {
            out[s] = squared(x, xo, y, cols[s] * d, d);
        }
    }

    @Override
    public void squaredBlock(float[] x, int i0, int i1, float[] y, int j0, int j1, int d, double[] out, int offset, int stride) {
        int upper = d - d % LANES;
        int i = i0;
        for (; i + 3 < i1; i += 4) {
            int x0 = i * d, x1 = x0 + d, x2 = x1 + d, x3 = x2 + d;
            int o = offset + (i - i0) * stride - j0;
            for (int j = j0; j < j1; j++) {
                int yo = j * d;
                DoubleVector a0 = DoubleVector.zero(D), a1 = a0, a2 = a0, a3 = a0;
                int k = 0;
                for (; k < upper; k += LANES) {
                    DoubleVector yv = widen(y, yo + k);
                    DoubleVector t = widen(x, x0 + k).sub(yv);
                    a0 = t.fma(t, a0);
                    t = widen(x, x1 + k).sub(yv);
                    a1 = t.fma(t, a1);
                    t = widen(x, x2 + k).sub(yv);
                    a2 = t.fma(t, a2);
                    t = widen(x, x3 + k).sub(yv);
                    a3 = t.fma(t, a3);
                }
                double s0 = VectorMath.sum(a0), s1 = VectorMath.sum(a1);
                double s2 = VectorMath.sum(a2), s3 = VectorMath.sum(a3);
                for (; k < d; k++) {
                    double yk = y[yo + k];
                    double t = x[x0 + k] - yk;
                    s0 += t * t;
                    t = x[x1 + k] - yk;
                    s1 += t * t;
                    t = x[x2 + k] - yk;
                    s2 += t * t;
                    t = x[x3 + k] - yk;
                    s3 += t * t;
                }
                out[o + j] = s0;
                out[o + stride + j] = s1;
                out[o + 2 * stride + j] = s2;
                out[o + 3 * stride + j] = s3;
            }
        }
        for (; i < i1; i++) {
            for (int j = j0; j < j1; j++) {
                out[offset + (i - i0) * stride + (j - j0)] = squared(x, i * d, y, j * d, d);
            }
        }
    }

    @Override
    public void costsTransposedFloat(float[] x, int i0, int i1, float[] yT, int m, int d, boolean root, int from, int to, double[] out, int stride) {
        int lanes = F.length();
        int width = 2 * lanes;  // columns per step: two float vectors
        int chunk = Math.max(width, (1 << 16) / Math.max(1, d) / width * width);  // ~256 KB of yT per chunk
        for (int j0 = from; j0 < to; j0 += chunk) {
            int j1 = Math.min(to, j0 + chunk);
            int vectorEnd = j0 + (j1 - j0) / width * width;
            int i = i0;
            for (; i + 3 < i1; i += 4) {
                int x0 = i * d, x1 = x0 + d, x2 = x1 + d, x3 = x2 + d;
                for (int j = j0; j < vectorEnd; j += width) {
                    FloatVector a00 = FloatVector.zero(F), a01 = a00, a10 = a00, a11 = a00, a20 = a00, a21 = a00, a30 = a00, a31 = a00;
                    for (int k = 0; k < d; k++) {
                        FloatVector y0 = FloatVector.fromArray(F, yT, k * m + j);
                        FloatVector y1 = FloatVector.fromArray(F, yT, k * m + j + lanes);
                        FloatVector t = y0.sub(x[x0 + k]);
                        a00 = t.fma(t, a00);
                        t = y1.sub(x[x0 + k]);
                        a01 = t.fma(t, a01);
                        t = y0.sub(x[x1 + k]);
                        a10 = t.fma(t, a10);
                        t = y1.sub(x[x1 + k]);
                        a11 = t.fma(t, a11);
                        t = y0.sub(x[x2 + k]);
                        a20 = t.fma(t, a20);
                        t = y1.sub(x[x2 + k]);
                        a21 = t.fma(t, a21);
                        t = y0.sub(x[x3 + k]);
                        a30 = t.fma(t, a30);
                        t = y1.sub(x[x3 + k]);
                        a31 = t.fma(t, a31);
                    }
                    int o = (i - i0) * stride + (j - from);
                    store(a00, root, out, o);
                    store(a01, root, out, o + lanes);
                    store(a10, root, out, o + stride);
                    store(a11, root, out, o + stride + lanes);
                    store(a20, root, out, o + 2 * stride);
                    store(a21, root, out, o + 2 * stride + lanes);
                    store(a30, root, out, o + 3 * stride);
                    store(a31, root, out, o + 3 * stride + lanes);
                }
                for (int r = i; r < i + 4; r++) {
                    ScalarDistanceKernel.costsTransposedRange(x, r, yT, m, d, root, vectorEnd, j1, out, (r - i0) * stride - from);
                }
            }
            for (; i < i1; i++) {
                ScalarDistanceKernel.costsTransposedRange(x, i, yT, m, d, root, j0, j1, out, (i - i0) * stride - from);
            }
        }
    }

    private static void store(FloatVector acc, boolean root, double[] out, int offset) {
        int half = F.length() / 2;
        FloatVector value = root ? acc.lanewise(VectorOperators.SQRT) : acc;  // the float root: 16 lanes a time, the sum's precision
        for (int part = 0; part < 2; part++) {
            ((DoubleVector) value.convertShape(VectorOperators.F2D, WIDE, part)).intoArray(out, offset + part * half);
        }
    }

    @Override
    public double dot(double[] a, int ao, double[] b, int bo, int length) {
        int upper = length - length % LANES;
        DoubleVector acc = DoubleVector.zero(D);
        int k = 0;
        for (; k < upper; k += LANES) {
            acc = DoubleVector.fromArray(D, a, ao + k).fma(DoubleVector.fromArray(D, b, bo + k), acc);
        }
        double s = VectorMath.sum(acc);
        for (; k < length; k++) {
            s += a[ao + k] * b[bo + k];
        }
        return s;
    }

    @Override
    public void axpy(double alpha, double[] x, int xo, double[] y, int yo, int length) {
        int upper = length - length % LANES;
        DoubleVector a = DoubleVector.broadcast(D, alpha);
        int k = 0;
        for (; k < upper; k += LANES) {
            DoubleVector.fromArray(D, x, xo + k).fma(a, DoubleVector.fromArray(D, y, yo + k)).intoArray(y, yo + k);
        }
        for (; k < length; k++) {
            y[yo + k] += alpha * x[xo + k];
        }
    }

    @Override
    public int screenTile(double[] bound, int bo, double u, double[] v, int j0, int j1, boolean squareLimit, double slope, double offset,
                          int[] survivors) {
        int count = 0;
        int upper = j0 + (j1 - j0) / LANES * LANES;
        DoubleVector uu = DoubleVector.broadcast(D, u);
        int j = j0;
        for (; j < upper; j += LANES) {
            DoubleVector t = DoubleVector.fromArray(D, v, j).add(uu);
            DoubleVector limit = (squareLimit ? t.mul(t) : t).fma(slope, offset);
            VectorMask<Double> keep = DoubleVector.fromArray(D, bound, bo + j - j0).compare(VectorOperators.LE, limit)
                    .and(t.compare(VectorOperators.GT, 0));
            if (keep.anyTrue()) {
                long bits = keep.toLong();  // one call, not one per lane (neither is an intrinsic in JDK 17)
                while (bits != 0) {
                    survivors[count++] = j + Long.numberOfTrailingZeros(bits);
                    bits &= bits - 1;
                }
            }
        }
        return ScalarDistanceKernel.screenTileRange(bound, bo, u, v, j0, j, j1, squareLimit, slope, offset, survivors, count);
    }

    @Override
    public String name() {
        return "vector-" + D.vectorBitSize();
    }
}
