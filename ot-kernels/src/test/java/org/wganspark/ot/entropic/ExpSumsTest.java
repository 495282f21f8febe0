package org.wganspark.ot.entropic;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * The Vector API reductions of Sinkhorn give the plain-Java ones' values: the vector lanes fuse the multiply-add and
 * sum in another order, so they agree to a few units in the last place of the exponent's argument.
 */
class ExpSumsTest {

    private static final ExpSums VECTOR = new VectorExpSums();
    private static final ExpSums SCALAR = new ScalarExpSums();
    private static final int M = 1037;  // not a multiple of any lane count: the tails are exercised too

    private final SplittableRandom random = new SplittableRandom(11);
    private final double[] h = values(M, -2, 2);
    private final double[] c = values(M + 5, 0, 3);
    private final double invEps = 1 / 0.07;

    private double[] values(int n, double low, double high) {
        double[] v = new double[n];
        for (int i = 0; i < n; i++) {
            v[i] = random.nextDouble(low, high);
        }
        return v;
    }

    private static void close(double expected, double actual, double relative, String what) {
        assertEquals(expected, actual, relative * Math.max(Math.abs(expected), Double.MIN_NORMAL), what);
    }

    @Test
    void rowReductionsAgree() {
        double max = SCALAR.maxOf(h, 0, c, 5, M, invEps);
        close(max, VECTOR.maxOf(h, 0, c, 5, M, invEps), 1e-15, "the maximum");
        close(SCALAR.sumExp(h, c, 5, M, invEps, max), VECTOR.sumExp(h, c, 5, M, invEps, max), 1e-12, "sumExp");
        double[] a = new double[M];
        double[] b = new double[M];
        close(SCALAR.expIntoAt(h, 0, c, 5, M, invEps, max, a, 0), VECTOR.expIntoAt(h, 0, c, 5, M, invEps, max, b, 0), 1e-13, "expIntoAt");
        for (int j = 0; j < M; j++) {
            close(a[j], b[j], 1e-12, "term " + j);
        }
        float[] fa = new float[M];
        float[] fb = new float[M];
        close(SCALAR.expIntoFloat(h, 0, c, 5, M, invEps, max, fa, 0), VECTOR.expIntoFloat(h, 0, c, 5, M, invEps, max, fb, 0), 1e-13, "expIntoFloat");
        for (int j = 0; j < M; j++) {
            close(fa[j], fb[j], 1e-7, "float term " + j);
        }
        close(SCALAR.dotFloat(c, 5, fa, 0, M), VECTOR.dotFloat(c, 5, fa, 0, M), 1e-13, "dotFloat");
        double[] outA = values(M, 0, 1);
        double[] outB = outA.clone();
        SCALAR.axpyFloat(0.3, fa, 0, outA, 0, M);
        VECTOR.axpyFloat(0.3, fa, 0, outB, 0, M);
        for (int j = 0; j < M; j++) {
            close(outA[j], outB[j], 1e-15, "axpyFloat " + j);
        }
    }

    @Test
    void columnReductionsAndKernelRowsAgree() {
        double[] maxA = new double[M];
        double[] maxB = new double[M];
        java.util.Arrays.fill(maxA, Double.NEGATIVE_INFINITY);
        java.util.Arrays.fill(maxB, Double.NEGATIVE_INFINITY);
        double[] sumA = new double[M];
        double[] sumB = new double[M];
        for (int row = 0; row < 3; row++) {
            SCALAR.maxInto(0.1 * row, c, row, M, invEps, maxA);
            VECTOR.maxInto(0.1 * row, c, row, M, invEps, maxB);
        }
        for (int row = 0; row < 3; row++) {
            SCALAR.sumExpInto(0.1 * row, c, row, M, invEps, maxA, sumA);
            VECTOR.sumExpInto(0.1 * row, c, row, M, invEps, maxB, sumB);
        }
        double[] kernelA = new double[M + 3];
        double[] kernelB = new double[M + 3];
        SCALAR.kernelRow(0.2, h, c, 5, M, invEps, kernelA, 3);
        VECTOR.kernelRow(0.2, h, c, 5, M, invEps, kernelB, 3);
        for (int j = 0; j < M; j++) {
            close(maxA[j], maxB[j], 1e-15, "column maximum " + j);
            close(sumA[j], sumB[j], 1e-12, "column sum " + j);
            close(kernelA[3 + j], kernelB[3 + j], 1e-12, "kernel entry " + j);
        }
    }
}
