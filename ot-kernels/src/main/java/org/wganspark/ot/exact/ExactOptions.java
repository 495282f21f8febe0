package org.wganspark.ot.exact;

/**
 * Options of the exact solvers.
 *
 * @param maxPivots     simplex pivots before giving up with MAX_ITERATIONS
 * @param tolerance     a reduced cost counts as negative below -tolerance * (largest cost)
 * @param candidatesPerRow shortlist: nearest columns per row (and rows per column) in the first restricted problem
 * @param addPerRow     shortlist: most violated pairs added per row in each pricing round
 * @param maxRounds     shortlist: pricing rounds before giving up with MAX_ITERATIONS
 */
public record ExactOptions(long maxPivots, double tolerance, int candidatesPerRow, int addPerRow, int maxRounds) {

    public static ExactOptions defaults() {
        return new ExactOptions(Long.MAX_VALUE, 1e-12, 8, 8, 100);
    }

    public ExactOptions withMaxPivots(long pivots) {
        return new ExactOptions(pivots, tolerance, candidatesPerRow, addPerRow, maxRounds);
    }

    public ExactOptions withCandidatesPerRow(int k) {
        return new ExactOptions(maxPivots, tolerance, k, addPerRow, maxRounds);
    }

    public ExactOptions withAddPerRow(int k) {
        return new ExactOptions(maxPivots, tolerance, candidatesPerRow, k, maxRounds);
    }
}
