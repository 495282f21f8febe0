package org.wganspark.ot.cost;

import java.util.Arrays;
import org.wganspark.ot.Weights;

/**
 * A weighted point set with identical points merged: OT between empirical measures does not change when k
 * copies of a point become one point of k times the mass, but the transport LP loses its worst degeneracy
 * (patch sets are full of identical background patches: 18% of Fashion-MNIST's 7x7 patches are one patch).
 *
 * @param points    the distinct points, in order of first occurrence
 * @param weights   their merged weights
 * @param firstOf   for each distinct point, the index of its first occurrence in the original set
 * @param distinctOf for each original point, the index of its distinct point
 */
public record Deduplicated(PointSet points, Weights weights, int[] firstOf, int[] distinctOf) {

    public static Deduplicated of(PointSet set, Weights weights) {
        int n = set.n();
        int d = set.d();
        float[] v = set.values();
        int capacity = Integer.highestOneBit(Math.max(2, n) * 2) * 2;
        int[] table = new int[capacity];  // open addressing over distinct indices + 1 (0 = empty)
        int[] firstOf = new int[n];
        int[] distinctOf = new int[n];
        double[] mass = new double[n];
        int distinct = 0;
        for (int i = 0; i < n; i++) {
            int slot = (hash(v, i * d, d) & 0x7fffffff) & (capacity - 1);
            while (true) {
                int entry = table[slot];
                if (entry == 0) {
                    table[slot] = distinct + 1;
                    firstOf[distinct] = i;
                    distinctOf[i] = distinct;
                    mass[distinct] = weights.get(i);
                    distinct++;
                    break;
                }
                int u = entry - 1;
                if (Arrays.equals(v, firstOf[u] * d, firstOf[u] * d + d, v, i * d, i * d + d)) {
                    distinctOf[i] = u;
                    mass[u] += weights.get(i);
                    break;
                }
                slot = (slot + 1) & (capacity - 1);
            }
        }
        if (distinct == n) {
            return new Deduplicated(set, weights, identity(n), identity(n));
        }
        float[] values = new float[distinct * d];
        for (int u = 0; u < distinct; u++) {
            System.arraycopy(v, firstOf[u] * d, values, u * d, d);
        }
        return new Deduplicated(new PointSet(values, distinct, d), Weights.of(Arrays.copyOf(mass, distinct)),
                Arrays.copyOf(firstOf, distinct), distinctOf);
    }

    private static int hash(float[] v, int from, int length) {
        int h = 1;
        for (int k = from; k < from + length; k++) {
            h = 31 * h + Float.floatToIntBits(v[k]);
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
