package org.wganspark.ot.loss;

import java.util.stream.IntStream;
import org.wganspark.ot.IndexSort;
import org.wganspark.ot.cost.PointSet;
import org.wganspark.ot.sliced.Sliced;

/**
 * Sliced W1 between uniformly weighted sets as a loss: the mean over L seeded unit directions theta of the exact
 * 1-D W1 between the projections, and its gradient. The 1-D plan is the monotone coupling of the sorted
 * projections (for n = m: rank k to rank k, the paper's SWD; otherwise by quantiles), so
 * d/dx_i = (1/L) sum_theta sum_j P_ij sign(theta.x_i - theta.y_j) theta.
 */
public final class SlicedLoss {

    private SlicedLoss() {
    }

    public static LossGradient of(PointSet x, PointSet y, int directions, long seed) {
        if (x.d() != y.d()) {
            throw new IllegalArgumentException("X has dimension " + x.d() + ", Y has dimension " + y.d());
        }
        if (directions < 1) {
            throw new IllegalArgumentException("directions must be at least 1, found " + directions);
        }
        int n = x.n();
        int d = x.d();
        double[] theta = Sliced.directions(directions, d, seed);
        double[][] px = project(x, theta, directions);
        double[][] py = project(y, theta, directions);
        double[] w1 = new double[directions];
        double[][] slope = new double[directions][];  // d(1-D W1)/d(theta.x_i), per direction
        IntStream.range(0, directions).parallel().forEach(k -> {
            slope[k] = new double[n];
            w1[k] = oneDimensional(px[k], py[k], slope[k]);
        });
        double[] gradient = new double[n * d];
        blocks(n).forEach(b -> {
            for (int i = b * BLOCK; i < Math.min(n, (b + 1) * BLOCK); i++) {
                int o = i * d;
                for (int k = 0; k < directions; k++) {
                    double s = slope[k][i] / directions;
                    if (s != 0) {
                        int t = k * d;
                        for (int c = 0; c < d; c++) {
                            gradient[o + c] += s * theta[t + c];
                        }
                    }
                }
            }
        });
        double value = 0;
        for (double v : w1) {
            value += v;
        }
        return new LossGradient(value / directions, gradient);
    }

    private static final int BLOCK = 256;

    private static IntStream blocks(int n) {
        return IntStream.range(0, (n + BLOCK - 1) / BLOCK).parallel();
    }

    /**
     * theta_k . p_i for every direction k (rows of the result) and point i. Each point's L projections are
     * accumulated together, coordinate by coordinate, along a contiguous row of theta transposed: a loop the JIT
     * vectorizes.
     */
    private static double[][] project(PointSet p, double[] theta, int directions) {
        int d = p.d();
        int n = p.n();
        float[] v = p.values();
        double[] thetaT = new double[d * directions];
        for (int k = 0; k < directions; k++) {
            for (int c = 0; c < d; c++) {
                thetaT[c * directions + k] = theta[k * d + c];
            }
        }
        double[][] out = new double[directions][n];
        blocks(n).forEach(b -> {
            double[] row = new double[directions];
            for (int i = b * BLOCK; i < Math.min(n, (b + 1) * BLOCK); i++) {
                java.util.Arrays.fill(row, 0);
                int o = i * d;
                for (int c = 0; c < d; c++) {
                    double value = v[o + c];
                    int t = c * directions;
                    for (int k = 0; k < directions; k++) {
                        row[k] += value * thetaT[t + k];
                    }
                }
                for (int k = 0; k < directions; k++) {
                    out[k][i] = row[k];
                }
            }
        });
        return out;
    }

    /**
     * Exact W1 between xs (each of mass 1/n) and ys (each 1/m) on the line, and its derivative in each xs[i] into
     * {@code slope}. Masses are counted in units of 1/(n m) (x carries m units, y carries n), so the quantile walk
     * is exact in integers.
     */
    static double oneDimensional(double[] xs, double[] ys, double[] slope) {
        int n = xs.length;
        int m = ys.length;
        int[] ox = new int[n];
        int[] oy = new int[m];
        IndexSort.argsort(xs, ox);
        IndexSort.argsort(ys, oy);
        double unit = 1.0 / ((double) n * m);
        double cost = 0;
        int p = 0;
        int q = 0;
        long left = m;
        long need = n;
        while (p < n && q < m) {
            long moved = Math.min(left, need);
            int i = ox[p];
            double delta = xs[i] - ys[oy[q]];
            cost += moved * Math.abs(delta);
            slope[i] += moved * unit * Math.signum(delta);
            left -= moved;
            need -= moved;
            if (left == 0) {
                p++;
                left = m;
            }
            if (need == 0) {
                q++;
                need = n;
            }
        }
        return cost * unit;
    }
}
