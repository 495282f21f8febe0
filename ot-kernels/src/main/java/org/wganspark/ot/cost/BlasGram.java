package org.wganspark.ot.cost;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.DoubleBuffer;
import java.util.stream.IntStream;
import org.wganspark.ot.Blas;
import org.wganspark.ot.Blocks;

/**
 * All Euclidean (or squared) distances between the rows of X and Y from one BLAS product, to a stated relative accuracy.
 *
 * <p>The rows are centred on a float-valued mean (x - mu is then exact in double, and distances do not change),
 * and ||x||^2 + ||y||^2 - 2 x.y is formed with OpenBLAS's dgemm. In any summation order, with or without FMA, the
 * error of that expression is below gamma_{d+3} (||x|| + ||y||)^2, gamma_k = k u / (1 - k u) (Higham, Accuracy and
 * Stability of Numerical Algorithms, 2nd ed., Sec. 3.1). Where this bound exceeds the target (close points, where
 * the expansion cancels) the entry is recomputed from coordinate differences, so every entry meets the target.
 * On Fashion-MNIST centring leaves about 4 pairs in 1,000 to recompute at 1e-12 (3,963 of 10^6 in the n = 1000 bench).
 *
 * <p>OpenBLAS comes through JavaCPP (the build ND4J ships, {@link Blas}). Without it {@link #available()} is false and
 * callers use {@link DistanceKernel}.
 */
public final class BlasGram {

    private static final double UNIT_ROUNDOFF = 0x1p-53;
    /**
     * Rows per dgemm call: X is centred one row block at a time into a small scratch rather than into a fresh copy
     * (every first-touched page faults). At least 256 rows: dgemm packs its operands per call, and on thin blocks that
     * cost keeps it far below its peak.
     */
    private static final int MIN_BLOCK_ROWS = 256;
    /** Entries of the product block: 2 MB, and never above 32 MB (very wide problems get fewer rows). */
    private static final long BLOCK_ENTRIES = 1L << 18;
    private static final long MAX_BLOCK_ENTRIES = 1L << 22;
    /** The last call's scratch (centred Y, an X block, a product block), up to 64 MB, kept for the next call. */
    private static final org.wganspark.ot.Spare<DoubleBuffer> SCRATCH = new org.wganspark.ot.Spare<>(DoubleBuffer::capacity, 1L << 23);

    private BlasGram() {
    }

    /** True when OpenBLAS loaded; the first call loads it (a one-time cost, like a Python import). */
    public static boolean available() {
        return Blas.available();
    }

    /**
     * out[i * m + j] = the metric's cost between x_i and y_j, with relative error at most {@code relativeAccuracy}
     * (plus the final rounding); returns how many entries had to be recomputed from differences.
     */
    public static long costs(PointSet x, PointSet y, Metric metric, double relativeAccuracy, double[] out) {
        return costs(x, y, metric, relativeAccuracy, out, Blas.threads() == 1 ? Runtime.getRuntime().availableProcessors() : 1);
    }

    /** {@link #costs} with the row blocks in at most {@code maxLanes} lanes (1: in turn); the same matrix, bit for bit. */
    static long costs(PointSet x, PointSet y, Metric metric, double relativeAccuracy, double[] out, int maxLanes) {
        if (!Blas.available()) {
            throw new IllegalStateException("OpenBLAS is not available");
        }
        int n = x.n();
        int m = y.n();
        int d = x.d();
        if (y.d() != d || (long) n * m > out.length) {
            throw new IllegalArgumentException("dimensions " + n + " x " + d + ", " + m + " x " + y.d() + " and an output of " + out.length);
        }
        float[] mean = floatMean(x, y);
        double[] xNorm = new double[n];
        double[] yNorm = new double[m];
        // gamma_{d+5}: two more roundings for a centring that is not exact (floats 2^29 apart); 1.01: the norms are computed
        double gamma = 1.01 * (d + 5) * UNIT_ROUNDOFF / (1 - (d + 5) * UNIT_ROUNDOFF);
        double acceptAbove = 1 + 1 / relativeAccuracy;  // s >= E (1 + 1/acc) implies |s - t| <= E <= acc (s - E) <= acc t
        boolean root = metric == Metric.EUCLIDEAN;
        int block = (int) Math.min(n, Math.min(Math.max(MIN_BLOCK_ROWS, BLOCK_ENTRIES / m), Math.max(1, MAX_BLOCK_ENTRIES / m)));
        int blocks = (n + block - 1) / block;
        // One OpenBLAS thread (bin/wgan-spark's default): row blocks go to the cores as lanes, each centring,
        // multiplying and finishing its own blocks, with no BLAS threads left spinning on a core after a product.
        // Several: OpenBLAS splits each product, and the blocks go in turn.
        int lanes = Math.max(1, Math.min(blocks, maxLanes));
        long lane = (long) block * d + (long) block * m;  // a lane's scratch: an X block and its product block
        long scratchSize = (long) m * d + lanes * lane;
        DoubleBuffer kept = SCRATCH.take(scratchSize);
        DoubleBuffer scratch = kept != null ? kept : direct(scratchSize);
        DoubleBuffer yc = scratch.slice(0, m * d);
        IntStream.range(0, lanes).parallel().forEach(t -> {
            int j0 = Blocks.start(m, t, lanes);
            int j1 = Blocks.start(m, t + 1, lanes);
            centred(y, j0, j1, mean, yNorm, yc.slice(j0 * d, (j1 - j0) * d));
        });
        double[] yRoot = new double[m];
        for (int j = 0; j < m; j++) {
            yRoot[j] = Math.sqrt(yNorm[j]);
        }
        // with several lanes each finishes its own rows; with one, the rows of each block are finished on all cores
        int finishChunks = lanes > 1 ? 1 : 4 * Runtime.getRuntime().availableProcessors();
        long recomputed = IntStream.range(0, lanes).parallel().mapToLong(t -> {
            DoubleBuffer xc = scratch.slice((int) (m * d + t * lane), block * d);
            DoubleBuffer product = scratch.slice((int) (m * d + t * lane + (long) block * d), block * m);
            long count = 0;
            for (int b = t; b < blocks; b += lanes) {  // round robin: the same blocks whatever the timing
                int i0 = b * block;
                int rows = Math.min(block, n - i0);
                centred(x, i0, i0 + rows, mean, xNorm, xc);
                Blas.dgemm(Blas.Order.ROW_MAJOR, false, true, rows, m, d, -2.0,
                        xc, d, yc, d, 0.0, product, m);
                int chunks = Math.min(rows, finishChunks);
                count += IntStream.range(0, chunks).parallel().mapToLong(c -> finish(x, y, i0, i0 + Blocks.start(rows, c, chunks),
                        i0 + Blocks.start(rows, c + 1, chunks), product, xNorm, yNorm, yRoot, gamma, acceptAbove, root, out)).sum();
            }
            return count;
        }).sum();
        SCRATCH.keep(scratch);
        return recomputed;
    }

    /**
     * Rows [r0, r1) of the costs from -2 X Y^T (the block that starts at row {@code first}) and the norms; entries whose
     * error bound is too large are recomputed from differences.
     */
    private static long finish(PointSet x, PointSet y, int first, int r0, int r1, DoubleBuffer product, double[] xNorm, double[] yNorm,
                               double[] yRoot, double gamma, double acceptAbove, boolean root, double[] out) {
        int m = y.n();
        long recomputed = 0;
        for (int i = r0; i < r1; i++) {
            int row = i * m;
            // one bulk copy, then plain array loops: fast from the first call, before the JIT has compiled the buffer's accessors
            product.get((i - first) * m, out, row, m);
            recomputed += finishRow(x, y, i, out, row, xNorm[i], yNorm, yRoot, gamma, acceptAbove, root);
        }
        return recomputed;
    }

    /**
     * Row i of the costs in place, from -2 x_i.y_j; a method of its own so that a fresh JVM compiles it after a few
     * rows instead of waiting for on-stack replacement of the whole block loop.
     */
    private static long finishRow(PointSet x, PointSet y, int i, double[] out, int row, double xi, double[] yNorm, double[] yRoot,
                                  double gamma, double acceptAbove, boolean root) {
        int m = y.n();
        int d = x.d();
        double rx = Math.sqrt(xi);
        long recomputed = 0;
        for (int j = 0; j < m; j++) {
            double s = out[row + j] + xi + yNorm[j];
            double r = rx + yRoot[j];
            if (s < gamma * r * r * acceptAbove) {
                // plain Java: the Vector API kernel would run interpreted in a JVM that has not compiled it yet
                s = DistanceKernel.SCALAR.squared(x.values(), i * d, y.values(), j * d, d);
                recomputed++;
            }
            out[row + j] = root ? Math.sqrt(s) : s;
        }
        return recomputed;
    }

    /** The mean of both sets, rounded to float so that x - mean is exact in double. */
    private static float[] floatMean(PointSet x, PointSet y) {
        double[] mean = PointSet.jointMean(x, y);
        float[] rounded = new float[mean.length];
        for (int k = 0; k < mean.length; k++) {
            rounded[k] = (float) mean[k];
        }
        return rounded;
    }

    /** Rows [from, to) minus the mean into {@code rows} (row-major, from its start); their squared norms into {@code norm}. */
    private static DoubleBuffer centred(PointSet p, int from, int to, float[] mean, double[] norm, DoubleBuffer rows) {
        int d = p.d();
        float[] v = p.values();
        double[] row = new double[d];
        for (int i = from; i < to; i++) {
            norm[i] = centreRow(v, i * d, mean, row);
            rows.put((i - from) * d, row, 0, d);
        }
        return rows;
    }

    /** x_i - mean into {@code row}; returns its squared norm (a method of its own, compiled early as finishRow is). */
    private static double centreRow(float[] v, int offset, float[] mean, double[] row) {
        double s = 0;
        for (int k = 0; k < row.length; k++) {
            double c = (double) v[offset + k] - mean[k];
            row[k] = c;
            s += c * c;
        }
        return s;
    }

    /** Native memory outside JavaCPP's allocator (whose accounting reads /proc on every allocation); freed by the GC. */
    private static DoubleBuffer direct(long size) {
        if (size > Integer.MAX_VALUE / Double.BYTES) {
            throw new IllegalArgumentException("a block of " + size + " doubles does not fit in one buffer");
        }
        return ByteBuffer.allocateDirect((int) size * Double.BYTES).order(ByteOrder.nativeOrder()).asDoubleBuffer();
    }
}
