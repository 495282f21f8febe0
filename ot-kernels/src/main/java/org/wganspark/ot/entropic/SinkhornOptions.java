package org.wganspark.ot.entropic;

/**
 * Options of {@link Sinkhorn}.
 *
 * @param epsilon        the target regularization (absolute, in cost units)
 * @param tolerance      stop when the L1 marginal error sum_j |P^T 1 - b|_j (rows exact) is below this
 * @param maxIterations  iterations over all stages before giving up with MAX_ITERATIONS
 * @param scaling        epsilon scaling: stages eps_k = max(epsilon, start * scaling^k); 1 disables it
 * @param stageTolerance an intermediate stage ends at this marginal error (default 0.1: the stages only have to bring the
 *                       potentials near; on 16k x 16k patches 0.1 took 69 iterations in all, 1e-3 took 114, same objective)
 * @param symmetric      averaged (Jacobi) updates f, g <- (f + T(g)) / 2, (g + T(f)) / 2 instead of alternating ones
 * @param denseEntries   up to n * m pairs the cost matrix is kept; above, costs are recomputed in row tiles
 * @param floatCosts     recomputed costs accumulate in float (relative error ~ d 2^-24; several times faster for small
 *                       d); potentials, sums and exponentials stay double
 */
public record SinkhornOptions(double epsilon, double tolerance, int maxIterations, double scaling, double stageTolerance, boolean symmetric,
                              long denseEntries, boolean floatCosts) {

    public SinkhornOptions {
        if (!(epsilon > 0) || !(tolerance > 0) || maxIterations < 1 || !(scaling > 0 && scaling <= 1) || !(stageTolerance > 0)) {
            throw new IllegalArgumentException("Sinkhorn needs epsilon > 0, tolerance > 0, maxIterations >= 1, 0 < scaling <= 1, found "
                    + epsilon + ", " + tolerance + ", " + maxIterations + ", " + scaling);
        }
    }

    public static SinkhornOptions of(double epsilon) {
        return new SinkhornOptions(epsilon, 1e-9, 100_000, 0.5, 0.1, false, 25_000_000L, false);
    }

    public SinkhornOptions withTolerance(double t) {
        return new SinkhornOptions(epsilon, t, maxIterations, scaling, stageTolerance, symmetric, denseEntries, floatCosts);
    }

    public SinkhornOptions withScaling(double s) {
        return new SinkhornOptions(epsilon, tolerance, maxIterations, s, stageTolerance, symmetric, denseEntries, floatCosts);
    }

    public SinkhornOptions withSymmetric(boolean s) {
        return new SinkhornOptions(epsilon, tolerance, maxIterations, scaling, stageTolerance, s, denseEntries, floatCosts);
    }

    public SinkhornOptions withDenseEntries(long entries) {
        return new SinkhornOptions(epsilon, tolerance, maxIterations, scaling, stageTolerance, symmetric, entries, floatCosts);
    }

    public SinkhornOptions withFloatCosts(boolean f) {
        return new SinkhornOptions(epsilon, tolerance, maxIterations, scaling, stageTolerance, symmetric, denseEntries, f);
    }

    public SinkhornOptions withStageTolerance(double t) {
        return new SinkhornOptions(epsilon, tolerance, maxIterations, scaling, t, symmetric, denseEntries, floatCosts);
    }

    public SinkhornOptions withMaxIterations(int iterations) {
        return new SinkhornOptions(epsilon, tolerance, iterations, scaling, stageTolerance, symmetric, denseEntries, floatCosts);
    }
}
