package org.wganspark.ot.entropic;

import org.wganspark.ot.Status;

/**
 * Entropic OT between a and b: P_ij = a_i b_j exp((f_i + g_j - c_ij) / eps).
 *
 * @param f              row potentials
 * @param g              column potentials
 * @param transportCost  <P, C>
 * @param objective      the dual objective <a, f> + <b, g> - eps (sum P - 1), i.e. OT_eps(a, b)
 * @param epsilon        the regularization reached
 * @param iterations     Sinkhorn iterations (one f and one g update each), all stages
 * @param marginalError  sum_i |P 1 - a|_i + sum_j |P^T 1 - b|_j at (f, g), measured in a final pass
 * @param status         CONVERGED when the tolerance was met
 */
public record SinkhornResult(double[] f, double[] g, double transportCost, double objective, double epsilon, int iterations,
                             double marginalError, Status status) {
}
