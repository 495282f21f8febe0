package org.wganspark.ot.exact;

/**
 * Options of the exact solvers.
 *
 * @param maxPivots     simplex pivots before giving up with MAX_ITERATIONS
 * @param tolerance     a reduced cost counts as negative below -tolerance * (largest cost)
 * @param candidatesPerRow shortlist: nearest columns per row (and rows per column) in the first restricted problem
 * @param addPerRow     shortlist: most violated pairs added per row in each pricing round
 * @param maxRounds     shortlist: pricing rounds before giving up with MAX_ITERATIONS
 * @param denseEntries  shortlist: up to this many pairs (n * m) the cost matrix is computed once and kept, and
 *                      candidates and pricing read it; above, pricing uses the projected bound (memory O(n + m))
 * @param sampledStart  shortlist without the matrix: rank the first candidates by the duals of a random subproblem of
 *                      about {@code denseEntries} pairs (solved exactly, extended to all points by c-transforms)
 *                      instead of by distance alone; at 20,000 x 20,000 images 8 rounds instead of 12
 */
public record ExactOptions(long maxPivots, double tolerance, int candidatesPerRow, int addPerRow, int maxRounds, long denseEntries,
                           boolean sampledStart) {

    /** 2.5e7 pairs: a 200 MB matrix, the size POT needs for 5000 x 5000. */
    public static final long DEFAULT_DENSE_ENTRIES = 25_000_000L;

    public static ExactOptions defaults() {
        return new ExactOptions(Long.MAX_VALUE, 1e-12, 8, 32, 100, DEFAULT_DENSE_ENTRIES, true);
    }

    public ExactOptions withDenseEntries(long entries) {
        return new ExactOptions(maxPivots, tolerance, candidatesPerRow, addPerRow, maxRounds, entries, sampledStart);
    }

    public ExactOptions withMaxPivots(long pivots) {
        return new ExactOptions(pivots, tolerance, candidatesPerRow, addPerRow, maxRounds, denseEntries, sampledStart);
    }

    public ExactOptions withCandidatesPerRow(int k) {
        return new ExactOptions(maxPivots, tolerance, k, addPerRow, maxRounds, denseEntries, sampledStart);
    }

    public ExactOptions withSampledStart(boolean sampled) {
        return new ExactOptions(maxPivots, tolerance, candidatesPerRow, addPerRow, maxRounds, denseEntries, sampled);
    }

    public ExactOptions withAddPerRow(int k) {
        return new ExactOptions(maxPivots, tolerance, candidatesPerRow, k, maxRounds, denseEntries, sampledStart);
    }
}
