package org.wganspark.ot.exact;

import java.util.Arrays;
import org.wganspark.ot.IndexSort;
import org.wganspark.ot.Weights;

/**
 * Exact W1 between weighted point sets on the real line: the integral of |F_a - F_b|, i.e. the sum of
 * |F_a(t) - F_b(t)| * (gap to the next point) over the merged sorted points. O((n + m) log(n + m)).
 */
public final class OneDimensional {

    private OneDimensional() {
    }

    /** W1(a, b) for points xs (weights a) and ys (weights b); neither array is modified. */
    public static double w1(Weights a, double[] xs, Weights b, double[] ys) {
        if (a.size() != xs.length || b.size() != ys.length) {
            throw new IllegalArgumentException("a has " + a.size() + " weights for " + xs.length + " points; b has " + b.size() + " for " + ys.length);
        }
        int n = xs.length;
        int m = ys.length;
        int[] ox = IndexSort.argsort(xs);
        int[] oy = IndexSort.argsort(ys);
        double cdfA = 0;
        double cdfB = 0;
        double total = 0;
        int i = 0;
        int j = 0;
        double previous = Math.min(xs[ox[0]], ys[oy[0]]);
        while (i < n || j < m) {
            double next = j >= m || (i < n && xs[ox[i]] <= ys[oy[j]]) ? xs[ox[i]] : ys[oy[j]];
            total += Math.abs(cdfA - cdfB) * (next - previous);
            while (i < n && xs[ox[i]] == next) {
                cdfA += a.get(ox[i++]);
            }
            while (j < m && ys[oy[j]] == next) {
                cdfB += b.get(oy[j++]);
            }
            previous = next;
        }
        return total;
    }

    /** W1 between two equal-size uniform sets: mean |sorted x - sorted y|. */
    public static double w1Uniform(double[] xs, double[] ys) {
        if (xs.length != ys.length) {
            throw new IllegalArgumentException("equal sizes expected, found " + xs.length + " and " + ys.length);
        }
        double[] sx = xs.clone();
        double[] sy = ys.clone();
        Arrays.sort(sx);
        Arrays.sort(sy);
        double sum = 0;
        for (int k = 0; k < sx.length; k++) {
            sum += Math.abs(sx[k] - sy[k]);
        }
        return sum / sx.length;
    }
}
