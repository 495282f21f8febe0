package org.wganspark.ot.entropic;

import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;
import org.wganspark.ot.cost.VectorMath;

/** {@link ExpSums} on the JDK Vector API; tails in plain Java. */
final class VectorExpSums extends ExpSums {

    private static final VectorSpecies<Double> D = DoubleVector.SPECIES_PREFERRED;
    private static final int LANES = D.length();

    @Override
    double max(double[] h, double[] c, int co, int m, double invEps) {
        int upper = m - m % LANES;
        DoubleVector acc = DoubleVector.broadcast(D, Double.NEGATIVE_INFINITY);
        DoubleVector scale = DoubleVector.broadcast(D, -invEps);
        int j = 0;
        for (; j < upper; j += LANES) {
            acc = acc.max(DoubleVector.fromArray(D, c, co + j).fma(scale, DoubleVector.fromArray(D, h, j)));
        }
        double max = acc.reduceLanes(VectorOperators.MAX);
        for (; j < m; j++) {
            max = Math.max(max, h[j] - c[co + j] * invEps);
        }
        return max;
    }

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
    double expInto(double[] h, double[] c, int co, int m, double invEps, double shift, double[] out) {
        int upper = m - m % LANES;
        DoubleVector acc = DoubleVector.zero(D);
        DoubleVector scale = DoubleVector.broadcast(D, -invEps);
        int j = 0;
        for (; j < upper; j += LANES) {
            DoubleVector e = VectorMath.exp(DoubleVector.fromArray(D, c, co + j).fma(scale, DoubleVector.fromArray(D, h, j)).sub(shift));
            e.intoArray(out, j);
            acc = acc.add(e);
        }
        double s = VectorMath.sum(acc);
        for (; j < m; j++) {
            out[j] = Math.exp(h[j] - c[co + j] * invEps - shift);
            s += out[j];
        }
        return s;
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
    double dot(double[] k, int ko, double[] v, int m) {
        int upper = m - m % LANES;
        DoubleVector acc = DoubleVector.zero(D);
        int j = 0;
        for (; j < upper; j += LANES) {
            acc = DoubleVector.fromArray(D, k, ko + j).fma(DoubleVector.fromArray(D, v, j), acc);
        }
        double s = VectorMath.sum(acc);
        for (; j < m; j++) {
            s += k[ko + j] * v[j];
        }
        return s;
    }

    @Override
    void axpy(double alpha, double[] k, int ko, double[] out, int m) {
        int upper = m - m % LANES;
        DoubleVector av = DoubleVector.broadcast(D, alpha);
        int j = 0;
        for (; j < upper; j += LANES) {
            DoubleVector.fromArray(D, k, ko + j).fma(av, DoubleVector.fromArray(D, out, j)).intoArray(out, j);
        }
        for (; j < m; j++) {
            out[j] += alpha * k[ko + j];
        }
    }
}
