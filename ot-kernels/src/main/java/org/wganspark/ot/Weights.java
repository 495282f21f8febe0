package org.wganspark.ot;

import java.util.Arrays;

/**
 * Nonnegative weights of a discrete measure. Uniform weights are explicit ({@link #uniform}), never implied
 * by an empty array; they let the exact solver work in integers.
 */
public final class Weights {

    private final double[] mass;
    private final boolean uniform;

    private Weights(double[] mass, boolean uniform) {
        this.mass = mass;
        this.uniform = uniform;
    }

    /** n points of mass 1/n each. */
    public static Weights uniform(int n) {
        if (n < 1) {
            throw new IllegalArgumentException("a measure needs at least one point, found " + n);
        }
        double[] m = new double[n];
        Arrays.fill(m, 1.0 / n);
        return new Weights(m, true);
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
        if (!(sum > 0)) {
            throw new IllegalArgumentException("weights sum to " + sum + ", expected a positive sum");
        }
        double[] m = new double[mass.length];
        for (int i = 0; i < m.length; i++) {
            m[i] = mass[i] / sum;
        }
        return new Weights(m, false);
    }

    public int size() {
        return mass.length;
    }

    public boolean isUniform() {
        return uniform;
    }

    public double get(int i) {
        return mass[i];
    }

    /** A copy of the masses (sum 1). */
    public double[] toArray() {
        return mass.clone();
    }
}
