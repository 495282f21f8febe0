package org.wganspark.ot;

/**
 * The k smallest values of a stream, kept in slots [offset, offset + k) of two parallel arrays (values and their
 * indices): each offer that beats the largest kept value replaces it, O(k) per accepted value, no allocation. The
 * arrays start filled with a bar (+infinity: keep anything); ties keep the earlier value. A shortlist's nearest
 * columns, a Sinkhorn plan's largest entries (offered negated) and the dense candidates all select this way.
 */
public final class TopK {

    private TopK() {
    }

    /** The slot of the largest kept value (the first of equal ones). */
    public static int worst(double[] values, int offset, int k) {
        int worst = 0;
        for (int s = 1; s < k; s++) {
            if (values[offset + s] > values[offset + worst]) {
                worst = s;
            }
        }
        return worst;
    }

    /**
     * Keeps (value, index) in place of the largest kept value if it is smaller; returns the largest kept value after,
     * the bar a later value must beat.
     */
    public static double offer(double[] values, int[] indices, int offset, int k, double value, int index) {
        int worst = worst(values, offset, k);
        if (value < values[offset + worst]) {
            values[offset + worst] = value;
            indices[offset + worst] = index;
            worst = worst(values, offset, k);
        }
        return values[offset + worst];
    }
}
