package org.wganspark.ot.entropic;

/**
 * The over-relaxation factor w of Sinkhorn's updates f <- f + w (T(g) - f) (Thibault et al. 2017): from the
 * contraction rate rho observed over the last {@link #WINDOW} steps at the current w, Young's relation gives the plain rate
 * theta = (rho + w - 1)^2 / (rho w^2) and the optimal w = 2 / (1 + sqrt(1 - theta)), raised only while the error
 * falls monotonically. Lowered by a tenth of w - 1 when the error rises twice in a row (w past the optimum); back
 * to w = 1 when the error grows tenfold, and for the plain step that must confirm convergence.
 */
final class OverRelaxation {

    /**
     * Steps per rate estimate. Short, because the plain rate only emerges slowly and each estimate may raise w
     * again: on 16k x 16k Fashion-MNIST patches a window of 3 took 59 iterations in all, 4 took 64, 10 took 69.
     */
    static final int WINDOW = 3;
    private final double[] history = new double[WINDOW + 1];
    private double omega = 1;
    /** The factor in use before a confirming plain step, to return to if the confirmation fails. */
    private double suspended = 1;
    private int sinceChange;
    /** Consecutive steps whose error rose, at w > 1. */
    private int rises;

    double omega() {
        return omega;
    }

    boolean plain() {
        return omega == 1;
    }

    /** The marginal error after a step taken with {@link #omega()}; {@code converged}: it met the tolerance. */
    void observe(double error, boolean converged) {
        sinceChange++;
        double previous = history[WINDOW];
        double recentMax = 0;
        for (int k = 1; k <= WINDOW; k++) {
            recentMax = Math.max(recentMax, history[k]);
        }
        System.arraycopy(history, 1, history, 0, WINDOW);
        history[WINDOW] = error;
        rises = !plain() && previous > 0 && error > previous ? rises + 1 : 0;
        if (converged && !plain()) {
            suspended = omega;  // confirm with a plain step
            reset();
        } else if (!converged && plain() && suspended > 1) {
            omega = suspended;  // the confirmation failed: carry on where we were
            suspended = 1;
            sinceChange = 0;
        } else if (!plain() && recentMax > 0 && error > 10 * recentMax) {
            reset();  // diverging (compared with the recent maximum: an over-relaxed error dips near zero now and then)
        } else if (rises >= 2) {
            // rising twice in a row: w is past the optimum (the error oscillates, its envelope shrinks only as w - 1)
            omega = 1 + 0.9 * (omega - 1);
            sinceChange = 0;
            rises = 0;
        } else if (sinceChange > WINDOW && history[0] > 0 && !converged && decreasing()) {
            double rho = Math.pow(history[WINDOW] / history[0], 1.0 / WINDOW);
            double theta = (rho + omega - 1) * (rho + omega - 1) / (rho * omega * omega);
            if (rho < 1 && theta < 1 && rho > omega - 1) {  // rho <= w - 1: at or past the optimum, or the superlinear end
                double better = Math.min(1.95, 2 / (1 + Math.sqrt(1 - theta)));
                if (better > omega + 0.01) {
                    omega = better;
                    sinceChange = 0;
                }
            }
        }
    }

    /** The errors of the window fall step by step (no oscillation in it: the rate estimate means something). */
    private boolean decreasing() {
        for (int k = 0; k < WINDOW; k++) {
            if (!(history[k + 1] < history[k])) {
                return false;
            }
        }
        return true;
    }

    /**
     * A new epsilon stage: the previous stage's factor is kept (rates change slowly with epsilon; a factor that
     * overshoots is caught by the rules above), the error history is dropped.
     */
    void restart() {
        if (suspended > 1) {
            omega = suspended;
        }
        suspended = 1;
        sinceChange = 0;
        java.util.Arrays.fill(history, 0);
        rises = 0;
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
