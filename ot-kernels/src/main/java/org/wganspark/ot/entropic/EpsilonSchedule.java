package org.wganspark.ot.entropic;

/**
 * Epsilon scaling (Schmitzer 2019, sec. 3.2): stages eps_k = max(epsilon, start scaling^k) from the largest cost down
 * to the target epsilon, each intermediate stage ending at the stage tolerance (it only has to bring the potentials
 * near), the last at the tolerance. Without scaling (scaling 1) there is one stage at the target.
 */
final class EpsilonSchedule {

    private final SinkhornOptions options;
    private double eps;

    EpsilonSchedule(SinkhornOptions options, double largestCost) {
        this.options = options;
        this.eps = options.scaling() < 1 ? Math.max(options.epsilon(), largestCost) : options.epsilon();
    }

    /** The current stage's epsilon. */
    double eps() {
        return eps;
    }

    /** The marginal error that ends the current stage. */
    double tolerance() {
        return last() ? options.tolerance() : Math.max(options.tolerance(), options.stageTolerance());
    }

    /** After a converged stage: the next one, and true; false when the converged stage was the last. */
    boolean next() {
        if (last()) {
            return false;
        }
        eps = Math.max(options.epsilon(), eps * options.scaling());
        return true;
    }

    private boolean last() {
        return eps <= options.epsilon();
    }
}
