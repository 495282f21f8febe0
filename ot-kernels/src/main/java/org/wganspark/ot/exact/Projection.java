package org.wganspark.ot.exact;

import java.util.SplittableRandom;
import org.wganspark.ot.cost.PointSet;

/**
 * A cheap lower bound on ||x - y||^2 for pricing: with P the projection on r orthonormal directions (the top
 * principal directions of a seeded sample, found by subspace iteration),
 * <pre>
 *   ||x - y||^2 = ||P(x - y)||^2 + ||(I - P)(x - y)||^2 >= ||Px - Py||^2 + (||(I - P)x|| - ||(I - P)y||)^2.
 * </pre>
 * Any orthonormal basis gives a valid bound; a good one makes it tight, so most pairs are decided in r + 1
 * dimensions instead of d. Callers keep a safety margin for rounding.
 */
final class Projection {

    final int r;
    final double[] px;      // n x r
    final double[] py;      // m x r
    final double[] restX;   // ||(I - P)(x - mean)||
    final double[] restY;
    final double scale;     // largest ||x - mean||^2 over both sets, for absolute margins

    private Projection(int r, double[] px, double[] py, double[] restX, double[] restY, double scale) {
        this.r = r;
        this.px = px;
        this.py = py;
        this.restX = restX;
        this.restY = restY;
        this.scale = scale;
    }

    static Projection of(PointSet x, PointSet y, int rank, long seed) {
        int d = x.d();
        int r = Math.min(rank, d);
        double[] mean = new double[d];
        for (PointSet s : new PointSet[] {x, y}) {
            float[] v = s.values();
            for (int i = 0; i < s.n(); i++) {
                for (int k = 0; k < d; k++) {
                    mean[k] += v[i * d + k];
                }
            }
        }
        for (int k = 0; k < d; k++) {
            mean[k] /= x.n() + y.n();
        }
        double[] basis = principalDirections(x, y, mean, r, seed);  // r x d, orthonormal rows
        double[] restX = new double[x.n()];
        double[] restY = new double[y.n()];
        double[] px = project(x, mean, basis, r, restX);
        double[] py = project(y, mean, basis, r, restY);
        double scale = 0;
        for (PointSet s : new PointSet[] {x, y}) {
            float[] v = s.values();
            for (int i = 0; i < s.n(); i++) {
                double sq = 0;
                for (int k = 0; k < d; k++) {
                    double t = v[i * d + k] - mean[k];
                    sq += t * t;
                }
                scale = Math.max(scale, sq);
            }
        }
        return new Projection(r, px, py, restX, restY, Math.max(scale, Double.MIN_NORMAL));
    }

    /** Lower bound on the squared distance of x_i and y_j. */
    double lowerBound(int i, int j) {
        int io = i * r;
        int jo = j * r;
        double s = 0;
        for (int k = 0; k < r; k++) {
            double t = px[io + k] - py[jo + k];
            s += t * t;
        }
        double t = restX[i] - restY[j];
        return s + t * t;
    }

    double firstCoordinateX(int i) {
        return px[i * r];
    }

    double firstCoordinateY(int j) {
        return py[j * r];
    }

    private static double[] project(PointSet s, double[] mean, double[] basis, int r, double[] rest) {
        int d = s.d();
        float[] v = s.values();
        double[] out = new double[s.n() * r];
        double[] centered = new double[d];
        for (int i = 0; i < s.n(); i++) {
            for (int k = 0; k < d; k++) {
                centered[k] = v[i * d + k] - mean[k];
            }
            for (int c = 0; c < r; c++) {
                double dot = 0;
                for (int k = 0; k < d; k++) {
                    dot += basis[c * d + k] * centered[k];
                }
                out[i * r + c] = dot;
            }
            // the residual explicitly (not |x|^2 - |Px|^2, which cancels)
            double sq = 0;
            for (int k = 0; k < d; k++) {
                double res = centered[k];
                for (int c = 0; c < r; c++) {
                    res -= out[i * r + c] * basis[c * d + k];
                }
                sq += res * res;
            }
            rest[i] = Math.sqrt(sq);
        }
        return out;
    }

    /** Subspace iteration on a seeded sample of both sets: Q <- orth(S^T S Q), a few rounds. */
    private static double[] principalDirections(PointSet x, PointSet y, double[] mean, int r, long seed) {
        int d = x.d();
        int total = x.n() + y.n();
        int samples = Math.min(total, 2048);
        SplittableRandom random = new SplittableRandom(seed);
        double[] sample = new double[samples * d];
        for (int s = 0; s < samples; s++) {
            int pick = samples == total ? s : random.nextInt(total);
            PointSet set = pick < x.n() ? x : y;
            int row = pick < x.n() ? pick : pick - x.n();
            for (int k = 0; k < d; k++) {
                sample[s * d + k] = set.values()[row * d + k] - mean[k];
            }
        }
        double[] q = new double[r * d];
        for (int k = 0; k < q.length; k++) {
            q[k] = random.nextGaussian();
        }
        orthonormalize(q, r, d);
        double[] projected = new double[samples * r];
        for (int iteration = 0; iteration < 6; iteration++) {
            for (int s = 0; s < samples; s++) {
                for (int c = 0; c < r; c++) {
                    double dot = 0;
                    for (int k = 0; k < d; k++) {
                        dot += sample[s * d + k] * q[c * d + k];
                    }
                    projected[s * r + c] = dot;
                }
            }
            java.util.Arrays.fill(q, 0);
            for (int s = 0; s < samples; s++) {
                for (int c = 0; c < r; c++) {
                    double w = projected[s * r + c];
                    for (int k = 0; k < d; k++) {
                        q[c * d + k] += w * sample[s * d + k];
                    }
                }
            }
            orthonormalize(q, r, d);
        }
        return q;
    }

    /** Modified Gram-Schmidt, twice (Kahan's "twice is enough"); a vanishing row becomes a fresh unit vector. */
    private static void orthonormalize(double[] q, int r, int d) {
        for (int pass = 0; pass < 2; pass++) {
            for (int c = 0; c < r; c++) {
                for (int p = 0; p < c; p++) {
                    double dot = 0;
                    for (int k = 0; k < d; k++) {
                        dot += q[c * d + k] * q[p * d + k];
                    }
                    for (int k = 0; k < d; k++) {
                        q[c * d + k] -= dot * q[p * d + k];
                    }
                }
                double norm = 0;
                for (int k = 0; k < d; k++) {
                    norm += q[c * d + k] * q[c * d + k];
                }
                norm = Math.sqrt(norm);
                if (norm < 1e-12) {
                    java.util.Arrays.fill(q, c * d, (c + 1) * d, 0);
                    q[c * d + (c % d)] = 1;  // re-orthogonalized on the next pass
                } else {
                    for (int k = 0; k < d; k++) {
                        q[c * d + k] /= norm;
                    }
                }
            }
        }
    }
}
