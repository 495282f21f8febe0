package org.wganspark.ot.entropic;

import org.wganspark.ot.cost.DistanceKernel;

/**
 * The log-sum-exp reductions of log-domain Sinkhorn over one row of costs, stabilized by the maximum:
 * LSE_j(h_j - c_j / eps) = M + log sum_j exp(h_j - c_j / eps - M). The Vector API version is used when the
 * module is present (as for {@link DistanceKernel#BEST}).
 */
abstract class ExpSums {

    static final ExpSums BEST = choose();

    private static ExpSums choose() {
        return org.wganspark.ot.VectorApi.choose(() -> new VectorExpSums(), new ScalarExpSums());
    }

    /** max_j (h[j] - c[co + j] * invEps) over j < m. */
    final double max(double[] h, double[] c, int co, int m, double invEps) {
        return maxOf(h, 0, c, co, m, invEps);
    }

    /** sum_j exp(h[j] - c[co + j] * invEps - shift) over j < m. */
    abstract double sumExp(double[] h, double[] c, int co, int m, double invEps, double shift);

    /** colMax[j] = max(colMax[j], k - c[co + j] * invEps). */
    abstract void maxInto(double k, double[] c, int co, int m, double invEps, double[] colMax);

    /** colSum[j] += exp(k - c[co + j] * invEps - colMax[j]). */
    abstract void sumExpInto(double k, double[] c, int co, int m, double invEps, double[] colMax, double[] colSum);

    /** out[j] = exp(h[j] - c[co + j] * invEps - shift) for j < m; returns their sum. */
    final double expInto(double[] h, double[] c, int co, int m, double invEps, double shift, double[] out) {
        return expIntoAt(h, 0, c, co, m, invEps, shift, out, 0);
    }

    /** kernel[ko + j] = exp((fi + g[j] - c[co + j]) * invEps) for j < m. */
    abstract void kernelRow(double fi, double[] g, double[] c, int co, int m, double invEps, double[] kernel, int ko);

    /** sum_j k[ko + j] * v[j]. */
    final double dot(double[] k, int ko, double[] v, int m) {
        return dotAt(k, ko, v, 0, m);
    }

    /** out[j] += alpha * k[ko + j]. */
    final void axpy(double alpha, double[] k, int ko, double[] out, int m) {
        axpyAt(alpha, k, ko, out, 0, m);
    }

    /** max_j (h[ho + j] - c[co + j] * invEps) over j < len. */
    abstract double maxOf(double[] h, int ho, double[] c, int co, int len, double invEps);

    /** out[oo + j] = (float) exp(h[ho + j] - c[co + j] * invEps - shift) for j < len; returns the sum of the unrounded terms. */
    abstract double expIntoFloat(double[] h, int ho, double[] c, int co, int len, double invEps, double shift, float[] out, int oo);

    /** out[oo + j] += alpha * e[eo + j] for j < len. */
    abstract void axpyFloat(double alpha, float[] e, int eo, double[] out, int oo, int len);

    /** sum_j c[co + j] * e[eo + j] over j < len. */
    abstract double dotFloat(double[] c, int co, float[] e, int eo, int len);

    /** As {@link #expIntoFloat} into doubles. */
    abstract double expIntoAt(double[] h, int ho, double[] c, int co, int len, double invEps, double shift, double[] out, int oo);

    /** out[oo + j] += alpha * e[eo + j] for j < len: the distance kernel's axpy (vector or plain, as this class). */
    final void axpyAt(double alpha, double[] e, int eo, double[] out, int oo, int len) {
        DistanceKernel.BEST.axpy(alpha, e, eo, out, oo, len);
    }

    /** sum_j c[co + j] * e[eo + j] over j < len: the distance kernel's dot. */
    final double dotAt(double[] c, int co, double[] e, int eo, int len) {
        return DistanceKernel.BEST.dot(c, co, e, eo, len);
    }
}
