package org.wganspark.ot.exact;

import java.util.SplittableRandom;
import org.wganspark.ot.cost.DistanceKernel;
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
final class Projection implements java.io.Serializable {

    private static final DistanceKernel KERNEL = DistanceKernel.BEST;

    final int r;
    final double[] px;      // n x r
    final double[] py;      // m x r
    final double[] restX;   // ||(I - P)(x - mean)||
    final double[] restY;
    final double scale;     // largest ||x - mean||^2 over both sets, for absolute margins
    /** Stage ends (dimensions used) of the staged bound, the last one r. */
    final int[] stages;
    /** Residual norms after each stage: stage s, point i at [s * n + i]. */
    private final double[] stageRestX;
    private final double[] stageRestY;
    /** The first stage's coordinates again, packed (n x stages[0]), so the common case streams through cache. */
    private final double[] headX;
    private final double[] headY;
    /** The same for Y, coordinate-major (stages[0] x m), for the screen across columns. */
    private final double[] headYT;

    private Projection(int r, double[] px, double[] py, double[] restX, double[] restY, double scale) {
        this.r = r;
        this.px = px;
        this.py = py;
        this.restX = restX;
        this.restY = restY;
        this.scale = scale;
        this.stages = r <= 8 ? new int[] {r} : r <= 24 ? new int[] {8, r} : new int[] {8, 24, r};
        this.stageRestX = stageRests(px, restX, r, stages);
        this.stageRestY = stageRests(py, restY, r, stages);
        this.headX = head(px, r, stages[0]);
        this.headY = head(py, r, stages[0]);
        int m = restY.length;
        int width = stages[0];
        this.headYT = new double[width * m];
        for (int j = 0; j < m; j++) {
            for (int k = 0; k < width; k++) {
                headYT[k * m + j] = headY[j * width + k];
            }
        }
    }

    private static double[] head(double[] p, int r, int width) {
        int count = p.length / r;
        double[] out = new double[count * width];
        for (int i = 0; i < count; i++) {
            System.arraycopy(p, i * r, out, i * width, width);
        }
        return out;
    }

    // ||(I - P_s) x||^2 = ||(I - P_r) x||^2 + sum_{k >= s} (Px)_k^2: a sum of nonnegative terms, no cancellation
    private static double[] stageRests(double[] p, double[] rest, int r, int[] stages) {
        int count = rest.length;
        double[] out = new double[stages.length * count];
        for (int i = 0; i < count; i++) {
            double tail = rest[i] * rest[i];
            int k = r;
            for (int s = stages.length - 1; s >= 0; s--) {
                for (; k > stages[s]; k--) {
                    tail += p[i * r + k - 1] * p[i * r + k - 1];
                }
                out[s * count + i] = Math.sqrt(tail);
            }
        }
        return out;
    }

    /**
     * Whether some stage's lower bound on ||x_i - y_j||^2 already exceeds {@code limit}: then the pair is
     * farther than the limit. Stages stop as soon as one decides, so most pairs cost 8 dimensions.
     */
    boolean exceeds(int i, int j, double limit) {
        int n = restX.length;
        int m = restY.length;
        int width = stages[0];
        int ho = i * width;
        int hj = j * width;
        double s = 0;
        for (int k = 0; k < width; k++) {
            double t = headX[ho + k] - headY[hj + k];
            s += t * t;
        }
        double first = stageRestX[i] - stageRestY[j];
        if (s + first * first > limit) {
            return true;
        }
        return deeperExceeds(i, j, s, limit);
    }

    /** Stages after the first, given the first stage's coordinate sum {@code s}. */
    private boolean deeperExceeds(int i, int j, double s, double limit) {
        int n = restX.length;
        int m = restY.length;
        int width = stages[0];
        int io = i * r;
        int jo = j * r;
        int k = width;
        for (int stage = 1; stage < stages.length; stage++) {
            int end = stages[stage];
            for (; k < end; k++) {
                double t = px[io + k] - py[jo + k];
                s += t * t;
            }
            double t = stageRestX[stage * n + i] - stageRestY[stage * m + j];
            if (s + t * t > limit) {
                return true;
            }
        }
        return false;
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

    /**
     * Pricing's hot loop for one row: the columns j whose bound does not exceed {@code limit[j]} go to
     * {@code survivors} (returned count). The first stage runs across columns on the distance kernel; the
     * few columns it keeps go through the deeper stages.
     */
    int screenRow(int i, double[] limit, int[] survivors) {
        int m = restY.length;
        int width = stages[0];
        double[] head = new double[width];
        System.arraycopy(headX, i * width, head, 0, width);
        int candidates = KERNEL.screen(head, width, stageRestX[i], headYT, stageRestY, m, limit, survivors);
        int count = 0;
        for (int s = 0; s < candidates; s++) {
            int j = survivors[s];
            double sum = 0;
            for (int k = 0; k < width; k++) {
                double t = head[k] - headY[j * width + k];
                sum += t * t;
            }
            if (!deeperExceeds(i, j, sum, limit[j])) {
                survivors[count++] = j;
            }
        }
        return count;
    }

    /** First-stage bounds of row i against every column, into {@code out} (modified); the cheap pre-filter. */
    void headBounds(int i, double[] out) {
        int width = stages[0];
        double[] head = new double[width];
        System.arraycopy(headX, i * width, head, 0, width);
        KERNEL.bounds(head, width, stageRestX[i], headYT, stageRestY, restY.length, out);
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
        java.util.stream.IntStream.range(0, s.n()).parallel().forEach(i -> {
            double[] centered = new double[d];
            for (int k = 0; k < d; k++) {
                centered[k] = v[i * d + k] - mean[k];
            }
            for (int c = 0; c < r; c++) {
                out[i * r + c] = KERNEL.dot(basis, c * d, centered, 0, d);
            }
            // the residual explicitly (not |x|^2 - |Px|^2, which cancels)
            for (int c = 0; c < r; c++) {
                KERNEL.axpy(-out[i * r + c], basis, c * d, centered, 0, d);
            }
            rest[i] = Math.sqrt(KERNEL.dot(centered, 0, centered, 0, d));
        });
        return out;
    }

    /** Subspace iteration on a seeded sample of both sets: Q <- orth(S^T S Q), a few rounds. */
    private static double[] principalDirections(PointSet x, PointSet y, double[] mean, int r, long seed) {
        int d = x.d();
        int total = x.n() + y.n();
        int samples = Math.min(total, 1024);
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
        for (int iteration = 0; iteration < 4; iteration++) {
            final double[] basis = q;
            java.util.stream.IntStream.range(0, samples).parallel().forEach(s -> {
                for (int c = 0; c < r; c++) {
                    projected[s * r + c] = KERNEL.dot(sample, s * d, basis, c * d, d);
                }
            });
            java.util.Arrays.fill(q, 0);
            java.util.stream.IntStream.range(0, r).parallel().forEach(c -> {
                for (int s = 0; s < samples; s++) {
                    KERNEL.axpy(projected[s * r + c], sample, s * d, basis, c * d, d);
                }
            });
            orthonormalize(q, r, d);
        }
        return q;
    }

    /** Modified Gram-Schmidt, twice (Kahan's "twice is enough"); a vanishing row becomes a fresh unit vector. */
    private static void orthonormalize(double[] q, int r, int d) {
        for (int pass = 0; pass < 2; pass++) {
            for (int c = 0; c < r; c++) {
                for (int p = 0; p < c; p++) {
                    KERNEL.axpy(-KERNEL.dot(q, c * d, q, p * d, d), q, p * d, q, c * d, d);
                }
                double norm = Math.sqrt(KERNEL.dot(q, c * d, q, c * d, d));
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
