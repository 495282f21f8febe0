package org.wganspark.ot.sliced;

/**
 * Sliced distances between two weighted point sets over seeded random directions.
 *
 * @param swd             mean over directions of the exact 1-D W1 of the projections (the paper's SWD)
 * @param swdSpread       standard deviation of the 1-D W1 over directions
 * @param upperBound      mean over directions of the full-dimensional cost of the 1-D optimal plan (the paper's
 *                        "Bounded-W1"): each plan is feasible, so each term, and the mean, bounds W1 from above
 * @param bestUpperBound  the smallest of those terms: a tighter upper bound on W1
 * @param maxSliced       the 1-D W1 along the best direction found (random directions, then projected gradient
 *                        ascent on the sphere): a lower bound on max-sliced W1, itself a lower bound on W1
 * @param directions      number of random directions
 * @param seed            the directions' seed
 */
public record SlicedResult(double swd, double swdSpread, double upperBound, double bestUpperBound, double maxSliced, int directions, long seed) {
}
