package org.wganspark.ot;

/** How a solver ended. Non-convergence is a status, never only a log line. */
public enum Status {
    OPTIMAL,
    INFEASIBLE,
    UNBOUNDED,
    MAX_ITERATIONS,
    NUMERICAL_FAILURE
}
