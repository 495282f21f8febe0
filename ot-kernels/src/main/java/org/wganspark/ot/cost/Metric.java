package org.wganspark.ot.cost;

/** Ground cost between two points. */
public enum Metric {
    /** ||x - y||_2: W1, the papers' metric. */
    EUCLIDEAN,
    /** ||x - y||_2^2: W2 squared. */
    SQEUCLIDEAN;

    /** The cost from a squared distance. */
    public double fromSquared(double squared) {
        return this == EUCLIDEAN ? Math.sqrt(squared) : squared;
    }

    /** The squared distance below which the cost is below {@code cost} (cost >= 0). */
    public double squaredOf(double cost) {
        return this == EUCLIDEAN ? cost * cost : cost;
    }
}
