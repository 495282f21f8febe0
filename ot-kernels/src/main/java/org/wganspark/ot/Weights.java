package org.wganspark.ot;

import java.util.Arrays;

/**
 * Nonnegative weights of a discrete measure, normalized to sum 1. Uniform weights are explicit
 * ({@link #uniform}), never implied by an empty array. Weights that are whole counts over a total
 * ({@link #counts}: the multiplicities of merged identical points) keep their counts, so the exact solver can
 * work in integers and its marginals hold exactly.
 */
public final class Weights implements java.io.Serializable {

    private final double[] mass;
    /** mass[i] = count[i] / total, or null for general weights. */
    private final long[] count;
    private final long total;
    private final boolean uniform;

    private Weights(double[] mass, long[] count, long total, boolean uniform) {
        this.mass = mass;
        this.count = count;
        this.total = total;
        this.uniform = uniform;
    }

    /** n points of mass 1/n each (a count of 1 each). */
    public static Weights uniform(int n) {
        if (n < 1) {
            throw new IllegalArgumentException("a measure needs at least one point, found " + n);
        }
        double[] m = new double[n];
        Arrays.fill(m, 1.0 / n);
        long[] ones = new long[n];
        Arrays.fill(ones, 1);
        return new Weights(m, ones, n, true);
    }

    /** Point i carries count[i] / sum(count): whole, nonnegative counts with a positive sum. */
    public static Weights counts(long[] count) {
        if (count.length == 0) {
            throw new IllegalArgumentException("weights are empty");
        }
        long total = 0;
        boolean allOne = true;
        for (int i = 0; i < count.length; i++) {
            if (count[i] < 0) {
                throw new IllegalArgumentException("count " + i + " is " + count[i] + ", expected a value >= 0");
            }
            total = Math.addExact(total, count[i]);
            allOne &= count[i] == 1;
        }
        if (total == 0) {
            throw new IllegalArgumentException("counts sum to 0, expected a positive sum");
        }
        double[] m = new double[count.length];
        for (int i = 0; i < m.length; i++) {
            m[i] = count[i] / (double) total;
        }
        return new Weights(m, count.clone(), total, allOne);
    }

    /** Given masses, finite and nonnegative with a positive sum; normalized to sum 1. */
    public static Weights of(double[] mass) {
        if (mass.length == 0) {
            throw new IllegalArgumentException("weights are empty");
        }
        double sum = 0;
        for (int i = 0; i < mass.length; i++) {
            if (!(mass[i] >= 0) || Double.isInfinite(mass[i])) {
                throw new IllegalArgumentException("weight " + i + " is " + mass[i] + ", expected a finite value >= 0");
            }
            sum += mass[i];
        }
        if (!(sum > 0) || Double.isInfinite(sum)) {
            throw new IllegalArgumentException("weights sum to " + sum + ", expected a finite positive sum");
        }
        double[] m = new double[mass.length];
        for (int i = 0; i < m.length; i++) {
            m[i] = mass[i] / sum;
        }
        return new Weights(m, null, 0, false);
    }

    public int size() {
        return mass.length;
    }

    public boolean isUniform() {
        return uniform;
    }

    /** Whether the weights are whole counts over {@link #total()}. */
    public boolean hasCounts() {
        return count != null;
    }

    /** The count of point i (only when {@link #hasCounts()}). */
    public long count(int i) {
        return count[i];
    }

    /** The sum of the counts (only when {@link #hasCounts()}). */
    public long total() {
        return total;
    }

    public double get(int i) {
        return mass[i];
    }

    /** A copy of the masses (sum 1). */
    public double[] toArray() {
        return mass.clone();
    }

    /** The weights of the chosen points, renormalized (counts stay counts); null if they carry no mass. */
    public Weights restrict(int[] chosen) {
        if (uniform) {
            return uniform(chosen.length);
        }
        if (count != null) {
            long[] kept = new long[chosen.length];
            long sum = 0;
            for (int t = 0; t < chosen.length; t++) {
                kept[t] = count[chosen[t]];
                sum += kept[t];
            }
            return sum > 0 ? counts(kept) : null;
        }
        double[] kept = new double[chosen.length];
        double sum = 0;
        for (int t = 0; t < chosen.length; t++) {
            kept[t] = mass[chosen[t]];
            sum += kept[t];
        }
        return sum > 0 ? of(kept) : null;
    }
}
