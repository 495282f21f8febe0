package org.wganspark.ot;

import java.nio.DoubleBuffer;
import java.nio.FloatBuffer;

/**
 * The matrix products of the project's hand-written kernels: C = alpha op(A) op(B) + beta C through OpenBLAS's cblas
 * gemm on native buffers, by way of the JavaCPP build that ND4J ships. One place for the library, its constants and
 * its thread count.
 */
public final class Blas {

    /** How a matrix is laid out in its buffer. */
    public enum Order {
        ROW_MAJOR(101),
        COLUMN_MAJOR(102);

        final int code;

        Order(int code) {
            this.code = code;
        }
    }

    private static final int NO_TRANS = 111;
    private static final int TRANS = 112;
    private static final boolean AVAILABLE = load();
    /**
     * The threads OpenBLAS takes from the environment when it loads (OPENBLAS_NUM_THREADS, GOTO_NUM_THREADS, then
     * OMP_NUM_THREADS; else one per core). Its own query is not bound in the JavaCPP build ND4J ships.
     */
    private static final int THREADS = threadsFromEnvironment();

    private Blas() {
    }

    private static boolean load() {
        try {
            Class.forName("org.bytedeco.openblas.global.openblas_nolapack", true, Blas.class.getClassLoader());
            return true;
        } catch (ReflectiveOperationException | LinkageError e) {
            return false;
        }
    }

    private static int threadsFromEnvironment() {
        for (String name : new String[] {"OPENBLAS_NUM_THREADS", "GOTO_NUM_THREADS", "OMP_NUM_THREADS"}) {
            String value = System.getenv(name) == null ? "" : System.getenv(name).trim();
            if (value.matches("0*[1-9][0-9]{0,3}")) {
                return Integer.parseInt(value);
            }
        }
        return Runtime.getRuntime().availableProcessors();
    }

    /** True when OpenBLAS loaded; the first call loads it (a one-time cost, like a Python import). */
    public static boolean available() {
        return AVAILABLE;
    }

    /** The threads each product runs on. */
    public static int threads() {
        return THREADS;
    }

    /** C = alpha op(A) op(B) + beta C in float: op(A) is m x k, op(B) k x n, leading dimensions as cblas takes them. */
    public static void sgemm(Order order, boolean transposeA, boolean transposeB, int m, int n, int k, float alpha, FloatBuffer a, int lda,
                             FloatBuffer b, int ldb, float beta, FloatBuffer c, int ldc) {
        org.bytedeco.openblas.global.openblas_nolapack.cblas_sgemm(order.code, transposeA ? TRANS : NO_TRANS, transposeB ? TRANS : NO_TRANS, m, n, k,
                alpha, a, lda, b, ldb, beta, c, ldc);
    }

    /** The same product in double. */
    public static void dgemm(Order order, boolean transposeA, boolean transposeB, int m, int n, int k, double alpha, DoubleBuffer a, int lda,
                             DoubleBuffer b, int ldb, double beta, DoubleBuffer c, int ldc) {
        org.bytedeco.openblas.global.openblas_nolapack.cblas_dgemm(order.code, transposeA ? TRANS : NO_TRANS, transposeB ? TRANS : NO_TRANS, m, n, k,
                alpha, a, lda, b, ldb, beta, c, ldc);
    }
}
