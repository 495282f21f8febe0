package org.wganspark.ot.cost;

import java.util.Arrays;
import org.wganspark.ot.Weights;

/**
 * A weighted point set with identical points merged: OT between empirical measures does not change when k
 * copies of a point become one point of k times the mass, but the transport LP loses its worst degeneracy
 * (patch sets are full of identical background patches: 18% of Fashion-MNIST's 7x7 patches are one patch).
 *
 * @param points    the distinct points, in order of first occurrence
 * @param weights   their merged weights (counts stay counts: k copies of a point of count 1 weigh k)
 * @param firstOf   for each distinct point, the index of its first occurrence in the original set
 * @param distinctOf for each original point, the index of its distinct point
 * @param original   the weights of the original points
 */
public record Deduplicated(PointSet points, Weights weights, int[] firstOf, int[] distinctOf, Weights original) {

    public static Deduplicated of(PointSet set, Weights weights) {
        int n = set.n();
        int d = set.d();
        float[] v = set.values();
        double[] w = set.doubles();
        int capacity = Integer.highestOneBit(Math.max(2, n) * 2) * 2;
        int[] table = new int[capacity];  // open addressing over distinct indices + 1 (0 = empty)
        int[] firstOf = new int[n];
        int[] distinctOf = new int[n];
        boolean counted = weights.hasCounts();
        double[] mass = new double[n];
        long[] count = counted ? new long[n] : null;
        int distinct = 0;
        for (int i = 0; i < n; i++) {
            int slot = (hash(set, i * d, d) & 0x7fffffff) & (capacity - 1);
            while (true) {
                int entry = table[slot];
                if (entry == 0) {
                    table[slot] = distinct + 1;
                    firstOf[distinct] = i;
                    distinctOf[i] = distinct;
                    mass[distinct] = weights.get(i);
                    if (counted) {
                        count[distinct] = weights.count(i);
                    }
                    distinct++;
                    break;
                }
                int u = entry - 1;
                if (w == null ? Arrays.equals(v, firstOf[u] * d, firstOf[u] * d + d, v, i * d, i * d + d)
                        : Arrays.equals(w, firstOf[u] * d, firstOf[u] * d + d, w, i * d, i * d + d)) {
                    distinctOf[i] = u;
                    mass[u] += weights.get(i);
                    if (counted) {
                        count[u] += weights.count(i);
                    }
                    break;
                }
                slot = (slot + 1) & (capacity - 1);
            }
        }
        if (distinct == n) {
            return new Deduplicated(set, weights, identity(n), identity(n), weights);
        }
        Weights merged = counted ? Weights.counts(Arrays.copyOf(count, distinct)) : Weights.of(Arrays.copyOf(mass, distinct));
        return new Deduplicated(set.select(Arrays.copyOf(firstOf, distinct)), merged,
                Arrays.copyOf(firstOf, distinct), distinctOf, weights);
    }

    /** Whether some points were merged. */
    public boolean merged() {
        return points.n() < distinctOf.length;
    }

    /** A hash of one point's values at their own precision (float bits, or double bits for float64 points). */
    private static int hash(PointSet set, int from, int length) {
        int h = 1;
        float[] v = set.values();
        double[] w = set.doubles();
        for (int k = from; k < from + length; k++) {
            h = 31 * h + (w == null ? Float.floatToIntBits(v[k]) : Long.hashCode(Double.doubleToLongBits(w[k])));
        }
        return h ^ (h >>> 16);
    }

    private static int[] identity(int n) {
        int[] id = new int[n];
        for (int i = 0; i < n; i++) {
            id[i] = i;
        }
        return id;
    }
}
