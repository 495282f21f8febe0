package org.wganspark.ot.exact;

import java.util.Arrays;
import java.util.SplittableRandom;
import java.util.stream.IntStream;
import org.wganspark.ot.cost.DistanceKernel;
import org.wganspark.ot.cost.Metric;
import org.wganspark.ot.cost.PointSet;

/**
 * A cheap lower bound on ||x - y||^2 for pricing: with P the projection on r orthonormal directions (the top
 * principal directions of a seeded sample, found by subspace iteration),
 * <pre>
 *   ||x - y||^2 = ||P(x - y)||^2 + ||(I - P)(x - y)||^2 >= ||Px - Py||^2 + (||(I - P)x|| - ||(I - P)y||)^2.
 * </pre>
 * Any orthonormal basis gives a valid bound; a good one makes it tight, so most pairs are decided in r + 1
 * dimensions instead of d. Callers keep a safety margin for rounding. The projections are computed from the
 * points at their own precision (float64 data from its doubles), so the bound holds for the data as given.
 */
final class Projection implements java.io.Serializable {

    private static final DistanceKernel KERNEL = DistanceKernel.BEST;
    /** Relative and absolute (times {@link #scale}) slack that covers the float error of {@link #tile}. */
    static final double FLOAT_SLACK = 2e-5;

    final int r;
    final double[] px;      // n x r
    final double[] py;      // m x r
    final double[] restX;   // ||(I - P)(x - mean)||
    final double[] restY;
    final double scale;     // largest ||x - mean||^2 over both sets, for absolute margins
    /** The bound as a squared distance in r + 1 float coordinates: (Px, ||(I - P)x||) row-major for X and
     * coordinate-major for Y, so tiles run on the float distance kernel across columns. */
    private final float[] liftedX;
    private final float[] liftedYT;

    private Projection(int r, double[] px, double[] py, double[] restX, double[] restY, double scale) {
        this.r = r;
        this.px = px;
        this.py = py;
        this.restX = restX;
        this.restY = restY;
        this.scale = scale;
        int n = restX.length;
        int m = restY.length;
        int width = r + 1;
        this.liftedX = new float[n * width];
        for (int i = 0; i < n; i++) {
            for (int k = 0; k < r; k++) {
                liftedX[i * width + k] = (float) px[i * r + k];
            }
            liftedX[i * width + r] = (float) restX[i];
        }
        this.liftedYT = new float[width * m];
        for (int j = 0; j < m; j++) {
            for (int k = 0; k < r; k++) {
                liftedYT[k * m + j] = (float) py[j * r + k];
            }
            liftedYT[r * m + j] = (float) restY[j];
        }
    }

    /**
     * Lower bounds on ||x_i - y_j||^2 for rows [i0, i1) and columns [j0, j1), in float (error below
     * FLOAT_SLACK * (bound + scale)), into out[(i - i0) * stride + (j - j0)].
     */
    void tile(int i0, int i1, int j0, int j1, double[] out, int stride) {
        KERNEL.costsTransposedFloat(liftedX, i0, i1, liftedYT, restY.length, r + 1, false, j0, j1, out, stride);
    }

    static Projection of(PointSet x, PointSet y, int rank, long seed) {
        int d = x.d();
        int r = Math.min(rank, d);
        double[] mean = PointSet.jointMean(x, y);
        double[] basis = principalDirections(x, y, mean, r, seed);  // r x d, orthonormal rows
        double[] restX = new double[x.n()];
        double[] restY = new double[y.n()];
        double[] px = project(x, mean, basis, r, restX);
        double[] py = project(y, mean, basis, r, restY);
        double scale = 0;
        for (PointSet s : new PointSet[] {x, y}) {
            for (int i = 0; i < s.n(); i++) {
                double sq = 0;
                for (int k = 0; k < d; k++) {
                    double t = s.coordinate(i * d + k) - mean[k];
                    sq += t * t;
                }
                scale = Math.max(scale, sq);
            }
        }
        return new Projection(r, px, py, restX, restY, Math.max(scale, Double.MIN_NORMAL));
    }

    /**
     * The c-transform of weights on sampled rows, on the bound: out[j] = min_s (cost(bound(x_{rows[s]}, y_j)) - w[s])
     * for every column j. Estimates column duals from a subproblem's row duals.
     */
    double[] transformToColumns(int[] rows, double[] w, Metric metric) {
        int width = r + 1;
        int m = restY.length;
        float[] sampled = new float[rows.length * width];
        for (int s = 0; s < rows.length; s++) {
            System.arraycopy(liftedX, rows[s] * width, sampled, s * width, width);
        }
        double[] out = new double[m];
        int tileWidth = PricingKernel.COLUMN_TILE;
        int rowBlock = PricingKernel.ROW_BLOCK;
        IntStream.range(0, (m + tileWidth - 1) / tileWidth).parallel().forEach(t -> {
            int j0 = t * tileWidth;
            int j1 = Math.min(m, j0 + tileWidth);
            double[] tile = new double[rowBlock * tileWidth];
            Arrays.fill(out, j0, j1, Double.POSITIVE_INFINITY);
            for (int s0 = 0; s0 < rows.length; s0 += rowBlock) {
                int s1 = Math.min(rows.length, s0 + rowBlock);
                KERNEL.costsTransposedFloat(sampled, s0, s1, liftedYT, m, width, false, j0, j1, tile, tileWidth);
                for (int s = s0; s < s1; s++) {
                    for (int j = j0; j < j1; j++) {
                        out[j] = Math.min(out[j], metric.fromSquared(tile[(s - s0) * tileWidth + j - j0]) - w[s]);
                    }
                }
            }
        });
        return out;
    }

    /** The c-transform of weights on sampled columns: out[i] = min_s (cost(bound(x_i, y_{cols[s]})) - w[s]). */
    double[] transformToRows(int[] cols, double[] w, Metric metric) {
        int width = r + 1;
        int n = restX.length;
        int m = restY.length;
        int ms = cols.length;
        float[] sampledT = new float[width * ms];
        for (int k = 0; k < width; k++) {
            for (int s = 0; s < ms; s++) {
                sampledT[k * ms + s] = liftedYT[k * m + cols[s]];
            }
        }
        double[] out = new double[n];
        int tileWidth = PricingKernel.COLUMN_TILE;
        int rowBlock = PricingKernel.ROW_BLOCK;
        IntStream.range(0, (n + rowBlock - 1) / rowBlock).parallel().forEach(b -> {
            int i0 = b * rowBlock;
            int i1 = Math.min(n, i0 + rowBlock);
            double[] tile = new double[rowBlock * tileWidth];
            Arrays.fill(out, i0, i1, Double.POSITIVE_INFINITY);
            for (int s0 = 0; s0 < ms; s0 += tileWidth) {
                int s1 = Math.min(ms, s0 + tileWidth);
                KERNEL.costsTransposedFloat(liftedX, i0, i1, sampledT, ms, width, false, s0, s1, tile, tileWidth);
                for (int i = i0; i < i1; i++) {
                    for (int s = s0; s < s1; s++) {
                        out[i] = Math.min(out[i], metric.fromSquared(tile[(i - i0) * tileWidth + s - s0]) - w[s]);
                    }
                }
            }
        });
        return out;
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
        double[] out = new double[s.n() * r];
        java.util.stream.IntStream.range(0, s.n()).parallel().forEach(i -> {
            double[] centered = new double[d];
            for (int k = 0; k < d; k++) {
                centered[k] = s.coordinate(i * d + k) - mean[k];
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
                sample[s * d + k] = set.coordinate(row * d + k) - mean[k];
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
