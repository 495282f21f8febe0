package org.wganspark.ot;

/**
 * How a solver ended. Non-convergence is a status, never only a log line. OPTIMAL is an exact solver's proven
 * optimum; CONVERGED an iterative solver's stopping tolerance met (Sinkhorn's marginal error).
 */
public enum Status {
    OPTIMAL,
    CONVERGED,
    INFEASIBLE,
    UNBOUNDED,
    MAX_ITERATIONS,
    NUMERICAL_FAILURE
}
