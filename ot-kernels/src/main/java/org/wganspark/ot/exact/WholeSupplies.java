package org.wganspark.ot.exact;

import org.wganspark.ot.IndexSort;
import org.wganspark.ot.Weights;

/**
 * The supplies and demands {@link NetworkSimplex} moves, as whole numbers that balance exactly: every flow the
 * pivots compute is then a whole number below 2^53 and exact in double, and no rounding residue can be left on an
 * artificial arc (where it would end the solve INFEASIBLE for a problem that is feasible).
 */
final class WholeSupplies {

    private WholeSupplies() {
    }

    /** Whole-number supplies are exact in double up to here. */
    private static final double EXACT_LIMIT = 0x1p53;
    /** General weights are counted in units of 2^-52 of the total mass. */
    private static final double QUANTUM_SCALE = 0x1p52;

    /**
     * Supplies (rows, positive) and demands (columns, negative) as whole numbers that balance exactly, so every
     * flow the pivots compute is a whole number below 2^53 and exact in double: no rounding residue can be left
     * on an artificial arc. Counts give k_i * L and l_j * K over the scale K * L (uniform weights: m and n over
     * n * m), the exact marginals. General weights become units of 2^-52 of the total mass on each side (within
     * their own rounding of about 2^-53): rounded down, then the units left go to the largest remainders.
     *
     * @return the scale: plan mass = flow / scale
     */
    static double fill(Weights a, Weights b, double[] supply) {
        int n = a.size();
        int m = b.size();
        if (a.hasCounts() && b.hasCounts() && (double) a.total() * b.total() <= EXACT_LIMIT) {
            for (int i = 0; i < n; i++) {
                supply[i] = (double) a.count(i) * b.total();
            }
            for (int j = 0; j < m; j++) {
                supply[n + j] = -(double) b.count(j) * a.total();
            }
            return (double) a.total() * b.total();
        }
        quantize(a, supply, 0, 1);
        quantize(b, supply, n, -1);
        return QUANTUM_SCALE;
    }

    /** sign * round(w * 2^52) into supply[offset + i], with the units left over given to the largest remainders: 2^52 in all. */
    private static void quantize(Weights w, double[] supply, int offset, int sign) {
        int size = w.size();
        double[] remainder = new double[size];
        long units = 0;
        for (int i = 0; i < size; i++) {
            double exact = w.get(i) * QUANTUM_SCALE;
            double floor = Math.floor(exact);
            remainder[i] = floor - exact;  // ascending order: largest remainder first
            supply[offset + i] = sign * floor;
            units += (long) floor;
        }
        long left = (long) QUANTUM_SCALE - units;
        int[] order = IndexSort.argsort(remainder);
        for (int k = 0; k < left; k++) {
            supply[offset + order[k % size]] += sign;
        }
    }
}
