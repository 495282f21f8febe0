package org.wganspark.ot.loss;

import org.wganspark.ot.Status;
import org.wganspark.ot.Weights;
import org.wganspark.ot.cost.Metric;
import org.wganspark.ot.cost.PairwiseCost;
import org.wganspark.ot.cost.PointSet;
import org.wganspark.ot.exact.ExactOptions;
import org.wganspark.ot.exact.ExactResult;
import org.wganspark.ot.exact.ShortlistSolver;
import org.wganspark.ot.exact.SparsePlan;

/**
 * Exact W1 between uniformly weighted sets as a loss: sum_ij P_ij ||x_i - y_j|| with the optimal plan P held fixed,
 * so the gradient flows through the Euclidean cost only (the paper's direct-W1 loss, MiniBatchLoss-dist=w1). Where
 * the optimal plan is unique this is the gradient of W1 itself (the envelope theorem).
 */
public final class ExactW1Loss {

    /** The paper's code clamps squared distances here before the root: coincident points get a zero gradient. */
    static final double MIN_SQUARED = 1e-10;

    private ExactW1Loss() {
    }

    public static LossGradient of(PointSet x, PointSet y) {
        if (x.d() != y.d()) {
            throw new IllegalArgumentException("X has dimension " + x.d() + ", Y has dimension " + y.d());
        }
        ExactResult r = ShortlistSolver.solve(Weights.uniform(x.n()), Weights.uniform(y.n()), new PairwiseCost(x, y, Metric.EUCLIDEAN),
                ExactOptions.defaults());
        if (r.status() != Status.OPTIMAL) {
            throw new IllegalStateException("exact OT between " + x.n() + " and " + y.n() + " points ended " + r.status());
        }
        int d = x.d();
        float[] xv = x.values();
        float[] yv = y.values();
        double[] gradient = new double[x.n() * d];
        double[] diff = new double[d];
        SparsePlan plan = r.plan();
        for (int k = 0; k < plan.size(); k++) {
            int xo = plan.row()[k] * d;
            int yo = plan.col()[k] * d;
            double squared = 0;
            for (int c = 0; c < d; c++) {
                diff[c] = (double) xv[xo + c] - yv[yo + c];
                squared += diff[c] * diff[c];
            }
            double scale = plan.mass()[k] / Math.sqrt(Math.max(squared, MIN_SQUARED));
            for (int c = 0; c < d; c++) {
                gradient[xo + c] += scale * diff[c];
            }
        }
        return new LossGradient(r.cost(), gradient);
    }
}
