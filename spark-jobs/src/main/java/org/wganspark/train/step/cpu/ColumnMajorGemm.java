package org.wganspark.train.step.cpu;

import java.nio.ByteBuffer;
import java.nio.FloatBuffer;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.wganspark.model.OffHeap;
import org.wganspark.ot.Blas;

/**
 * C = op(A) op(B) + beta C for float matrices stored column-major in host memory, straight through OpenBLAS's
 * cblas_sgemm on the arrays' native memory, without libnd4j's matmul op around the same OpenBLAS call (its shape
 * checks, result allocation and layout copies). The caller's arrays must be float, two-dimensional and column-major
 * without gaps ({@link FcCriticStep} allocates them so).
 */
final class ColumnMajorGemm {

    private ColumnMajorGemm() {
    }

    static void gemm(INDArray a, INDArray b, INDArray c, boolean transposeA, boolean transposeB, float beta) {
        requireColumnMajor(a, b, c);
        int m = (int) c.rows();
        int n = (int) c.columns();
        int k = (int) (transposeA ? a.rows() : a.columns());
        if ((transposeA ? a.columns() : a.rows()) != m || (transposeB ? b.rows() : b.columns()) != n || (transposeB ? b.columns() : b.rows()) != k) {
            throw new IllegalArgumentException("gemm shapes " + java.util.Arrays.toString(a.shape()) + (transposeA ? "^T" : "") + " x "
                    + java.util.Arrays.toString(b.shape()) + (transposeB ? "^T" : "") + " -> " + java.util.Arrays.toString(c.shape()));
        }
        Blas.sgemm(Blas.Order.COLUMN_MAJOR, transposeA, transposeB, m, n, k, 1f,
                floats(a), (int) Math.max(1, a.rows()), floats(b), (int) Math.max(1, b.rows()), beta, floats(c), Math.max(1, m));
    }

    /**
     * Rows [cFirst, cFirst + count) of C = rows [aFirst, aFirst + count) of A times op(B): a block of rows of
     * column-major operands is itself column-major, with the full arrays' row counts as leading dimensions.
     */
    static void rows(INDArray a, int aFirst, INDArray b, boolean transposeB, INDArray c, int cFirst, int count) {
        requireColumnMajor(a, b, c);
        int n = (int) c.columns();
        int k = (int) a.columns();
        if ((transposeB ? b.rows() : b.columns()) != n || (transposeB ? b.columns() : b.rows()) != k || aFirst + count > a.rows()
                || cFirst + count > c.rows()) {
            throw new IllegalArgumentException("gemm row block shapes");
        }
        Blas.sgemm(Blas.Order.COLUMN_MAJOR, false, transposeB, count, n, k, 1f, floats(a, aFirst),
                (int) a.rows(), floats(b), (int) Math.max(1, b.rows()), 0f, floats(c, cFirst), (int) c.rows());
    }

    /** Each float, two-dimensional, column-major without gaps: element (i, j) at offset + i + j * rows. */
    private static void requireColumnMajor(INDArray... xs) {
        for (INDArray x : xs) {
            if (x.dataType() != DataType.FLOAT || x.rank() != 2 || x.stride(0) != 1 || (x.columns() > 1 && x.stride(1) != x.rows())
                    || (x.offset() + x.length()) * Float.BYTES > Integer.MAX_VALUE) {
                throw new IllegalArgumentException("not a float column-major matrix: " + x.dataType() + " " + x.shapeInfoToString());
            }
        }
    }

    /** The array's native memory from its first element. */
    private static FloatBuffer floats(INDArray x) {
        return floats(x, 0);
    }

    /** The array's native memory from element {@code first} of its storage order. */
    private static FloatBuffer floats(INDArray x, int first) {
        ByteBuffer bytes = OffHeap.bytes(x);
        return bytes.position((int) (x.offset() + first) * Float.BYTES).slice().order(bytes.order()).asFloatBuffer();
    }
}
