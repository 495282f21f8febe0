package org.wganspark.ot.entropic;

import java.util.Arrays;
import org.wganspark.ot.cost.PairwiseCost;

/**
 * The fused log-domain Sinkhorn sweep over a block of rows, the kernel that {@link Sinkhorn}'s threads and the Spark
 * tasks of the distributed solver run: one half-step on f and the column masses P^T 1 it induces, from a single
 * exponential per pair. Over a kept matrix the rows are swept one by one; over recomputed costs, by column chunks
 * that stay in cache.
 */
public final class FusedSweep {

    private FusedSweep() {
    }

    /**
     * g_j - eps log(mass_j / b_j): the exact column update given the column's mass under the current f. A
     * column that received no representable mass moves by at most 50 eps, so one underflow cannot make g infinite.
     */
    static double nextColumnPotential(double g, double mass, double b, double eps) {
        if (b == 0) {
            return g;
        }
        return g - eps * Math.max(Math.log(mass / b), -50);
    }

    /**
     * One fused Sinkhorn sweep over rows [from, to) of any cost block: f_i <- f_i + w (T(g)_i - f_i) into
     * {@code fOut}, and the column masses P^T 1 under the new f, from a single exponential per pair:
     * P_ij = a_i b_j exp((f_i + g_j - c_ij) / eps) = a_i s_ij exp((f_i - T(g)_i) / eps) with s the row's softmax
     * of h_j - c_ij / eps, h = log b + g / eps. The local solver's threads and the Spark tasks both call this.
     */
    static Sweep sweep(CostRows rows, int from, int to, double[] logA, double[] f, double[] h, double eps, double w, double[] fOut) {
        if (rows.matrix() == null) {
            return sweepChunked(rows, from, to, logA, f, h, eps, w, fOut);
        }
        int m = rows.m;
        double invEps = 1 / eps;
        double[] scratch = rows.scratch();
        double[] softmax = new double[m];
        double[] mass = new double[m];
        double rowError = 0;
        double blockMass = 0;
        double transport = 0;
        ExpSums sums = ExpSums.BEST;
        for (int i0 = from; i0 < to; i0 += rows.tileRows()) {
            int i1 = Math.min(to, i0 + rows.tileRows());
            double[] c = rows.load(i0, i1, scratch);
            for (int i = i0; i < i1; i++) {
                int co = rows.offset(i, i0);
                double max = sums.max(h, c, co, m, invEps);
                double total = sums.expInto(h, c, co, m, invEps, max, softmax);
                double target = -eps * (max + Math.log(total));  // T(g)_i
                double next = f[i] + w * (target - f[i]);
                fOut[i] = next;
                if (logA[i] > Double.NEGATIVE_INFINITY) {
                    double a = Math.exp(logA[i]);
                    rowError += a * Math.abs(Math.exp((f[i] - target) * invEps) - 1);
                    double rowMass = a * Math.exp((next - target) * invEps);
                    sums.axpy(rowMass / total, softmax, 0, mass, m);
                    blockMass += rowMass;
                    if (w == 0) {  // the measuring sweep: <P, C> too
                        transport += rowMass / total * sums.dot(c, co, softmax, m);
                    }
                }
            }
        }
        return new Sweep(mass, rowError, blockMass, transport);
    }

    /** Rows per block and columns per chunk of {@link #sweepChunked}: one chunk's costs (16 x 1024 doubles, 128 KB) stay in L2. */
    static final int BLOCK_ROWS = 16;
    static final int CHUNK_COLUMNS = 1024;

    /**
     * {@link #sweep} over recomputed costs, by column chunks, so that no row reads or writes arrays of length m
     * (at m = 80,000 those passes, not the costs, set the pace). Per block of rows: first each chunk's costs and
     * exponentials, shifted by the chunk's maximum, with the chunk sums merged into each row's
     * log-sum-exp (streaming, rescaled when the maximum grows); then the rows' scaled exponentials are added to
     * the column masses chunk by chunk, the chunk of masses staying in L1. With float costs the exponentials are
     * kept in float (rounding 3e-8 relative, so marginal errors below ~1e-7 are out of reach there).
     */
    static Sweep sweepChunked(CostRows rows, int from, int to, double[] logA, double[] f, double[] h, double eps, double w, double[] fOut) {
        int m = rows.m;
        int chunks = (m + CHUNK_COLUMNS - 1) / CHUNK_COLUMNS;
        double invEps = 1 / eps;
        ExpSums sums = ExpSums.BEST;
        double[] tile = new double[BLOCK_ROWS * CHUNK_COLUMNS];
        boolean inFloat = rows.inFloat();
        float[] eFloat = inFloat ? new float[BLOCK_ROWS * m] : null;  // the exponentials, in float with float costs (half the traffic)
        double[] eDouble = inFloat ? null : new double[BLOCK_ROWS * m];
        double[] chunkMax = new double[BLOCK_ROWS * chunks];
        double[] chunkCost = new double[BLOCK_ROWS * chunks];  // sum_j c_ij e_ij per chunk: <P, C> in the measuring sweep
        double[] coefficient = new double[BLOCK_ROWS * chunks];
        double[] rowMax = new double[BLOCK_ROWS];
        double[] rowSum = new double[BLOCK_ROWS];
        boolean[] byMaximum = new boolean[BLOCK_ROWS];
        double[] mass = new double[m];
        double rowError = 0;
        double blockMass = 0;
        double transport = 0;
        for (int i0 = from; i0 < to; i0 += BLOCK_ROWS) {
            int count = Math.min(to, i0 + BLOCK_ROWS) - i0;
            // Exponents shifted by -f_i / eps rather than by the chunk's maximum (one pass less): with f near T(g)
            // the row sums are near 1. A row whose chunk sum leaves [e^-30, e^78] (terms that could overflow float,
            // or a chunk whose terms could lose digits) has that chunk redone with its maximum, and its later chunks too.
            Arrays.fill(rowMax, Double.NEGATIVE_INFINITY);
            Arrays.fill(rowSum, 0);
            Arrays.fill(byMaximum, false);
            for (int c = 0; c < chunks; c++) {
                int j0 = c * CHUNK_COLUMNS;
                int width = Math.min(m, j0 + CHUNK_COLUMNS) - j0;
                rows.loadBlock(i0, i0 + count, j0, j0 + width, tile);
                for (int r = 0; r < count; r++) {
                    double max = byMaximum[r] ? sums.maxOf(h, j0, tile, r * width, width, invEps) : -f[i0 + r] * invEps;
                    double sum = max == Double.NEGATIVE_INFINITY ? 0 : exponentials(sums, inFloat, h, j0, tile, r * width, width, invEps, max,
                            eFloat, eDouble, r * m + j0);
                    if (!byMaximum[r] && !(sum >= 9.4e-14 && sum <= 7.5e33)) {
                        byMaximum[r] = true;
                        max = sums.maxOf(h, j0, tile, r * width, width, invEps);
                        sum = max == Double.NEGATIVE_INFINITY ? 0 : exponentials(sums, inFloat, h, j0, tile, r * width, width, invEps, max,
                                eFloat, eDouble, r * m + j0);
                    }
                    chunkMax[r * chunks + c] = max;
                    if (max == Double.NEGATIVE_INFINITY) {  // only zero-weight columns here
                        continue;
                    }
                    if (w == 0) {
                        chunkCost[r * chunks + c] = inFloat ? sums.dotFloat(tile, r * width, eFloat, r * m + j0, width)
                                : sums.dotAt(tile, r * width, eDouble, r * m + j0, width);
                    }
                    if (max > rowMax[r]) {
                        rowSum[r] = rowSum[r] * Math.exp(rowMax[r] - max) + sum;
                        rowMax[r] = max;
                    } else {
                        rowSum[r] += sum * Math.exp(max - rowMax[r]);
                    }
                }
            }
            for (int r = 0; r < count; r++) {
                int i = i0 + r;
                double target = -eps * (rowMax[r] + Math.log(rowSum[r]));  // T(g)_i
                double next = f[i] + w * (target - f[i]);
                fOut[i] = next;
                double scale = 0;
                if (logA[i] > Double.NEGATIVE_INFINITY) {
                    double a = Math.exp(logA[i]);
                    rowError += a * Math.abs(Math.exp((f[i] - target) * invEps) - 1);
                    double rowMass = a * Math.exp((next - target) * invEps);
                    blockMass += rowMass;
                    scale = rowMass / rowSum[r];
                }
                for (int c = 0; c < chunks; c++) {
                    double max = chunkMax[r * chunks + c];
                    double coefficientOfChunk = scale == 0 || max == Double.NEGATIVE_INFINITY ? 0 : scale * Math.exp(max - rowMax[r]);
                    coefficient[r * chunks + c] = coefficientOfChunk;
                    if (w == 0) {
                        transport += coefficientOfChunk * chunkCost[r * chunks + c];
                    }
                }
            }
            for (int c = 0; c < chunks; c++) {
                int j0 = c * CHUNK_COLUMNS;
                int width = Math.min(m, j0 + CHUNK_COLUMNS) - j0;
                for (int r = 0; r < count; r++) {
                    double coefficientOfChunk = coefficient[r * chunks + c];
                    if (coefficientOfChunk != 0 && inFloat) {
                        sums.axpyFloat(coefficientOfChunk, eFloat, r * m + j0, mass, j0, width);
                    } else if (coefficientOfChunk != 0) {
                        sums.axpyAt(coefficientOfChunk, eDouble, r * m + j0, mass, j0, width);
                    }
                }
            }
        }
        return new Sweep(mass, rowError, blockMass, transport);
    }

    /** One row's exponentials of one chunk into e (float or double); returns their sum. */
    private static double exponentials(ExpSums sums, boolean inFloat, double[] h, int j0, double[] tile, int co, int width, double invEps,
                                       double shift, float[] eFloat, double[] eDouble, int eo) {
        return inFloat ? sums.expIntoFloat(h, j0, tile, co, width, invEps, shift, eFloat, eo)
                : sums.expIntoAt(h, j0, tile, co, width, invEps, shift, eDouble, eo);
    }

    /**
     * A Spark task's sweep: rows of {@code block} (a block of X against all of Y, costs recomputed in tiles) with
     * their weights' logs, current potentials f, and h = log b + g / eps broadcast; new f into {@code fOut}.
     */
    public static Sweep ofBlock(PairwiseCost block, boolean floatCosts, double[] logA, double[] f, double[] h, double eps, double w, double[] fOut) {
        return sweep(CostRows.of(block, 0, floatCosts), 0, block.rows(), logA, f, h, eps, w, fOut);
    }
}
