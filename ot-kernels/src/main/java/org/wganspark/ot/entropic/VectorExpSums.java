package org.wganspark.ot.entropic;

import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorShape;
import jdk.incubator.vector.VectorSpecies;
import org.wganspark.ot.cost.VectorMath;

/** {@link ExpSums} on the JDK Vector API; tails in plain Java. */
final class VectorExpSums extends ExpSums {

    private static final VectorSpecies<Double> D = DoubleVector.SPECIES_PREFERRED;
    private static final int LANES = D.length();
    /** Floats as many as D's lanes: e values are stored in float and widened back lane for lane. */
    private static final VectorSpecies<Float> F = VectorSpecies.of(float.class, VectorShape.forBitSize(LANES * 32));

    @Override
    double sumExp(double[] h, double[] c, int co, int m, double invEps, double shift) {
        int upper = m - m % LANES;
        DoubleVector acc = DoubleVector.zero(D);
        DoubleVector scale = DoubleVector.broadcast(D, -invEps);
        int j = 0;
        for (; j < upper; j += LANES) {
            DoubleVector v = DoubleVector.fromArray(D, c, co + j).fma(scale, DoubleVector.fromArray(D, h, j)).sub(shift);
            acc = acc.add(VectorMath.exp(v));
        }
        double s = VectorMath.sum(acc);
        for (; j < m; j++) {
            s += Math.exp(h[j] - c[co + j] * invEps - shift);
        }
        return s;
    }

    @Override
    void maxInto(double k, double[] c, int co, int m, double invEps, double[] colMax) {
        int upper = m - m % LANES;
        DoubleVector scale = DoubleVector.broadcast(D, -invEps);
        DoubleVector kv = DoubleVector.broadcast(D, k);
        int j = 0;
        for (; j < upper; j += LANES) {
            DoubleVector.fromArray(D, c, co + j).fma(scale, kv).max(DoubleVector.fromArray(D, colMax, j)).intoArray(colMax, j);
        }
        for (; j < m; j++) {
            colMax[j] = Math.max(colMax[j], k - c[co + j] * invEps);
        }
    }

    @Override
    void sumExpInto(double k, double[] c, int co, int m, double invEps, double[] colMax, double[] colSum) {
        int upper = m - m % LANES;
        DoubleVector scale = DoubleVector.broadcast(D, -invEps);
        DoubleVector kv = DoubleVector.broadcast(D, k);
        int j = 0;
        for (; j < upper; j += LANES) {
            DoubleVector v = DoubleVector.fromArray(D, c, co + j).fma(scale, kv).sub(DoubleVector.fromArray(D, colMax, j));
            VectorMath.exp(v).add(DoubleVector.fromArray(D, colSum, j)).intoArray(colSum, j);
        }
        for (; j < m; j++) {
            colSum[j] += Math.exp(k - c[co + j] * invEps - colMax[j]);
        }
    }

    @Override
    void kernelRow(double fi, double[] g, double[] c, int co, int m, double invEps, double[] kernel, int ko) {
        int upper = m - m % LANES;
        DoubleVector fv = DoubleVector.broadcast(D, fi);
        int j = 0;
        for (; j < upper; j += LANES) {
            VectorMath.exp(fv.add(DoubleVector.fromArray(D, g, j)).sub(DoubleVector.fromArray(D, c, co + j)).mul(invEps)).intoArray(kernel, ko + j);
        }
        for (; j < m; j++) {
            kernel[ko + j] = Math.exp((fi + g[j] - c[co + j]) * invEps);
        }
    }

    @Override
    double maxOf(double[] h, int ho, double[] c, int co, int len, double invEps) {
        int upper = len - len % LANES;
        DoubleVector acc = DoubleVector.broadcast(D, Double.NEGATIVE_INFINITY);
        DoubleVector scale = DoubleVector.broadcast(D, -invEps);
        int j = 0;
        for (; j < upper; j += LANES) {
            acc = acc.max(DoubleVector.fromArray(D, c, co + j).fma(scale, DoubleVector.fromArray(D, h, ho + j)));
        }
        double max = acc.reduceLanes(VectorOperators.MAX);
        for (; j < len; j++) {
            max = Math.max(max, h[ho + j] - c[co + j] * invEps);
        }
        return max;
    }

    @Override
    double expIntoFloat(double[] h, int ho, double[] c, int co, int len, double invEps, double shift, float[] out, int oo) {
        int upper = len - len % LANES;
        DoubleVector acc = DoubleVector.zero(D);
        DoubleVector scale = DoubleVector.broadcast(D, -invEps);
        int j = 0;
        for (; j < upper; j += LANES) {
            DoubleVector e = VectorMath.exp(DoubleVector.fromArray(D, c, co + j).fma(scale, DoubleVector.fromArray(D, h, ho + j)).sub(shift));
            ((FloatVector) e.convertShape(VectorOperators.D2F, F, 0)).intoArray(out, oo + j);
            acc = acc.add(e);
        }
        double s = VectorMath.sum(acc);
        for (; j < len; j++) {
            double e = Math.exp(h[ho + j] - c[co + j] * invEps - shift);
            out[oo + j] = (float) e;
            s += e;
        }
        return s;
    }

    @Override
    void axpyFloat(double alpha, float[] e, int eo, double[] out, int oo, int len) {
        int upper = len - len % LANES;
        DoubleVector av = DoubleVector.broadcast(D, alpha);
        int j = 0;
        for (; j < upper; j += LANES) {
            DoubleVector v = (DoubleVector) FloatVector.fromArray(F, e, eo + j).convertShape(VectorOperators.F2D, D, 0);
            v.fma(av, DoubleVector.fromArray(D, out, oo + j)).intoArray(out, oo + j);
        }
        for (; j < len; j++) {
            out[oo + j] += alpha * e[eo + j];
        }
    }

    @Override
    double dotFloat(double[] c, int co, float[] e, int eo, int len) {
        int upper = len - len % LANES;
        DoubleVector acc = DoubleVector.zero(D);
        int j = 0;
        for (; j < upper; j += LANES) {
            DoubleVector v = (DoubleVector) FloatVector.fromArray(F, e, eo + j).convertShape(VectorOperators.F2D, D, 0);
            acc = DoubleVector.fromArray(D, c, co + j).fma(v, acc);
        }
        double s = VectorMath.sum(acc);
        for (; j < len; j++) {
            s += c[co + j] * e[eo + j];
        }
        return s;
    }

    @Override
    double expIntoAt(double[] h, int ho, double[] c, int co, int len, double invEps, double shift, double[] out, int oo) {
        int upper = len - len % LANES;
        DoubleVector acc = DoubleVector.zero(D);
        DoubleVector scale = DoubleVector.broadcast(D, -invEps);
        int j = 0;
        for (; j < upper; j += LANES) {
            DoubleVector e = VectorMath.exp(DoubleVector.fromArray(D, c, co + j).fma(scale, DoubleVector.fromArray(D, h, ho + j)).sub(shift));
            e.intoArray(out, oo + j);
            acc = acc.add(e);
        }
        double s = VectorMath.sum(acc);
        for (; j < len; j++) {
            out[oo + j] = Math.exp(h[ho + j] - c[co + j] * invEps - shift);
            s += out[oo + j];
        }
        return s;
    }
}
