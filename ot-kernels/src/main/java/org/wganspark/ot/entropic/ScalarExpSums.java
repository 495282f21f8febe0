package org.wganspark.ot.entropic;

final class ScalarExpSums extends ExpSums {

    @Override
    double sumExp(double[] h, double[] c, int co, int m, double invEps, double shift) {
        double s = 0;
        for (int j = 0; j < m; j++) {
            s += Math.exp(h[j] - c[co + j] * invEps - shift);
        }
        return s;
    }

    @Override
    void maxInto(double k, double[] c, int co, int m, double invEps, double[] colMax) {
        for (int j = 0; j < m; j++) {
            colMax[j] = Math.max(colMax[j], k - c[co + j] * invEps);
        }
    }

    @Override
    void sumExpInto(double k, double[] c, int co, int m, double invEps, double[] colMax, double[] colSum) {
        for (int j = 0; j < m; j++) {
            colSum[j] += Math.exp(k - c[co + j] * invEps - colMax[j]);
        }
    }

    @Override
    void kernelRow(double fi, double[] g, double[] c, int co, int m, double invEps, double[] kernel, int ko) {
        for (int j = 0; j < m; j++) {
            kernel[ko + j] = Math.exp((fi + g[j] - c[co + j]) * invEps);
        }
    }

    @Override
    double maxOf(double[] h, int ho, double[] c, int co, int len, double invEps) {
        double max = Double.NEGATIVE_INFINITY;
        for (int j = 0; j < len; j++) {
            max = Math.max(max, h[ho + j] - c[co + j] * invEps);
        }
        return max;
    }

    @Override
    double expIntoFloat(double[] h, int ho, double[] c, int co, int len, double invEps, double shift, float[] out, int oo) {
        double s = 0;
        for (int j = 0; j < len; j++) {
            double e = Math.exp(h[ho + j] - c[co + j] * invEps - shift);
            out[oo + j] = (float) e;
            s += e;
        }
        return s;
    }

    @Override
    void axpyFloat(double alpha, float[] e, int eo, double[] out, int oo, int len) {
        for (int j = 0; j < len; j++) {
            out[oo + j] += alpha * e[eo + j];
        }
    }

    @Override
    double dotFloat(double[] c, int co, float[] e, int eo, int len) {
        double s = 0;
        for (int j = 0; j < len; j++) {
            s += c[co + j] * e[eo + j];
        }
        return s;
    }

    @Override
    double expIntoAt(double[] h, int ho, double[] c, int co, int len, double invEps, double shift, double[] out, int oo) {
        double s = 0;
        for (int j = 0; j < len; j++) {
            out[oo + j] = Math.exp(h[ho + j] - c[co + j] * invEps - shift);
            s += out[oo + j];
        }
        return s;
    }
}
