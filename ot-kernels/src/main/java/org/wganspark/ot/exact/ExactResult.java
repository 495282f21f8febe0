package org.wganspark.ot.exact;

import org.wganspark.ot.Status;

/**
 * An exact transport solution with its diagnostics.
 *
 * @param cost        sum P_ij c_ij
 * @param u           row potentials, centered (sum a u = sum b v)
 * @param v           column potentials
 * @param plan        the optimal basic plan (at most n + m - 1 nonzeros)
 * @param status      OPTIMAL unless stated otherwise
 * @param pivots      simplex pivots
 * @param rounds      pricing rounds (shortlist solver; 0 for a single solve)
 * @param arcs        arcs the simplex saw (n * m when dense)
 * @param certificate the duality check (null when it was not computed)
 */
public record ExactResult(double cost, double[] u, double[] v, SparsePlan plan, Status status, long pivots, int rounds, long arcs,
                          Certificate certificate) {
}
