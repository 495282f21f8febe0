package org.wganspark.ot.entropic;

import org.wganspark.ot.TopK;

import org.wganspark.ot.Blocks;

import java.util.Arrays;
import java.util.SplittableRandom;
import java.util.function.Consumer;
import java.util.stream.IntStream;
import org.wganspark.ot.Status;
import org.wganspark.ot.Weights;
import org.wganspark.ot.cost.PairwiseCost;

/**
 * Log-domain Sinkhorn with epsilon scaling (Schmitzer 2019, "Stabilized sparse scaling algorithms"; Feydy et al.
 * 2019 for the symmetric updates and the divergence). Potentials, not scalings, are iterated:
 * <pre>
 *   f_i = -eps LSE_j(log b_j + (g_j - c_ij) / eps),   g_j = -eps LSE_i(log a_i + (f_i - c_ij) / eps),
 * </pre>
 * each log-sum-exp shifted by its maximum, so any epsilon is stable. Costs come from {@link CostRows}: kept
 * when the matrix fits, else recomputed tile by tile. The marginal error of the state before each update is
 * read off the update itself (P^T 1 = b exp((g - g_new) / eps)), so checking convergence costs no extra pass.
 */
public final class Sinkhorn {

    private final Weights a;
    private final Weights b;
    private final CostRows rows;
    private final double[] logA;
    private final double[] logB;
    private final int tasks;
    private final ExpSums sums = ExpSums.BEST;
    private final int progressEvery;

    private Sinkhorn(Weights a, Weights b, PairwiseCost cost, SinkhornOptions options) {
        if (a.size() != cost.rows() || b.size() != cost.cols()) {
            throw new IllegalArgumentException("a has " + a.size() + " weights and b " + b.size() + ", the cost is " + cost.rows() + " x " + cost.cols());
        }
        this.a = a;
        this.b = b;
        this.rows = CostRows.of(cost, options.denseEntries(), options.floatCosts());
        this.logA = logs(a);
        this.logB = logs(b);
        this.tasks = Math.max(1, Math.min(cost.rows(), Runtime.getRuntime().availableProcessors() * 2));
        // a progress line every ~10 s of work: every 100 iterations for small problems, every iteration for huge ones
        this.progressEvery = (int) Math.max(1, Math.min(100, 2e9 / Math.max(1.0, (double) cost.rows() * cost.cols() * cost.dimension())));
    }

    private static double[] logs(Weights w) {
        double[] out = new double[w.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = Math.log(w.get(i));  // zero weights give -inf: those points carry no mass
        }
        return out;
    }

    public static SinkhornResult solve(Weights a, Weights b, PairwiseCost cost, SinkhornOptions options) {
        return solve(a, b, cost, options, null);
    }

    /** @param progress receives a line per epsilon stage and every 100 iterations (may be null) */
    public static SinkhornResult solve(Weights a, Weights b, PairwiseCost cost, SinkhornOptions options, Consumer<String> progress) {
        Sinkhorn solver = new Sinkhorn(a, b, cost, options);
        double largest = largestCostEstimate(cost);
        if (solver.rows.matrix() != null && !options.symmetric()) {
            SinkhornResult r = solver.runStabilizedKernel(options, largest, progress);
            if (r != null) {
                return r;
            }
            if (progress != null) {
                progress.accept("the stabilized kernel lost a row to underflow; restarting in the log domain");
            }
        }
        return solver.run(options, largest, progress, solver.localSweeper(solver.tasks));
    }

    /**
     * The fused log-domain iteration with sweeps run by {@code sweeper} (Spark executors in spark-jobs); never
     * keeps the cost matrix. With the local sweeper over the same blocks it gives the same bits.
     */
    public static SinkhornResult solveWith(Weights a, Weights b, PairwiseCost cost, SinkhornOptions options, Consumer<String> progress,
                                           java.util.function.Function<double[], Sweeper> sweeperForLogA) {
        Sinkhorn solver = new Sinkhorn(a, b, cost, options.withDenseEntries(0).withSymmetric(false));
        return solver.run(options.withSymmetric(false), largestCostEstimate(cost), progress, sweeperForLogA.apply(solver.logA));
    }

    /** The local sweeper over {@code blocks} row blocks, the reference for a distributed one. */
    public static SinkhornResult solveLocally(Weights a, Weights b, PairwiseCost cost, SinkhornOptions options, int blocks) {
        Sinkhorn solver = new Sinkhorn(a, b, cost, options.withDenseEntries(0).withSymmetric(false));
        return solver.run(options.withSymmetric(false), largestCostEstimate(cost), null, solver.localSweeper(blocks));
    }

    /**
     * The Sinkhorn divergence S_eps(a, b) = OT_eps(a, b) - (OT_eps(a, a) + OT_eps(b, b)) / 2 (Feydy et al. 2019):
     * nonnegative, zero for equal measures. The self terms use symmetric updates.
     */
    public static SinkhornDivergence divergence(Weights a, Weights b, PairwiseCost xy, PairwiseCost xx, PairwiseCost yy, SinkhornOptions options) {
        SinkhornResult ab = solve(a, b, xy, options);
        SinkhornResult aa = solve(a, a, xx, options.withSymmetric(true));
        SinkhornResult bb = solve(b, b, yy, options.withSymmetric(true));
        return new SinkhornDivergence(ab.objective() - (aa.objective() + bb.objective()) / 2, ab, aa, bb);
    }

    /** The q-quantile of the cost over {@code samples} seeded random pairs (all pairs when there are fewer). */
    public static double costQuantile(PairwiseCost cost, double q, int samples, long seed) {
        int n = cost.rows();
        int m = cost.cols();
        double[] values;
        if ((long) n * m <= samples) {
            values = new double[n * m];
            for (int i = 0; i < n; i++) {
                for (int j = 0; j < m; j++) {
                    values[i * m + j] = cost.cost(i, j);
                }
            }
        } else {
            SplittableRandom random = new SplittableRandom(seed);
            values = new double[samples];
            for (int s = 0; s < samples; s++) {
                values[s] = cost.cost(random.nextInt(n), random.nextInt(m));
            }
        }
        Arrays.sort(values);
        return values[(int) Math.min(values.length - 1, Math.round(q * (values.length - 1)))];
    }

    /**
     * The k largest entries of each row of the plan P_ij = a_i b_j exp((f_i + g_j - c_ij) / eps), pairs whose mass
     * is at least {@code threshold}: rows, cols and masses, row by row. Costs recomputed; this JVM's threads.
     */
    public static double[][] topPlan(Weights a, Weights b, PairwiseCost cost, SinkhornResult r, int k, double threshold) {
        int n = cost.rows();
        int m = cost.cols();
        int kk = Math.min(k, m);
        double[][] perRow = new double[n][];
        IntStream.range(0, n).parallel().forEach(i -> {
            int[] best = new int[kk];
            double[] negated = new double[kk];  // the k largest masses are the k smallest negated ones
            Arrays.fill(negated, 1);
            for (int j = 0; j < m; j++) {
                double p = a.get(i) * b.get(j) * Math.exp((r.f()[i] + r.g()[j] - cost.cost(i, j)) / r.epsilon());
                TopK.offer(negated, best, 0, kk, -p, j);
            }
            int kept = 0;
            double[] row = new double[2 * kk];
            for (int t = 0; t < kk; t++) {
                double mass = -negated[t];
                if (mass >= threshold && mass > 0) {
                    row[2 * kept] = best[t];
                    row[2 * kept + 1] = mass;
                    kept++;
                }
            }
            perRow[i] = Arrays.copyOf(row, 2 * kept);
        });
        int total = Arrays.stream(perRow).mapToInt(row -> row.length / 2).sum();
        double[][] out = {new double[total], new double[total], new double[total]};
        int at = 0;
        for (int i = 0; i < n; i++) {
            for (int t = 0; t < perRow[i].length / 2; t++) {
                out[0][at] = i;
                out[1][at] = perRow[i][2 * t];
                out[2][at] = perRow[i][2 * t + 1];
                at++;
            }
        }
        return out;
    }

    /** The largest cost, from the kept matrix's rows or a seeded sample of pairs: where epsilon scaling starts. */
    static double largestCostEstimate(PairwiseCost cost) {
        int n = cost.rows();
        int m = cost.cols();
        double max = 0;
        if ((long) n * m <= 1 << 16) {
            for (int i = 0; i < n; i++) {
                for (int j = 0; j < m; j++) {
                    max = Math.max(max, cost.cost(i, j));
                }
            }
            return max;
        }
        SplittableRandom random = new SplittableRandom(0x5eedL);
        for (int s = 0; s < 4096; s++) {
            max = Math.max(max, cost.cost(random.nextInt(n), random.nextInt(m)));
        }
        return max;
    }

    private SinkhornResult run(SinkhornOptions options, double largestCost, Consumer<String> progress, Sweeper sweeper) {
        int n = rows.n;
        int m = rows.m;
        double[] f = new double[n];
        double[] g = new double[m];
        double[] fNew = new double[n];
        double[] gNew = new double[m];
        double eps = options.scaling() < 1 ? Math.max(options.epsilon(), largestCost) : options.epsilon();
        int iterations = 0;
        Status status = Status.MAX_ITERATIONS;
        long start = System.nanoTime();
        OverRelaxation relax = new OverRelaxation();
        // the fused iteration is accelerated by Anderson mixing of g (on Fashion-MNIST patches, eps 0.05 x median cost,
        // marginal error 1e-6: 16k x 16k in 45 iterations, 48k in 44, where over-relaxation took 63 and 64)
        Anderson anderson = options.symmetric() ? null : new Anderson(ANDERSON_DEPTH, m);
        double bestError = Double.POSITIVE_INFINITY;
        while (iterations < options.maxIterations()) {
            boolean last = eps <= options.epsilon();
            double tolerance = last ? options.tolerance() : Math.max(options.tolerance(), options.stageTolerance());
            double error;
            if (options.symmetric()) {
                double rowError = updateRows(g, eps, f, fNew);
                double colError = updateColumns(f, eps, g, gNew);
                error = rowError + colError;
                if (error < tolerance) {
                    status = Status.CONVERGED;
                } else {
                    for (int i = 0; i < n; i++) {
                        f[i] = 0.5 * (f[i] + fNew[i]);
                    }
                    for (int j = 0; j < m; j++) {
                        g[j] = 0.5 * (g[j] + gNew[j]);
                    }
                }
            } else {
                // one fused sweep: f <- f + w (T(g) - f) and the column masses under the new f
                double[] h = new double[m];
                for (int j = 0; j < m; j++) {
                    h[j] = logB[j] + g[j] / eps;
                }
                double w = anderson != null ? 1 : relax.omega();
                double epsilon = eps;
                Sweep[] parts = sweeper.sweep(f, h, epsilon, w, fNew);
                System.arraycopy(fNew, 0, f, 0, n);
                double[] colMass = Sweep.columnMass(parts, m);
                error = 0;
                for (int j = 0; j < m; j++) {
                    error += Math.abs(colMass[j] - b.get(j));
                }
                boolean plain = anderson != null || relax.plain();
                if (error < tolerance && plain) {
                    status = Status.CONVERGED;  // rows exact after a plain step; columns off by error
                } else if (anderson != null) {
                    for (int j = 0; j < m; j++) {
                        gNew[j] = nextColumnPotential(g[j], colMass[j], b.get(j), eps);
                    }
                    bestError = Math.min(bestError, error);
                    if (error > 10 * bestError) {
                        anderson.reset();
                        bestError = error;
                    }
                    anderson.step(g, gNew);
                } else {
                    for (int j = 0; j < m; j++) {
                        gNew[j] = nextColumnPotential(g[j], colMass[j], b.get(j), eps);
                        g[j] += w * (gNew[j] - g[j]);
                    }
                }
                if (anderson == null) {
                    relax.observe(error, error < tolerance);
                }
            }
            iterations++;
            tell(progress, progressEvery, eps, iterations, error, anderson != null ? null : relax, start, status == Status.CONVERGED);
            if (status == Status.CONVERGED) {
                if (last) {
                    break;
                }
                status = Status.MAX_ITERATIONS;
                eps = Math.max(options.epsilon(), eps * options.scaling());
                relax.restart();
                if (anderson != null) {
                    anderson.reset();
                    bestError = Double.POSITIVE_INFINITY;
                }
            }
        }
        return reportFromSweep(sweeper, f, g, eps, iterations, status);
    }

    /** The final state measured by one sweep with w = 0 (f unchanged): both marginals, <P, C>, the objective. */
    private SinkhornResult reportFromSweep(Sweeper sweeper, double[] f, double[] g, double eps, int iterations, Status status) {
        int n = rows.n;
        int m = rows.m;
        double[] h = new double[m];
        for (int j = 0; j < m; j++) {
            h[j] = logB[j] + g[j] / eps;
        }
        Sweep[] parts = sweeper.sweep(f, h, eps, 0, new double[n]);
        double[] colMass = Sweep.columnMass(parts, m);
        double error = 0;
        double mass = 0;
        double transport = 0;
        double dual = 0;
        for (Sweep part : parts) {
            error += part.rowError();
            mass += part.mass();
            transport += part.transport();
        }
        for (int i = 0; i < n; i++) {
            if (a.get(i) > 0) {
                dual += a.get(i) * f[i];
            }
        }
        for (int j = 0; j < m; j++) {
            error += Math.abs(colMass[j] - b.get(j));
            if (b.get(j) > 0) {
                dual += b.get(j) * g[j];
            }
        }
        return new SinkhornResult(f, g, transport, dual - eps * (mass - 1), eps, iterations, error, status);
    }

    /** Runs one fused sweep over all rows, split in blocks; returns the blocks' results in row order. */
    @FunctionalInterface
    public interface Sweeper {
        Sweep[] sweep(double[] f, double[] h, double eps, double w, double[] fOut);
    }

    /** This JVM's threads over {@code blocks} row blocks of the cost. */
    Sweeper localSweeper(int blocks) {
        int n = rows.n;
        return (f, h, eps, w, fOut) -> IntStream.range(0, blocks).parallel().mapToObj(t -> sweep(rows, Blocks.start(n, t, blocks),
                Blocks.start(n, t + 1, blocks), logA, f, h, eps, w, fOut)).toArray(Sweep[]::new);
    }

    /** A progress line every {@code every} iterations and at the end of each epsilon stage. */
    private static void tell(Consumer<String> progress, int every, double eps, int iterations, double error, OverRelaxation relax, long start,
                             boolean stageDone) {
        if (progress != null && (iterations % every == 0 || stageDone)) {
            progress.accept(String.format(java.util.Locale.ROOT, "eps %.4g: iteration %d, marginal error %.3g, %s, %.2f s",
                    eps, iterations, error, relax == null ? "Anderson mixing" : String.format(java.util.Locale.ROOT, "over-relaxation %.3f", relax.omega()),
                    (System.nanoTime() - start) / 1e9));
        }
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
     * What a sweep over a block of rows returns: the column masses its rows send under the new f, the rows'
     * marginal error before the step, and, under the new f, the block's total mass and its share of <P, C>.
     */
    public record Sweep(double[] columnMass, double rowError, double mass, double transport) implements java.io.Serializable {

        /** Sum of the parts' column masses, in the parts' order (so any split summed in order gives the same bits). */
        public static double[] columnMass(Sweep[] parts, int m) {
            double[] total = new double[m];
            for (Sweep part : parts) {
                for (int j = 0; j < m; j++) {
                    total[j] += part.columnMass[j];
                }
            }
            return total;
        }
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

    /** Iterates mixed by {@link Anderson} in the fused iteration. */
    static final int ANDERSON_DEPTH = 8;

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
    public static Sweep sweepBlock(PairwiseCost block, boolean floatCosts, double[] logA, double[] f, double[] h, double eps, double w, double[] fOut) {
        return sweep(CostRows.of(block, 0, floatCosts), 0, block.rows(), logA, f, h, eps, w, fOut);
    }

    /**
     * With the cost matrix kept: Sinkhorn on the stabilized kernel K_ij = exp((f0_i + g0_j - c_ij) / eps), whose
     * potentials (f0, g0) are absorbed again whenever f or g moves 30 eps away (Schmitzer 2019, sec. 3.2): each
     * half-step is a product with K instead of n m exponentials. Over-relaxation f <- f + w (T(g) - f) with w
     * from the observed contraction rate theta, w = 2 / (1 + sqrt(1 - theta)) (Thibault et al. 2017), falling
     * back to w = 1 whenever the error grows; convergence is always confirmed by a plain step. Returns null if
     * a row or column of K underflows entirely (then the caller runs the log-domain iteration).
     */
    private SinkhornResult runStabilizedKernel(SinkhornOptions options, double largestCost, Consumer<String> progress) {
        int n = rows.n;
        int m = rows.m;
        double[] c = rows.matrix();
        double[] kernel = new double[n * m];
        double[] f = new double[n];
        double[] g = new double[m];
        double[] f0 = new double[n];
        double[] g0 = new double[m];
        double[] alpha = new double[n];
        double[] beta = new double[m];
        double[] rowSum = new double[n];
        double[] colSum = new double[m];
        double eps = options.scaling() < 1 ? Math.max(options.epsilon(), largestCost) : options.epsilon();
        int iterations = 0;
        Status status = Status.MAX_ITERATIONS;
        long start = System.nanoTime();
        boolean absorb = true;
        OverRelaxation relax = new OverRelaxation();
        while (iterations < options.maxIterations()) {
            boolean last = eps <= options.epsilon();
            double tolerance = last ? options.tolerance() : Math.max(options.tolerance(), options.stageTolerance());
            double invEps = 1 / eps;
            if (absorb) {
                System.arraycopy(f, 0, f0, 0, n);
                System.arraycopy(g, 0, g0, 0, m);
                IntStream.range(0, tasks).parallel().forEach(t -> {
                    for (int i = Blocks.start(n, t, tasks); i < Blocks.start(n, t + 1, tasks); i++) {
                        sums.kernelRow(f0[i], g0, c, i * m, m, invEps, kernel, i * m);
                    }
                });
                absorb = false;
            }
            // f half-step: T(g)_i = f0_i - eps log sum_j K_ij b_j exp((g_j - g0_j) / eps)
            for (int j = 0; j < m; j++) {
                beta[j] = b.get(j) * Math.exp((g[j] - g0[j]) * invEps);
            }
            IntStream.range(0, tasks).parallel().forEach(t -> {
                for (int i = Blocks.start(n, t, tasks); i < Blocks.start(n, t + 1, tasks); i++) {
                    rowSum[i] = sums.dot(kernel, i * m, beta, m);
                }
            });
            for (int i = 0; i < n; i++) {
                if (!(rowSum[i] > 0) || !Double.isFinite(rowSum[i])) {
                    return null;
                }
                double target = f0[i] - eps * Math.log(rowSum[i]);
                f[i] += relax.omega() * (target - f[i]);
                alpha[i] = a.get(i) * Math.exp((f[i] - f0[i]) * invEps);
            }
            // g half-step, with the column error of (f, g) read off it
            double[][] parts = new double[tasks][];
            IntStream.range(0, tasks).parallel().forEach(t -> {
                double[] part = new double[m];
                for (int i = Blocks.start(n, t, tasks); i < Blocks.start(n, t + 1, tasks); i++) {
                    if (alpha[i] != 0) {
                        sums.axpy(alpha[i], kernel, i * m, part, m);
                    }
                }
                parts[t] = part;
            });
            java.util.Arrays.fill(colSum, 0);
            for (double[] part : parts) {
                for (int j = 0; j < m; j++) {
                    colSum[j] += part[j];
                }
            }
            double error = 0;
            double drift = 0;
            double[] gNext = new double[m];
            for (int j = 0; j < m; j++) {
                if (!(colSum[j] > 0) || !Double.isFinite(colSum[j])) {
                    return null;
                }
                double target = g0[j] - eps * Math.log(colSum[j]);
                if (b.get(j) > 0) {
                    error += b.get(j) * Math.abs(Math.exp((g[j] - target) * invEps) - 1);
                }
                gNext[j] = g[j] + relax.omega() * (target - g[j]);
            }
            iterations++;
            boolean plain = relax.plain();
            if (error < tolerance && plain) {
                status = Status.CONVERGED;  // (f, g): rows exact after a plain step, columns off by error
            } else {
                System.arraycopy(gNext, 0, g, 0, m);
            }
            for (int i = 0; i < n; i++) {
                drift = Math.max(drift, Math.abs(f[i] - f0[i]));
            }
            for (int j = 0; j < m; j++) {
                drift = Math.max(drift, Math.abs(g[j] - g0[j]));
            }
            absorb = drift > 30 * eps;
            relax.observe(error, error < tolerance);
            tell(progress, progressEvery, eps, iterations, error, relax, start, status == Status.CONVERGED);
            if (status == Status.CONVERGED) {
                if (last) {
                    break;
                }
                status = Status.MAX_ITERATIONS;
                eps = Math.max(options.epsilon(), eps * options.scaling());
                absorb = true;
                relax.restart();
            }
        }
        return reportFromSweep(localSweeper(tasks), f, g, eps, iterations, status);
    }

    /**
     * f_new = T(g); returns sum_i a_i |exp((f_i - f_new_i) / eps) - 1|, the row marginal error of (f, g).
     */
    private double updateRows(double[] g, double eps, double[] f, double[] fNew) {
        int n = rows.n;
        int m = rows.m;
        double invEps = 1 / eps;
        double[] h = new double[m];
        for (int j = 0; j < m; j++) {
            h[j] = logB[j] + g[j] * invEps;
        }
        return IntStream.range(0, tasks).parallel().mapToDouble(t -> {
            int from = Blocks.start(n, t, tasks);
            int to = Blocks.start(n, t + 1, tasks);
            double[] scratch = rows.scratch();
            double error = 0;
            for (int i0 = from; i0 < to; i0 += rows.tileRows()) {
                int i1 = Math.min(to, i0 + rows.tileRows());
                double[] c = rows.load(i0, i1, scratch);
                for (int i = i0; i < i1; i++) {
                    int co = rows.offset(i, i0);
                    double max = sums.max(h, c, co, m, invEps);
                    double lse = max + Math.log(sums.sumExp(h, c, co, m, invEps, max));
                    fNew[i] = -eps * lse;
                    if (a.get(i) > 0) {
                        error += a.get(i) * Math.abs(Math.exp((f[i] - fNew[i]) * invEps) - 1);
                    }
                }
            }
            return error;
        }).sum();
    }

    /** g_new = T(f); returns sum_j b_j |exp((g_j - g_new_j) / eps) - 1|, the column marginal error of (f, g). */
    private double updateColumns(double[] f, double eps, double[] g, double[] gNew) {
        int n = rows.n;
        int m = rows.m;
        double invEps = 1 / eps;
        double[][] partMax = new double[tasks][];
        double[][] partSum = new double[tasks][];
        IntStream.range(0, tasks).parallel().forEach(t -> {
            int from = Blocks.start(n, t, tasks);
            int to = Blocks.start(n, t + 1, tasks);
            double[] scratch = rows.scratch();
            double[] colMax = new double[m];
            double[] colSum = new double[m];
            double[] tileMax = new double[m];
            Arrays.fill(colMax, Double.NEGATIVE_INFINITY);
            for (int i0 = from; i0 < to; i0 += rows.tileRows()) {
                int i1 = Math.min(to, i0 + rows.tileRows());
                double[] c = rows.load(i0, i1, scratch);
                Arrays.fill(tileMax, Double.NEGATIVE_INFINITY);
                for (int i = i0; i < i1; i++) {
                    sums.maxInto(logA[i] + f[i] * invEps, c, rows.offset(i, i0), m, invEps, tileMax);
                }
                for (int j = 0; j < m; j++) {
                    if (tileMax[j] > colMax[j]) {  // a new maximum: rescale what was summed under the old one
                        colSum[j] = colMax[j] == Double.NEGATIVE_INFINITY ? 0 : colSum[j] * Math.exp(colMax[j] - tileMax[j]);
                        colMax[j] = tileMax[j];
                    }
                }
                for (int i = i0; i < i1; i++) {
                    if (logA[i] > Double.NEGATIVE_INFINITY) {
                        sums.sumExpInto(logA[i] + f[i] * invEps, c, rows.offset(i, i0), m, invEps, colMax, colSum);
                    }
                }
            }
            partMax[t] = colMax;
            partSum[t] = colSum;
        });
        double error = 0;
        for (int j = 0; j < m; j++) {
            double max = Double.NEGATIVE_INFINITY;
            for (int t = 0; t < tasks; t++) {
                max = Math.max(max, partMax[t][j]);
            }
            double sum = 0;
            for (int t = 0; t < tasks; t++) {
                if (partMax[t][j] > Double.NEGATIVE_INFINITY) {
                    sum += partSum[t][j] * Math.exp(partMax[t][j] - max);
                }
            }
            gNew[j] = -eps * (max + Math.log(sum));
            if (b.get(j) > 0) {
                error += b.get(j) * Math.abs(Math.exp((g[j] - gNew[j]) * invEps) - 1);
            }
        }
        return error;
    }


}
