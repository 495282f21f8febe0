package org.wganspark.ot.cost;

import java.io.Serializable;

/**
 * For every query point, its nearest and second-nearest rows of a reference set in Euclidean distance, exact
 * (direct differences in double). The memorization test of a generator: a generated image whose nearest training
 * image is far closer than the second nearest (ratio below about 1/3) is a near copy of that one image. Reference
 * rows arrive in blocks with their global index, so Spark partitions can each search theirs and {@link #merge}
 * (associative, ties to the lower index) combines them in any order.
 *
 * @param nearest index of the nearest reference row per query (-1 before any row was seen)
 * @param first   its squared distance
 * @param second  the squared distance of the second-nearest reference row (+inf if only one was seen)
 */
public record NearestNeighbours(long[] nearest, double[] first, double[] second) implements Serializable {

    private static final int TILE = 64;

    public static NearestNeighbours empty(int queries) {
        long[] nearest = new long[queries];
        double[] first = new double[queries];
        double[] second = new double[queries];
        java.util.Arrays.fill(nearest, -1);
        java.util.Arrays.fill(first, Double.POSITIVE_INFINITY);
        java.util.Arrays.fill(second, Double.POSITIVE_INFINITY);
        return new NearestNeighbours(nearest, first, second);
    }

    /** The queries against rows [0, rows) of {@code reference} (float32), whose row r has the global index firstRow + r. */
    public static NearestNeighbours search(PointSet queries, float[] reference, int rows, long firstRow) {
        return search(queries, new PointSet(reference, rows, queries.d()), firstRow);
    }

    /**
     * The queries against the rows of {@code reference}, whose row r has the global index firstRow + r; in float64
     * when either set is (the data as given), else from the floats.
     */
    public static NearestNeighbours search(PointSet queries, PointSet reference, long firstRow) {
        int q = queries.n();
        int d = queries.d();
        int rows = reference.n();
        boolean wide = queries.isDouble() || reference.isDouble();
        double[] queryDoubles = wide ? queries.widened() : null;
        double[] referenceDoubles = wide ? reference.widened() : null;
        NearestNeighbours out = empty(q);
        double[] tile = new double[q * TILE];
        for (int r0 = 0; r0 < rows; r0 += TILE) {
            int r1 = Math.min(rows, r0 + TILE);
            if (wide) {
                DistanceKernel.BEST.squaredBlock(queryDoubles, 0, q, referenceDoubles, r0, r1, d, tile, 0, TILE);
            } else {
                DistanceKernel.BEST.squaredBlock(queries.values(), 0, q, reference.values(), r0, r1, d, tile, 0, TILE);
            }
            for (int i = 0; i < q; i++) {
                for (int r = r0; r < r1; r++) {
                    out.offer(i, firstRow + r, tile[i * TILE + r - r0]);
                }
            }
        }
        return out;
    }

    private void offer(int i, long index, double squared) {
        if (squared < first[i] || (squared == first[i] && index < nearest[i])) {
            second[i] = first[i];
            first[i] = squared;
            nearest[i] = index;
        } else if (squared < second[i]) {
            second[i] = squared;
        }
    }

    /** Both searches' rows together (this one is modified and returned). */
    public NearestNeighbours merge(NearestNeighbours other) {
        for (int i = 0; i < nearest.length; i++) {
            if (other.nearest[i] >= 0) {
                offer(i, other.nearest[i], other.first[i]);
                if (other.second[i] < second[i]) {
                    second[i] = other.second[i];
                }
            }
        }
        return this;
    }

    /** Distance to the nearest over distance to the second nearest, per query (0: an exact copy of a unique row). */
    public double ratio(int i) {
        return second[i] == 0 ? 1 : Math.sqrt(first[i] / second[i]);
    }
}
