package org.wganspark.ot.exact;

import java.util.Arrays;

/** A growing list of arcs, deduplicated on request. */
final class ArcList implements java.io.Serializable {
    private int[] rows = new int[64];
    private int[] cols = new int[64];
    private double[] costs = new double[64];
    private int size;
    private transient PairSet seen;

    void add(int i, int j, double c) {
        if (size == rows.length) {
            rows = Arrays.copyOf(rows, size * 2);
            cols = Arrays.copyOf(cols, size * 2);
            costs = Arrays.copyOf(costs, size * 2);
        }
        rows[size] = i;
        cols[size] = j;
        costs[size] = c;
        size++;
    }

    void addUnique(int i, int j, double c) {
        if (seen == null) {
            seen = new PairSet();
        }
        if (seen.add(i, j)) {
            add(i, j, c);
        }
    }

    void addAll(ArcList other) {
        for (int k = 0; k < other.size; k++) {
            add(other.rows[k], other.cols[k], other.costs[k]);
        }
    }

    int size() {
        return size;
    }

    /** The pairs added through {@link #addUnique} (a list built only that way holds each pair once). */
    PairSet uniquePairs() {
        if (seen == null) {
            seen = new PairSet();
        }
        return seen;
    }

    int[] rows() {
        return Arrays.copyOf(rows, size);
    }

    int[] cols() {
        return Arrays.copyOf(cols, size);
    }

    double[] costs() {
        return Arrays.copyOf(costs, size);
    }
}
