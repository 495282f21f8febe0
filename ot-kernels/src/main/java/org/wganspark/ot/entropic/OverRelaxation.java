package org.wganspark.ot.entropic;

/**
 * The over-relaxation factor w of Sinkhorn's updates f <- f + w (T(g) - f) (Thibault et al. 2017): from the
 * contraction rate rho observed over 10 steps at the current w, Young's relation gives the plain rate
 * theta = (rho + w - 1)^2 / (rho w^2) and the optimal w = 2 / (1 + sqrt(1 - theta)). Back to w = 1 when the
 * error grows tenfold, and for the plain step that must confirm convergence.
 */
final class OverRelaxation {

    private final double[] history = new double[11];
    private double omega = 1;
    /** The factor in use before a confirming plain step, to return to if the confirmation fails. */
    private double suspended = 1;
    private int sinceChange;
    private double best = Double.POSITIVE_INFINITY;

    double omega() {
        return omega;
    }

    boolean plain() {
        return omega == 1;
    }

    /** The marginal error after a step taken with {@link #omega()}; {@code converged}: it met the tolerance. */
    void observe(double error, boolean converged) {
        sinceChange++;
        System.arraycopy(history, 1, history, 0, 10);
        history[10] = error;
        best = Math.min(best, error);
        if (converged && !plain()) {
            suspended = omega;  // confirm with a plain step
            reset();
        } else if (!converged && plain() && suspended > 1) {
            omega = suspended;  // the confirmation failed: carry on where we were
            suspended = 1;
            sinceChange = 0;
        } else if (!plain() && error > 10 * best) {
            reset();
            best = error;
        } else if (sinceChange > 10 && history[0] > 0 && !converged) {
            double rho = Math.pow(history[10] / history[0], 0.1);
            double theta = (rho + omega - 1) * (rho + omega - 1) / (rho * omega * omega);
            if (rho < 1 && theta < 1) {
                double better = Math.min(1.95, 2 / (1 + Math.sqrt(1 - theta)));
                if (better > omega + 0.01) {
                    omega = better;
                    sinceChange = 0;
                }
            }
        }
    }

    /**
     * A new epsilon stage: the previous stage's factor is kept (rates change slowly with epsilon; a factor that
     * overshoots is caught by the tenfold-error rule), the error history is dropped.
     */
    void restart() {
        if (suspended > 1) {
            omega = suspended;
        }
        suspended = 1;
        sinceChange = 0;
        java.util.Arrays.fill(history, 0);
        best = Double.POSITIVE_INFINITY;
    }

    private void reset() {
        omega = 1;
        sinceChange = 0;
    }

    @Override
    public String toString() {
        return "w = " + omega;
    }
}
