package org.wganspark.ot.exact;

/**
 * A transport plan by its nonzeros: mass[k] moves from row[k] to col[k]. An optimal basic plan has at most
 * n + m - 1 entries.
 */
public record SparsePlan(int[] row, int[] col, double[] mass) {

    public SparsePlan {
        if (row.length != col.length || row.length != mass.length) {
            throw new IllegalArgumentException("plan arrays differ in length: " + row.length + ", " + col.length + ", " + mass.length);
        }
    }

    public int size() {
        return row.length;
    }

    /** Sum of mass * cost, compensated (Kahan), so long plans lose no digits. */
    public double cost(org.wganspark.ot.cost.PairCost c) {
        double sum = 0;
        double carry = 0;
        for (int k = 0; k < row.length; k++) {
            double term = mass[k] * c.cost(row[k], col[k]) - carry;
            double t = sum + term;
            carry = (t - sum) - term;
            sum = t;
        }
        return sum;
    }
}
