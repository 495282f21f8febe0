package org.wganspark.ot.entropic;

import java.util.Arrays;
import java.util.stream.IntStream;
import org.wganspark.ot.Blocks;
import org.wganspark.ot.Status;
import org.wganspark.ot.Weights;

/**
 * Sinkhorn on a kept cost matrix through the stabilized kernel, the fast path of {@link Sinkhorn#solve} when the
 * matrix fits and the problem is not a symmetric self term.
 */
final class StabilizedKernel {

    private final Weights a;
    private final Weights b;
    private final CostRows rows;
    private final int tasks;
    private final ExpSums sums = ExpSums.BEST;

    StabilizedKernel(Weights a, Weights b, CostRows rows, int tasks) {
        this.a = a;
        this.b = b;
        this.rows = rows;
        this.tasks = tasks;
    }

    /**
     * With the cost matrix kept: Sinkhorn on the stabilized kernel K_ij = exp((f0_i + g0_j - c_ij) / eps), whose
     * potentials (f0, g0) are absorbed again whenever f or g moves 30 eps away (Schmitzer 2019, sec. 3.2): each
     * half-step is a product with K instead of n m exponentials. Over-relaxation f <- f + w (T(g) - f) with w
     * from the observed contraction rate theta, w = 2 / (1 + sqrt(1 - theta)) (Thibault et al. 2017), falling
     * back to w = 1 whenever the error grows; convergence is always confirmed by a plain step. Returns null if
     * a row or column of K underflows entirely (then the caller runs the log-domain iteration).
     */
    Sinkhorn.State run(SinkhornOptions options, double largestCost, StageProgress progress) {
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
        EpsilonSchedule stages = new EpsilonSchedule(options, largestCost);
        int iterations = 0;
        Status status = Status.MAX_ITERATIONS;
        boolean absorb = true;
        OverRelaxation relax = new OverRelaxation();
        while (iterations < options.maxIterations()) {
            double eps = stages.eps();
            double tolerance = stages.tolerance();
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
            Arrays.fill(colSum, 0);
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
            progress.iteration(eps, iterations, error, relax, status == Status.CONVERGED);
            if (status == Status.CONVERGED) {
                if (!stages.next()) {
                    break;
                }
                status = Status.MAX_ITERATIONS;
                absorb = true;
                relax.restart();
            }
        }
        return new Sinkhorn.State(f, g, stages.eps(), iterations, status);
    }
}
