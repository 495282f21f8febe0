package org.wganspark.ot.entropic;

import java.util.function.Consumer;
import java.util.function.Function;
import java.util.stream.IntStream;
import org.wganspark.ot.Blocks;
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
    private final int progressEvery;

    /** Iterates mixed by {@link Anderson} in the fused iteration. */
    static final int ANDERSON_DEPTH = 8;

    /** Where an iteration ended: the potentials, the last epsilon, the iterations taken and why it stopped. */
    record State(double[] f, double[] g, double eps, int iterations, Status status) {
    }

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
        double largest = CostScale.largestEstimate(cost);
        Sweeper threads = solver.localSweeper(solver.tasks);
        if (solver.rows.matrix() != null && !options.symmetric()) {
            StageProgress stages = solver.progress(progress);
            State state = new StabilizedKernel(a, b, solver.rows, solver.tasks).run(options, largest, stages);
            if (state != null) {
                return solver.reportFromSweep(threads, state);
            }
            stages.say("the stabilized kernel lost a row to underflow; restarting in the log domain");
        }
        return solver.reportFromSweep(threads, solver.run(options, largest, solver.progress(progress), threads));
    }

    /**
     * The fused log-domain iteration with sweeps run by {@code sweeper} (Spark executors in spark-jobs); never
     * keeps the cost matrix. With the local sweeper over the same blocks it gives the same bits.
     */
    public static SinkhornResult solveWith(Weights a, Weights b, PairwiseCost cost, SinkhornOptions options, Consumer<String> progress,
                                           Function<double[], Sweeper> sweeperForLogA) {
        Sinkhorn solver = new Sinkhorn(a, b, cost, options.withDenseEntries(0).withSymmetric(false));
        Sweeper sweeper = sweeperForLogA.apply(solver.logA);
        return solver.reportFromSweep(sweeper, solver.run(options.withSymmetric(false), CostScale.largestEstimate(cost), solver.progress(progress), sweeper));
    }

    /** The local sweeper over {@code blocks} row blocks, the reference for a distributed one. */
    public static SinkhornResult solveLocally(Weights a, Weights b, PairwiseCost cost, SinkhornOptions options, int blocks) {
        Sinkhorn solver = new Sinkhorn(a, b, cost, options.withDenseEntries(0).withSymmetric(false));
        Sweeper sweeper = solver.localSweeper(blocks);
        return solver.reportFromSweep(sweeper, solver.run(options.withSymmetric(false), CostScale.largestEstimate(cost), solver.progress(null), sweeper));
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

    private StageProgress progress(Consumer<String> out) {
        return new StageProgress(out, progressEvery);
    }

    /** The epsilon-scaling iteration: fused sweeps by {@code sweeper}, or symmetric averaged updates for a self term. */
    private State run(SinkhornOptions options, double largestCost, StageProgress progress, Sweeper sweeper) {
        int n = rows.n;
        int m = rows.m;
        double[] f = new double[n];
        double[] g = new double[m];
        double[] fNew = new double[n];
        double[] gNew = new double[m];
        EpsilonSchedule stages = new EpsilonSchedule(options, largestCost);
        int iterations = 0;
        Status status = Status.MAX_ITERATIONS;
        OverRelaxation relax = new OverRelaxation();
        SymmetricUpdates symmetric = options.symmetric() ? new SymmetricUpdates(a, b, rows, logA, logB, tasks) : null;
        // the fused iteration is accelerated by Anderson mixing of g (on Fashion-MNIST patches, eps 0.05 x median cost,
        // marginal error 1e-6: 16k x 16k in 45 iterations, 48k in 44, where over-relaxation took 63 and 64)
        Anderson anderson = options.symmetric() ? null : new Anderson(ANDERSON_DEPTH, m);
        double bestError = Double.POSITIVE_INFINITY;
        while (iterations < options.maxIterations()) {
            double eps = stages.eps();
            double tolerance = stages.tolerance();
            double error;
            if (options.symmetric()) {
                double rowError = symmetric.updateRows(g, eps, f, fNew);
                double colError = symmetric.updateColumns(f, eps, g, gNew);
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
                Sweep[] parts = sweeper.sweep(f, h, eps, w, fNew);
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
                        gNew[j] = FusedSweep.nextColumnPotential(g[j], colMass[j], b.get(j), eps);
                    }
                    bestError = Math.min(bestError, error);
                    if (error > 10 * bestError) {
                        anderson.reset();
                        bestError = error;
                    }
                    anderson.step(g, gNew);
                } else {
                    for (int j = 0; j < m; j++) {
                        gNew[j] = FusedSweep.nextColumnPotential(g[j], colMass[j], b.get(j), eps);
                        g[j] += w * (gNew[j] - g[j]);
                    }
                }
                if (anderson == null) {
                    relax.observe(error, error < tolerance);
                }
            }
            iterations++;
            progress.iteration(eps, iterations, error, anderson != null ? null : relax, status == Status.CONVERGED);
            if (status == Status.CONVERGED) {
                if (!stages.next()) {
                    break;
                }
                status = Status.MAX_ITERATIONS;
                relax.restart();
                if (anderson != null) {
                    anderson.reset();
                    bestError = Double.POSITIVE_INFINITY;
                }
            }
        }
        return new State(f, g, stages.eps(), iterations, status);
    }

    /** The final state measured by one sweep with w = 0 (f unchanged): both marginals, <P, C>, the objective. */
    private SinkhornResult reportFromSweep(Sweeper sweeper, State state) {
        double[] f = state.f();
        double[] g = state.g();
        double eps = state.eps();
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
        return new SinkhornResult(f, g, transport, dual - eps * (mass - 1), eps, state.iterations(), error, state.status());
    }

    /** This JVM's threads over {@code blocks} row blocks of the cost. */
    Sweeper localSweeper(int blocks) {
        int n = rows.n;
        return (f, h, eps, w, fOut) -> IntStream.range(0, blocks).parallel().mapToObj(t -> FusedSweep.sweep(rows, Blocks.start(n, t, blocks),
                Blocks.start(n, t + 1, blocks), logA, f, h, eps, w, fOut)).toArray(Sweep[]::new);
    }
}
