package org.wganspark.ot.entropic;

final class ScalarExpSums extends ExpSums {

    @Override
    double max(double[] h, double[] c, int co, int m, double invEps) {
        double max = Double.NEGATIVE_INFINITY;
        for (int j = 0; j < m; j++) {
            max = Math.max(max, h[j] - c[co + j] * invEps);
        }
        return max;
    }

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
    double expInto(double[] h, double[] c, int co, int m, double invEps, double shift, double[] out) {
        double s = 0;
        for (int j = 0; j < m; j++) {
            out[j] = Math.exp(h[j] - c[co + j] * invEps - shift);
            s += out[j];
        }
        return s;
    }

    @Override
    void kernelRow(double fi, double[] g, double[] c, int co, int m, double invEps, double[] kernel, int ko) {
        for (int j = 0; j < m; j++) {
            kernel[ko + j] = Math.exp((fi + g[j] - c[co + j]) * invEps);
        }
    }

    @Override
    double dot(double[] k, int ko, double[] v, int m) {
        double s = 0;
        for (int j = 0; j < m; j++) {
            s += k[ko + j] * v[j];
        }
        return s;
    }

    @Override
    void axpy(double alpha, double[] k, int ko, double[] out, int m) {
        for (int j = 0; j < m; j++) {
            out[j] += alpha * k[ko + j];
        }
    }
}
