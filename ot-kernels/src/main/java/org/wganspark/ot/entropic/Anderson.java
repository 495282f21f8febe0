package org.wganspark.ot.entropic;

/**
 * Anderson acceleration (type II; Walker and Ni 2011) of the fixed point g = G(g) of one Sinkhorn iteration: the
 * next g mixes the last {@code depth} iterates so that the combination of their residuals G(g) - g is smallest
 * (a small least-squares problem, regularized).
 */
final class Anderson {

    private final int depth;
    private final double[][] iterateSteps;
    private final double[][] residualSteps;
    private final double[] lastIterate;
    private double[] lastResidual;
    private double[] residual;
    private boolean hasLast;
    private int count;
    private int next;

    Anderson(int depth, int m) {
        this.depth = depth;
        this.iterateSteps = new double[depth][m];
        this.residualSteps = new double[depth][m];
        this.lastIterate = new double[m];
        this.lastResidual = new double[m];
        this.residual = new double[m];
    }

    void reset() {
        hasLast = false;
        count = 0;
        next = 0;
    }

    /** g holds the current iterate, mapped = G(g); g receives the next iterate. */
    void step(double[] g, double[] mapped) {
        int m = g.length;
        double[] swap = lastResidual;  // the two residual buffers trade places: the previous residual is kept, no allocation
        lastResidual = residual;
        residual = swap;
        for (int j = 0; j < m; j++) {
            residual[j] = mapped[j] - g[j];
        }
        if (hasLast) {
            for (int j = 0; j < m; j++) {
                iterateSteps[next][j] = g[j] - lastIterate[j];
                residualSteps[next][j] = residual[j] - lastResidual[j];
            }
            next = (next + 1) % depth;
            count = Math.min(count + 1, depth);
        }
        System.arraycopy(g, 0, lastIterate, 0, m);
        hasLast = true;
        if (count == 0) {
            System.arraycopy(mapped, 0, g, 0, m);
            return;
        }
        double[][] normal = new double[count][count + 1];
        double trace = 0;
        for (int k = 0; k < count; k++) {
            for (int l = 0; l <= k; l++) {
                double s = 0;
                for (int j = 0; j < m; j++) {
                    s += residualSteps[k][j] * residualSteps[l][j];
                }
                normal[k][l] = s;
                normal[l][k] = s;
            }
            double s = 0;
            for (int j = 0; j < m; j++) {
                s += residualSteps[k][j] * residual[j];
            }
            normal[k][count] = s;
            trace += normal[k][k];
        }
        for (int k = 0; k < count; k++) {
            normal[k][k] += 1e-10 * trace + 1e-300;
        }
        double[] gamma = solve(normal, count);
        for (int j = 0; j < m; j++) {
            double v = g[j] + residual[j];
            for (int k = 0; k < count; k++) {
                v -= gamma[k] * (iterateSteps[k][j] + residualSteps[k][j]);
            }
            g[j] = v;
        }
    }

    /** Gaussian elimination with partial pivoting on the augmented k x (k + 1) system. */
    private static double[] solve(double[][] a, int k) {
        for (int c = 0; c < k; c++) {
            int pivot = c;
            for (int r = c + 1; r < k; r++) {
                if (Math.abs(a[r][c]) > Math.abs(a[pivot][c])) {
                    pivot = r;
                }
            }
            double[] t = a[c];
            a[c] = a[pivot];
            a[pivot] = t;
            for (int r = c + 1; r < k; r++) {
                double factor = a[r][c] / a[c][c];
                for (int q = c; q <= k; q++) {
                    a[r][q] -= factor * a[c][q];
                }
            }
        }
        double[] x = new double[k];
        for (int r = k - 1; r >= 0; r--) {
            double s = a[r][k];
            for (int q = r + 1; q < k; q++) {
                s -= a[r][q] * x[q];
            }
            x[r] = s / a[r][r];
        }
        return x;
    }
}
