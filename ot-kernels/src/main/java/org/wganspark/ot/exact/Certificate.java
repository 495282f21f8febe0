package org.wganspark.ot.exact;

import org.wganspark.ot.Weights;
import org.wganspark.ot.cost.PairCost;

/**
 * Proof of optimality by LP duality: a feasible plan P and potentials (u, v) with u_i + v_j <= c_ij for
 * every pair and equality wherever P_ij > 0 make P optimal and sum(P c) = sum(a u) + sum(b v).
 *
 * @param primalCost           sum P_ij c_ij
 * @param dualValue            sum a_i u_i + sum b_j v_j
 * @param maxViolation         max over all pairs of u_i + v_j - c_ij (<= 0 up to rounding when optimal)
 * @param slacknessResidual    max over the plan's support of |c_ij - u_i - v_j|
 * @param marginalError        max over rows and columns of |plan marginal - weight|
 * @param pairsChecked         pairs whose dual constraint was checked (n * m when complete)
 * @param potentialScale       max |u| + max |v|: the scale of the dual's rounding
 */
public record Certificate(double primalCost, double dualValue, double maxViolation, double slacknessResidual,
                          double marginalError, long pairsChecked, double potentialScale) {

    /** Duality gap relative to the larger of the cost and the potentials' scale (a zero cost has a zero gap). */
    public double relativeGap() {
        double scale = Math.max(Math.max(Math.abs(primalCost), Math.abs(dualValue)), potentialScale);
        return scale == 0 ? 0 : Math.abs(primalCost - dualValue) / scale;
    }

    /** Checks every pair (O(n m) cost evaluations, no matrix stored). */
    public static Certificate check(Weights a, Weights b, PairCost cost, double[] u, double[] v, SparsePlan plan) {
        double maxViolation = Double.NEGATIVE_INFINITY;
        for (int i = 0; i < a.size(); i++) {
            for (int j = 0; j < b.size(); j++) {
                maxViolation = Math.max(maxViolation, u[i] + v[j] - cost.cost(i, j));
            }
        }
        return withViolation(a, b, cost, u, v, plan, maxViolation, (long) a.size() * b.size());
    }

    /** Everything but the all-pairs scan, whose result a pricing pass supplies. */
    public static Certificate withViolation(Weights a, Weights b, PairCost cost, double[] u, double[] v, SparsePlan plan,
                                            double maxViolation, long pairsChecked) {
        double slack = 0;
        double[] rowSum = new double[a.size()];
        double[] colSum = new double[b.size()];
        for (int k = 0; k < plan.size(); k++) {
            int i = plan.row()[k];
            int j = plan.col()[k];
            slack = Math.max(slack, Math.abs(cost.cost(i, j) - u[i] - v[j]));
            rowSum[i] += plan.mass()[k];
            colSum[j] += plan.mass()[k];
        }
        double marginal = 0;
        for (int i = 0; i < rowSum.length; i++) {
            marginal = Math.max(marginal, Math.abs(rowSum[i] - a.get(i)));
        }
        for (int j = 0; j < colSum.length; j++) {
            marginal = Math.max(marginal, Math.abs(colSum[j] - b.get(j)));
        }
        double dual = 0;
        double maxU = 0;
        double maxV = 0;
        for (int i = 0; i < a.size(); i++) {
            dual += a.get(i) * u[i];
            maxU = Math.max(maxU, Math.abs(u[i]));
        }
        for (int j = 0; j < b.size(); j++) {
            dual += b.get(j) * v[j];
            maxV = Math.max(maxV, Math.abs(v[j]));
        }
        return new Certificate(plan.cost(cost), dual, maxViolation, slack, marginal, pairsChecked, maxU + maxV);
    }
}
