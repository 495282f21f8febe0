package org.wganspark.ot.exact;

import java.util.Arrays;
import java.util.function.IntToDoubleFunction;
import java.util.function.IntUnaryOperator;
import org.wganspark.ot.Weights;

/**
 * The last touch on the network simplex's potentials before they are reported. Rows and columns of zero weight
 * constrain nothing, and the simplex may leave their potentials at an artificial level: they get the largest value
 * their arcs allow, u_i = min_j (c_ij - v_j). Then the free constant of the dual is fixed, u += s and v -= s with
 * sum a u = sum b v. Both steps keep u_i + v_j <= c_ij on every arc and leave the dual objective sum a u + sum b v as
 * it was.
 */
final class FinalDuals {

    private FinalDuals() {
    }

    /**
     * Gives the rows and columns whose supply is zero ({@code supply}: rows, then columns) the largest potential their
     * arcs allow; the rows first, against the columns' potentials, then the columns against the rows'. Arc k, for k
     * below {@code arcCount}, joins row {@code row(k)} and column {@code col(k)} at cost {@code cost(k)}.
     */
    static void tightenZeroWeight(double[] u, double[] v, double[] supply, int arcCount, IntUnaryOperator row, IntUnaryOperator col,
            IntToDoubleFunction cost) {
        int n = u.length;
        int m = v.length;
        boolean anyRow = false;
        boolean anyCol = false;
        for (int i = 0; i < n; i++) {
            anyRow |= supply[i] == 0;
        }
        for (int j = 0; j < m; j++) {
            anyCol |= supply[n + j] == 0;
        }
        if (anyRow) {
            double[] best = new double[n];
            Arrays.fill(best, Double.POSITIVE_INFINITY);
            for (int arc = 0; arc < arcCount; arc++) {
                int i = row.applyAsInt(arc);
                if (supply[i] == 0) {
                    best[i] = Math.min(best[i], cost.applyAsDouble(arc) - v[col.applyAsInt(arc)]);
                }
            }
            for (int i = 0; i < n; i++) {
                if (supply[i] == 0 && best[i] < Double.POSITIVE_INFINITY) {
                    u[i] = best[i];
                }
            }
        }
        if (anyCol) {
            double[] best = new double[m];
            Arrays.fill(best, Double.POSITIVE_INFINITY);
            for (int arc = 0; arc < arcCount; arc++) {
                int j = col.applyAsInt(arc);
                if (supply[n + j] == 0) {
                    best[j] = Math.min(best[j], cost.applyAsDouble(arc) - u[row.applyAsInt(arc)]);
                }
            }
            for (int j = 0; j < m; j++) {
                if (supply[n + j] == 0 && best[j] < Double.POSITIVE_INFINITY) {
                    v[j] = best[j];
                }
            }
        }
    }

    /** u += s, v -= s with s chosen so that sum a u = sum b v. */
    static void center(double[] u, double[] v, Weights a, Weights b) {
        double au = 0;
        double bv = 0;
        for (int i = 0; i < u.length; i++) {
            au += a.get(i) * u[i];
        }
        for (int j = 0; j < v.length; j++) {
            bv += b.get(j) * v[j];
        }
        double s = (bv - au) / 2;
        for (int i = 0; i < u.length; i++) {
            u[i] += s;
        }
        for (int j = 0; j < v.length; j++) {
            v[j] -= s;
        }
    }
}
