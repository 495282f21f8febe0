package org.wganspark.ot.sliced;

import java.util.Arrays;
import java.util.SplittableRandom;
import java.util.stream.IntStream;
import org.wganspark.ot.IndexSort;
import org.wganspark.ot.Weights;
import org.wganspark.ot.cost.PointSet;

/**
 * Sliced Wasserstein distances (Rabin et al. 2011; Deshpande et al. 2019 for max-sliced) with exact 1-D OT
 * for weighted sets of any sizes: the 1-D plan is the monotone (north-west corner) coupling of the sorted
 * projections, so the 1-D W1 and the full-dimensional cost of the same plan come from one sorted pass.
 */
public final class Sliced {

    /** Ascent steps of the max-sliced search. */
    private static final int ASCENT_STEPS = 30;

    private Sliced() {
    }

    /** {@code count} seeded unit directions in R^d, row-major. */
    public static double[] directions(int count, int d, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        double[] dirs = new double[count * d];
        for (int k = 0; k < count; k++) {
            double norm = 0;
            for (int c = 0; c < d; c++) {
                double v = random.nextGaussian();
                dirs[k * d + c] = v;
                norm += v * v;
            }
            norm = Math.sqrt(norm);
            for (int c = 0; c < d; c++) {
                dirs[k * d + c] /= norm;
            }
        }
        return dirs;
    }

    /** Projections of every point on direction {@code k} of {@code dirs}. */
    public static double[] project(PointSet p, double[] dirs, int k) {
        int d = p.d();
        double[] out = new double[p.n()];
        for (int i = 0; i < p.n(); i++) {
            double s = 0;
            int o = i * d;
            for (int c = 0; c < d; c++) {
                s += p.coordinate(o + c) * dirs[k * d + c];
            }
            out[i] = s;
        }
        return out;
    }

    /** The 1-D optimal plan between weighted projections: pairs (rows[t], cols[t]) with mass[t], sorted order. */
    record Plan1D(int[] rows, int[] cols, double[] mass, int size, double cost1D) {
    }

    /** Monotone coupling of xs (weights a) and ys (weights b), with its 1-D cost sum mass |x - y|. */
    static Plan1D plan(Weights a, double[] xs, Weights b, double[] ys) {
        int n = xs.length;
        int m = ys.length;
        int[] ox = IndexSort.argsort(xs);
        int[] oy = IndexSort.argsort(ys);
        int[] rows = new int[n + m];
        int[] cols = new int[n + m];
        double[] mass = new double[n + m];
        int size = 0;
        double cost = 0;
        int p = 0;
        int q = 0;
        double left = n > 0 ? a.get(ox[0]) : 0;
        double need = m > 0 ? b.get(oy[0]) : 0;
        while (p < n && q < m) {
            double moved = Math.min(left, need);
            if (moved > 0) {
                rows[size] = ox[p];
                cols[size] = oy[q];
                mass[size] = moved;
                cost += moved * Math.abs(xs[ox[p]] - ys[oy[q]]);
                size++;
            }
            left -= moved;
            need -= moved;
            // advance the side that ran out (both when equal); the last row or column absorbs rounding residues
            boolean rowDone = left <= 0 && p < n - 1 || q == m - 1 && p < n - 1 && need <= 0;
            boolean colDone = need <= 0 && q < m - 1 || p == n - 1 && q < m - 1 && left <= 0;
            if (!rowDone && !colDone) {
                break;
            }
            if (rowDone) {
                p++;
                left += a.get(ox[p]);
            }
            if (colDone) {
                q++;
                need += b.get(oy[q]);
            }
        }
        return new Plan1D(rows, cols, mass, size, cost);
    }

    /** SWD, its spread, the full-dimensional upper bounds and a max-sliced estimate over {@code count} directions. */
    public static SlicedResult compute(Weights a, PointSet x, Weights b, PointSet y, int count, long seed) {
        return compute(a, x, b, y, count, seed, true);
    }

    /** As {@link #compute(Weights, PointSet, Weights, PointSet, int, long)}; without the max-sliced ascent (NaN) when not asked. */
    public static SlicedResult compute(Weights a, PointSet x, Weights b, PointSet y, int count, long seed, boolean maxSliced) {
        if (x.d() != y.d()) {
            throw new IllegalArgumentException("X has dimension " + x.d() + ", Y has dimension " + y.d());
        }
        if (a.size() != x.n() || b.size() != y.n()) {
            throw new IllegalArgumentException("a has " + a.size() + " weights for " + x.n() + " points; b has " + b.size() + " for " + y.n());
        }
        int d = x.d();
        double[] dirs = directions(count, d, seed);
        double[] w1 = new double[count];
        double[] bound = new double[count];
        IntStream.range(0, count).parallel().forEach(k -> {
            Plan1D plan = plan(a, project(x, dirs, k), b, project(y, dirs, k));
            w1[k] = plan.cost1D();
            bound[k] = fullCost(x, y, plan);
        });
        double mean = Arrays.stream(w1).average().orElse(0);
        double variance = Arrays.stream(w1).map(v -> (v - mean) * (v - mean)).sum() / Math.max(1, count - 1);
        int best = 0;
        for (int k = 1; k < count; k++) {
            if (w1[k] > w1[best]) {
                best = k;
            }
        }
        double ascended = maxSliced ? ascend(a, x, b, y, Arrays.copyOfRange(dirs, best * d, (best + 1) * d), w1[best]) : Double.NaN;
        return new SlicedResult(mean, Math.sqrt(variance), Arrays.stream(bound).average().orElse(0), Arrays.stream(bound).min().orElse(0),
                ascended, count, seed);
    }

    /** sum_t mass_t ||x_rows[t] - y_cols[t]||: the full-dimensional cost of a 1-D plan. */
    static double fullCost(PointSet x, PointSet y, Plan1D plan) {
        org.wganspark.ot.cost.PairwiseCost cost = new org.wganspark.ot.cost.PairwiseCost(x, y, org.wganspark.ot.cost.Metric.EUCLIDEAN);
        double total = 0;
        for (int t = 0; t < plan.size(); t++) {
            total += plan.mass()[t] * cost.cost(plan.rows()[t], plan.cols()[t]);
        }
        return total;
    }

    /**
     * Projected gradient ascent of theta -> W1(theta^T x, theta^T y) on the unit sphere from {@code theta}; the
     * gradient for a fixed 1-D plan is sum_t mass_t sign(theta . (x - y)) (x - y). Steps halve when they do not
     * improve; returns the best value found (never below the start).
     */
    static double ascend(Weights a, PointSet x, Weights b, PointSet y, double[] theta, double value) {
        int d = x.d();
        double best = value;
        double step = 1;
        double[] dir = theta.clone();
        for (int s = 0; s < ASCENT_STEPS && step > 1e-6; s++) {
            Plan1D plan = plan(a, project(x, dir, 0), b, project(y, dir, 0));
            double[] grad = new double[d];
            for (int t = 0; t < plan.size(); t++) {
                int xo = plan.rows()[t] * d;
                int yo = plan.cols()[t] * d;
                double proj = 0;
                for (int c = 0; c < d; c++) {
                    proj += dir[c] * (x.coordinate(xo + c) - y.coordinate(yo + c));
                }
                double sign = Math.signum(proj) * plan.mass()[t];
                for (int c = 0; c < d; c++) {
                    grad[c] += sign * (x.coordinate(xo + c) - y.coordinate(yo + c));
                }
            }
            double radial = 0;
            for (int c = 0; c < d; c++) {
                radial += grad[c] * dir[c];
            }
            double norm = 0;
            for (int c = 0; c < d; c++) {
                grad[c] -= radial * dir[c];  // tangent part
                norm += grad[c] * grad[c];
            }
            norm = Math.sqrt(norm);
            if (norm == 0) {
                break;
            }
            double[] candidate = new double[d];
            double cn = 0;
            for (int c = 0; c < d; c++) {
                candidate[c] = dir[c] + step * grad[c] / norm;
                cn += candidate[c] * candidate[c];
            }
            cn = Math.sqrt(cn);
            for (int c = 0; c < d; c++) {
                candidate[c] /= cn;
            }
            double v = plan(a, project(x, candidate, 0), b, project(y, candidate, 0)).cost1D();
            if (v > best) {
                best = v;
                dir = candidate;
            } else {
                step /= 2;
            }
        }
        return best;
    }
}
