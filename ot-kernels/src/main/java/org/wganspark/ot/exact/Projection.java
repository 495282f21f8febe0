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
    /** Coordinates in the first, vectorized stage of the bound. */
    static final int FIRST_STAGE = 16;

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
    /** The first stage in float: X's coordinates packed (n x stages[0]), Y's coordinate-major (stages[0] x m) for the
     * screen across columns, and both residual norms. Half the memory traffic of doubles, twice the lanes. */
    private final float[] headX;
    private final float[] headYT;
    private final float[] headRestX;
    private final float[] headRestY;

    private Projection(int r, double[] px, double[] py, double[] restX, double[] restY, double scale) {
        this.r = r;
        this.px = px;
        this.py = py;
        this.restX = restX;
        this.restY = restY;
        this.scale = scale;
        this.stages = r <= FIRST_STAGE ? new int[] {r} : r <= 32 ? new int[] {FIRST_STAGE, r} : new int[] {FIRST_STAGE, 32, r};
        this.stageRestX = stageRests(px, restX, r, stages);
        this.stageRestY = stageRests(py, restY, r, stages);
        int n = restX.length;
        int m = restY.length;
        int width = stages[0];
        this.headX = new float[n * width];
        for (int i = 0; i < n; i++) {
            for (int k = 0; k < width; k++) {
                headX[i * width + k] = (float) px[i * r + k];
            }
        }
        this.headYT = new float[width * m];
        for (int j = 0; j < m; j++) {
            for (int k = 0; k < width; k++) {
                headYT[k * m + j] = (float) py[j * r + k];
            }
        }
        this.headRestX = new float[n];
        this.headRestY = new float[m];
        for (int i = 0; i < n; i++) {
            headRestX[i] = (float) stageRestX[i];
        }
        for (int j = 0; j < m; j++) {
            headRestY[j] = (float) stageRestY[j];
        }
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
        double s = firstStageSum(i, j);
        double first = stageRestX[i] - stageRestY[j];
        if (s + first * first > limit) {
            return true;
        }
        return deeperExceeds(i, j, s, limit);
    }

    /** sum over the first stage's coordinates of (Px_i - Py_j)^2, in double. */
    private double firstStageSum(int i, int j) {
        int io = i * r;
        int jo = j * r;
        double s = 0;
        for (int k = 0; k < stages[0]; k++) {
            double t = px[io + k] - py[jo + k];
            s += t * t;
        }
        return s;
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
    int screenRow(int i, float[] limit, double[] exactLimit, int[] survivors) {
        int m = restY.length;
        int width = stages[0];
        float[] head = new float[width];
        System.arraycopy(headX, i * width, head, 0, width);
        int candidates = KERNEL.screen(head, width, headRestX[i], headYT, headRestY, m, limit, survivors);
        int count = 0;
        for (int s = 0; s < candidates; s++) {
            int j = survivors[s];
            if (!deeperExceeds(i, j, firstStageSum(i, j), exactLimit[j])) {
                survivors[count++] = j;
            }
        }
        return count;
    }

    /**
     * The float screen's limit for an exact limit: raised by the float bound's possible error (relative ~1e-6
     * of the coordinates' scale), so the screen never drops a pair the exact bound would keep.
     */
    float screenLimit(double exactLimit) {
        return exactLimit <= 0 ? 0f : Math.nextUp((float) ((exactLimit + 1e-5 * scale) * (1 + 1e-5)));
    }

    /** First-stage bounds of row i against every column (float accuracy), into {@code out}; the cheap pre-filter. */
    void headBounds(int i, double[] out) {
        int width = stages[0];
        float[] head = new float[width];
        System.arraycopy(headX, i * width, head, 0, width);
        KERNEL.bounds(head, width, headRestX[i], headYT, headRestY, restY.length, out);
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
