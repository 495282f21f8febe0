package org.wganspark.ot.exact;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.wganspark.ot.Status;
import org.wganspark.ot.Weights;
import org.wganspark.ot.cost.Metric;
import org.wganspark.ot.cost.PairwiseCost;
import org.wganspark.ot.cost.PointSet;

/** The shortlist solver must give the dense solver's answer, with a certificate from its last pricing pass. */
class ShortlistSolverTest {

    private static void agreesWithDense(Weights a, Weights b, PairwiseCost pc, ExactOptions options) {
        ExactResult dense = NetworkSimplex.solve(a, b, pc.dense(), ExactOptions.defaults());
        ExactResult kept = ShortlistSolver.solve(a, b, pc, options);
        assertEquals(dense.cost(), kept.cost(), 1e-12 * dense.cost());
        assertTrue(kept.certificate().maxViolation() <= 1e-10, "kept-matrix violation " + kept.certificate().maxViolation());
        assertEquals(Certificate.check(a, b, pc::cost, kept.u(), kept.v(), kept.plan()).maxViolation(), kept.certificate().maxViolation(), 1e-12);
        ExactResult shortlist = ShortlistSolver.solve(a, b, pc, options.withDenseEntries(0));  // projected-bound pricing
        assertEquals(Status.OPTIMAL, shortlist.status());
        assertEquals(dense.cost(), shortlist.cost(), 1e-12 * dense.cost());
        Certificate cert = shortlist.certificate();
        assertEquals((long) a.size() * b.size(), cert.pairsChecked());
        assertTrue(cert.maxViolation() <= 1e-10, "violation " + cert.maxViolation());
        assertTrue(cert.slacknessResidual() <= 1e-10, "slackness " + cert.slacknessResidual());
        assertTrue(cert.relativeGap() <= 1e-10, "gap " + cert.relativeGap());
        // the pricing pass's violation is the true all-pairs maximum
        Certificate full = Certificate.check(a, b, pc::cost, shortlist.u(), shortlist.v(), shortlist.plan());
        assertEquals(full.maxViolation(), cert.maxViolation(), 1e-12);
        if (a.size() > 50 && b.size() > 50) {
            assertTrue(shortlist.arcs() < (long) a.size() * b.size() / 4, "the shortlist holds " + shortlist.arcs() + " arcs");
        }
    }

    @Test
    void gaussianCloudsUniform() {
        PointSet x = NetworkSimplexTest.randomPoints(400, 30, 1);
        PointSet y = NetworkSimplexTest.randomPoints(350, 30, 2);
        agreesWithDense(Weights.uniform(400), Weights.uniform(350), new PairwiseCost(x, y, Metric.EUCLIDEAN), ExactOptions.defaults());
    }

    @Test
    void generalWeightsWithZerosAndSquaredCost() {
        PointSet x = NetworkSimplexTest.randomPoints(200, 10, 3);
        PointSet y = NetworkSimplexTest.randomPoints(260, 10, 4);
        agreesWithDense(Weights.of(NetworkSimplexTest.randomWeights(200, 5, true)), Weights.of(NetworkSimplexTest.randomWeights(260, 6, true)),
                new PairwiseCost(x, y, Metric.SQEUCLIDEAN), ExactOptions.defaults());
    }

    @Test
    void tinyShortlistNeedsSeveralRoundsButEndsExact() {
        PointSet x = NetworkSimplexTest.randomPoints(300, 5, 7);
        PointSet y = NetworkSimplexTest.randomPoints(300, 5, 8);
        ExactOptions starved = ExactOptions.defaults().withCandidatesPerRow(1).withAddPerRow(1).withDenseEntries(0);
        agreesWithDense(Weights.uniform(300), Weights.uniform(300), new PairwiseCost(x, y, Metric.EUCLIDEAN), starved);
        ExactResult r = ShortlistSolver.solve(Weights.uniform(300), Weights.uniform(300), new PairwiseCost(x, y, Metric.EUCLIDEAN), starved);
        assertTrue(r.rounds() > 1, "rounds " + r.rounds());
    }

    @Test
    void duplicatesAndASinglePoint() {
        float[] v = new float[20 * 3];
        for (int i = 0; i < 20; i++) {
            v[i * 3] = i % 4;  // 4 distinct points, each 5 times
        }
        PointSet x = new PointSet(v, 20, 3);
        agreesWithDense(Weights.uniform(20), Weights.uniform(20), new PairwiseCost(x, x, Metric.EUCLIDEAN), ExactOptions.defaults());
        PointSet one = NetworkSimplexTest.randomPoints(1, 3, 9);
        agreesWithDense(Weights.uniform(1), Weights.uniform(20), new PairwiseCost(one, x, Metric.EUCLIDEAN), ExactOptions.defaults());
    }

    @Test
    void aSampledStartEndsAtTheSameOptimumWithUniformAndGeneralWeights() {
        PointSet x = NetworkSimplexTest.randomPoints(700, 20, 21);
        PointSet y = NetworkSimplexTest.randomPoints(650, 20, 22);
        PairwiseCost pc = new PairwiseCost(x, y, Metric.EUCLIDEAN);
        // 62,500 kept pairs: a 259 x 240 sample is solved on its matrix, the 700 x 650 problem by projected pricing
        ExactOptions sampled = ExactOptions.defaults().withDenseEntries(62_500);
        for (Weights[] w : new Weights[][] {{Weights.uniform(700), Weights.uniform(650)},
                {Weights.of(NetworkSimplexTest.randomWeights(700, 23, true)), Weights.of(NetworkSimplexTest.randomWeights(650, 24, false))}}) {
            ExactResult dense = NetworkSimplex.solve(w[0], w[1], pc.dense(), ExactOptions.defaults());
            java.util.List<String> lines = new java.util.ArrayList<>();
            ExactResult r = ShortlistSolver.solve(w[0], w[1], pc, sampled, lines::add, kernel -> kernel::priceInParallel);
            assertTrue(lines.get(0).startsWith("sample 259 x 240"), lines.get(0));
            assertEquals(Status.OPTIMAL, r.status());
            assertEquals(dense.cost(), r.cost(), 1e-12 * dense.cost());
            Certificate full = Certificate.check(w[0], w[1], pc::cost, r.u(), r.v(), r.plan());
            assertTrue(full.maxViolation() <= 1e-10 && full.relativeGap() <= 1e-10, full.toString());
            assertEquals(full.maxViolation(), r.certificate().maxViolation(), 1e-12);
            ExactResult nearest = ShortlistSolver.solve(w[0], w[1], pc, sampled.withSampledStart(false));
            assertEquals(dense.cost(), nearest.cost(), 1e-12 * dense.cost());
            assertTrue(r.rounds() <= nearest.rounds(), "sampled start " + r.rounds() + " rounds, nearest " + nearest.rounds());
        }
    }

    /** k distinct points in R^d, repeated (with {@code heavy} extra copies of the first) and shuffled: patch-like duplicates. */
    private static PointSet withDuplicates(int n, int distinct, int heavy, int d, long seed) {
        PointSet base = NetworkSimplexTest.randomPoints(distinct, d, seed);
        java.util.SplittableRandom r = new java.util.SplittableRandom(seed + 1);
        float[] v = new float[n * d];
        for (int i = 0; i < n; i++) {
            int k = i < heavy ? 0 : r.nextInt(distinct);
            System.arraycopy(base.values(), k * d, v, i * d, d);
        }
        return new PointSet(v, n, d);
    }

    @Test
    void farFewerRowsThanColumnsWithMergedDuplicatesIsExact() {
        // 40 generated points against 3000 data points of which 600 are one point (a background patch) and the rest
        // 500 points repeated: merged, the columns carry counts from 1 to 600, as in generated against training patches
        PointSet x = NetworkSimplexTest.randomPoints(40, 8, 41);
        PointSet y = withDuplicates(3000, 500, 600, 8, 42);
        org.wganspark.ot.cost.Deduplicated my = org.wganspark.ot.cost.Deduplicated.of(y, Weights.uniform(3000));
        assertTrue(my.weights().hasCounts() && my.points().n() <= 500, "merged into " + my.points().n());
        PairwiseCost merged = new PairwiseCost(x, my.points(), Metric.EUCLIDEAN);
        ExactResult full = NetworkSimplex.solve(Weights.uniform(40), Weights.uniform(3000), new PairwiseCost(x, y, Metric.EUCLIDEAN).dense(),
                ExactOptions.defaults());
        agreesWithDense(Weights.uniform(40), my.weights(), merged, ExactOptions.defaults());
        ExactResult r = ShortlistSolver.solve(Weights.uniform(40), my.weights(), merged, ExactOptions.defaults().withDenseEntries(0));
        assertEquals(full.cost(), r.cost(), 1e-12 * full.cost(), "merging keeps the cost of the unmerged problem");
        assertEquals(0, r.certificate().marginalError(), 1e-15, "counts balance exactly");
        // and transposed: far more rows than columns
        agreesWithDense(my.weights(), Weights.uniform(40), new PairwiseCost(my.points(), x, Metric.EUCLIDEAN), ExactOptions.defaults());
    }

    @Test
    void veryUnequalGeneralMassesEndOptimalNotInfeasible() {
        // one column holds 30% of the mass, the others between 1e-9 and 1 (relative): general doubles whose sums do not
        // balance in floating point; whole-number supplies keep the marginals exact
        int n = 60;
        int m = 1500;
        PointSet x = NetworkSimplexTest.randomPoints(n, 6, 51);
        PointSet y = NetworkSimplexTest.randomPoints(m, 6, 52);
        java.util.SplittableRandom r = new java.util.SplittableRandom(53);
        double[] mass = new double[m];
        for (int j = 0; j < m; j++) {
            mass[j] = Math.pow(10, -9 * r.nextDouble());
        }
        mass[0] = 0;
        for (int j = 1; j < m; j++) {
            mass[0] += mass[j];
        }
        mass[0] *= 0.3 / 0.7;
        double[] rows = NetworkSimplexTest.randomWeights(n, 54, false);
        agreesWithDense(Weights.of(rows), Weights.of(mass), new PairwiseCost(x, y, Metric.EUCLIDEAN), ExactOptions.defaults());
        ExactResult s = ShortlistSolver.solve(Weights.of(rows), Weights.of(mass), new PairwiseCost(x, y, Metric.EUCLIDEAN),
                ExactOptions.defaults().withDenseEntries(0));
        assertTrue(s.certificate().marginalError() < 1e-15, "marginal error " + s.certificate().marginalError());
    }

    @Test
    void aPricingSlackAddsNearlyBindingPairsButCountsOnlyViolations() {
        PointSet x = NetworkSimplexTest.randomPoints(300, 12, 31);
        PointSet y = NetworkSimplexTest.randomPoints(280, 12, 32);
        PairwiseCost pc = new PairwiseCost(x, y, Metric.EUCLIDEAN);
        Weights a = Weights.uniform(300);
        Weights b = Weights.uniform(280);
        ExactResult optimum = NetworkSimplex.solve(a, b, pc.dense(), ExactOptions.defaults());
        double[] u = optimum.u().clone();
        u[7] += 0.05;  // row 7 now violates on its plan pairs
        PricingKernel kernel = new PricingKernel(pc, Projection.of(x, y, 8, 1), 1e-12, ShortlistSolver.rowCapacity(a, 280, 1000));
        double slack = 0.02;
        PricingKernel.Pricing strict = kernel.priceInParallel(u, optimum.v(), 10, 0);
        PricingKernel.Pricing loose = kernel.priceInParallel(u, optimum.v(), 10, slack);
        long violations = 0;
        long within = 0;
        for (int i = 0; i < 300; i++) {
            for (int j = 0; j < 280; j++) {
                double reduced = pc.cost(i, j) - u[i] - optimum.v()[j];
                violations += reduced < -1e-11 ? 1 : 0;
                within += reduced < slack ? 1 : 0;
            }
        }
        assertTrue(violations > 0 && within > violations + 300, violations + " violations, " + within + " within the slack");
        assertEquals(violations, strict.violations());
        assertEquals(violations, strict.count());
        assertEquals(violations, loose.violations(), "the slack adds arcs, not violations");
        assertEquals(within, loose.count());
        for (int k = 0; k < loose.count(); k++) {
            int i = loose.rows()[k];
            int j = loose.cols()[k];
            assertTrue(pc.cost(i, j) - u[i] - optimum.v()[j] < slack);
            assertEquals(pc.cost(i, j), loose.costs()[k], 0.0);
        }
        assertEquals(strict.maxViolation(), loose.maxViolation(), 0.0);
    }

    @Test
    void theFloatTileIsALowerBoundWithinItsSlack() {
        PointSet x = NetworkSimplexTest.randomPoints(150, 80, 13);
        PointSet y = NetworkSimplexTest.randomPoints(130, 80, 14);
        Projection p = Projection.of(x, y, 64, 1);
        PairwiseCost pc = new PairwiseCost(x, y, Metric.EUCLIDEAN);
        double[] tile = new double[150 * 130];
        p.tile(0, 150, 0, 130, tile, 130);
        double tightest = 0;
        for (int i = 0; i < 150; i++) {
            for (int j = 0; j < 130; j++) {
                double sq = pc.squaredDistance(i, j);
                double b = tile[i * 130 + j];
                assertTrue(b <= sq * (1 + Projection.FLOAT_SLACK) + Projection.FLOAT_SLACK * p.scale, i + "," + j);
                assertEquals(p.lowerBound(i, j), b, 1e-5 * (b + p.scale), "the float tile is the double bound to float precision");
                tightest = Math.max(tightest, b / sq);
            }
        }
        assertTrue(tightest > 0.9, "64 of 80 principal directions bound some pair tightly: " + tightest);
    }

    @Test
    void lowerBoundNeverExceedsTheDistance() {
        PointSet x = NetworkSimplexTest.randomPoints(100, 50, 11);
        PointSet y = NetworkSimplexTest.randomPoints(80, 50, 12);
        Projection p = Projection.of(x, y, 8, 1);
        PairwiseCost pc = new PairwiseCost(x, y, Metric.EUCLIDEAN);
        for (int i = 0; i < 100; i++) {
            for (int j = 0; j < 80; j++) {
                double sq = pc.squaredDistance(i, j);
                assertTrue(p.lowerBound(i, j) <= sq * (1 + 1e-12) + 1e-12, i + "," + j);
            }
        }
    }
}
