package org.wganspark.ot.exact;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.wganspark.ot.Status;
import org.wganspark.ot.Weights;
import org.wganspark.ot.cost.Metric;
import org.wganspark.ot.cost.PairCost;
import org.wganspark.ot.cost.PairwiseCost;
import org.wganspark.ot.cost.PointSet;

class NetworkSimplexTest {

    static PointSet randomPoints(int n, int d, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        float[] v = new float[n * d];
        for (int k = 0; k < v.length; k++) {
            v[k] = (float) r.nextGaussian();
        }
        return new PointSet(v, n, d);
    }

    static double[] randomWeights(int n, long seed, boolean withZeros) {
        SplittableRandom r = new SplittableRandom(seed);
        double[] w = new double[n];
        for (int i = 0; i < n; i++) {
            w[i] = withZeros && r.nextInt(4) == 0 ? 0 : r.nextDouble(0.1, 1);
        }
        w[0] = Math.max(w[0], 0.5);
        return w;
    }

    /** The certificate must prove optimality: dual feasible on all pairs, slack zero on the plan, marginals met. */
    static void assertCertified(Weights a, Weights b, PairCost c, ExactResult r, double scale) {
        assertEquals(Status.OPTIMAL, r.status());
        Certificate cert = Certificate.check(a, b, c, r.u(), r.v(), r.plan());
        assertTrue(cert.maxViolation() <= 1e-10 * scale, "dual violation " + cert.maxViolation());
        assertTrue(cert.slacknessResidual() <= 1e-10 * scale, "slackness " + cert.slacknessResidual());
        assertTrue(cert.marginalError() <= 1e-12, "marginals " + cert.marginalError());
        assertEquals(r.cost(), cert.dualValue(), 1e-10 * scale);
        assertEquals(r.cost(), cert.primalCost(), 1e-12 * scale);
        assertTrue(r.plan().size() <= a.size() + b.size() - 1, "plan has " + r.plan().size() + " nonzeros");
    }

    private static double bestPermutation(double[] c, int n, int[] perm, int k, boolean[] used, double acc, double best) {
        if (acc >= best) {
            return best;
        }
        if (k == n) {
            return acc;
        }
        for (int j = 0; j < n; j++) {
            if (!used[j]) {
                used[j] = true;
                best = bestPermutation(c, n, perm, k + 1, used, acc + c[k * n + j], best);
                used[j] = false;
            }
        }
        return best;
    }

    @Test
    void uniformEqualSizesMatchTheBestPermutation() {
        // Birkhoff: with n = m and uniform weights an optimal plan is a permutation.
        for (int seed = 0; seed < 20; seed++) {
            int n = 2 + seed % 6;
            PairwiseCost pc = new PairwiseCost(randomPoints(n, 3, seed), randomPoints(n, 3, 100 + seed), Metric.EUCLIDEAN);
            double[] c = pc.dense();
            ExactResult r = NetworkSimplex.solve(Weights.uniform(n), Weights.uniform(n), c, ExactOptions.defaults());
            double brute = bestPermutation(c, n, new int[n], 0, new boolean[n], 0, Double.POSITIVE_INFINITY) / n;
            assertEquals(brute, r.cost(), 1e-12 * brute, "seed " + seed);
            assertCertified(Weights.uniform(n), Weights.uniform(n), pc::cost, r, 10);
        }
    }

    @Test
    void weightedPointsOnALineMatchTheCdfFormula() {
        for (int seed = 0; seed < 15; seed++) {
            SplittableRandom r = new SplittableRandom(seed);
            int n = 1 + r.nextInt(30);
            int m = 1 + r.nextInt(30);
            double[] xs = r.doubles(n, -5, 5).toArray();
            double[] ys = r.doubles(m, -3, 7).toArray();
            if (seed % 3 == 0) {
                ys[0] = xs[0];  // a zero-cost pair
            }
            Weights a = Weights.of(randomWeights(n, seed, seed % 2 == 0));
            Weights b = Weights.of(randomWeights(m, seed + 50, false));
            double[] c = new double[n * m];
            for (int i = 0; i < n; i++) {
                for (int j = 0; j < m; j++) {
                    c[i * m + j] = Math.abs(xs[i] - ys[j]);
                }
            }
            ExactResult res = NetworkSimplex.solve(a, b, c, ExactOptions.defaults());
            double expected = OneDimensional.w1(a, xs, b, ys);
            assertEquals(expected, res.cost(), 1e-12 * Math.max(1, expected), "seed " + seed);
            assertCertified(a, b, (i, j) -> c[i * m + j], res, 10);
        }
    }

    @Test
    void equalSamplesGiveIdentityPlanAtZeroCost() {
        PointSet p = randomPoints(40, 5, 9);
        PairwiseCost pc = new PairwiseCost(p, p, Metric.EUCLIDEAN);
        ExactResult r = NetworkSimplex.solve(Weights.uniform(40), Weights.uniform(40), pc.dense(), ExactOptions.defaults());
        assertEquals(0, r.cost(), 0);
        for (int k = 0; k < r.plan().size(); k++) {
            assertEquals(r.plan().row()[k], r.plan().col()[k]);
        }
        assertCertified(Weights.uniform(40), Weights.uniform(40), pc::cost, r, 10);
    }

    @Test
    void duplicatePointsAndUnequalSizes() {
        // Y holds each X point twice plus 3 far points: W1 is fixed by the far mass.
        int n = 12;
        PointSet x = randomPoints(n, 4, 2);
        float[] yv = new float[(2 * n + 3) * 4];
        System.arraycopy(x.values(), 0, yv, 0, n * 4);
        System.arraycopy(x.values(), 0, yv, n * 4, n * 4);
        PointSet y = new PointSet(yv, 2 * n + 3, 4);  // last 3 rows: the origin
        PairwiseCost pc = new PairwiseCost(x, y, Metric.EUCLIDEAN);
        Weights a = Weights.uniform(n);
        Weights b = Weights.uniform(2 * n + 3);
        ExactResult r = NetworkSimplex.solve(a, b, pc.dense(), ExactOptions.defaults());
        assertCertified(a, b, pc::cost, r, 10);
        // every unit of mass that goes to the origin pays at least the nearest X point's norm
        double minNorm = Double.POSITIVE_INFINITY;
        for (int i = 0; i < n; i++) {
            minNorm = Math.min(minNorm, Math.sqrt(pc.squaredDistance(i, 2 * n)));
        }
        assertTrue(r.cost() >= 3.0 / (2 * n + 3) * minNorm - 1e-12);
    }

    @Test
    void aSinglePointOnEitherSide() {
        PairwiseCost pc = new PairwiseCost(randomPoints(1, 3, 1), randomPoints(7, 3, 2), Metric.SQEUCLIDEAN);
        ExactResult r = NetworkSimplex.solve(Weights.uniform(1), Weights.uniform(7), pc.dense(), ExactOptions.defaults());
        double mean = 0;
        for (int j = 0; j < 7; j++) {
            mean += pc.cost(0, j) / 7;
        }
        assertEquals(mean, r.cost(), 1e-12 * mean);
        assertEquals(7, r.plan().size());
        assertCertified(Weights.uniform(1), Weights.uniform(7), pc::cost, r, 10);
    }

    @Test
    void swappingTheSidesKeepsTheCost() {
        PointSet x = randomPoints(25, 6, 3);
        PointSet y = randomPoints(31, 6, 4);
        double ab = NetworkSimplex.solve(Weights.uniform(25), Weights.uniform(31), new PairwiseCost(x, y, Metric.EUCLIDEAN).dense(),
                ExactOptions.defaults()).cost();
        double ba = NetworkSimplex.solve(Weights.uniform(31), Weights.uniform(25), new PairwiseCost(y, x, Metric.EUCLIDEAN).dense(),
                ExactOptions.defaults()).cost();
        assertEquals(ab, ba, 1e-13 * ab);
    }

    @Test
    void sparseOverAllArcsEqualsDense() {
        int n = 30;
        int m = 20;
        PairwiseCost pc = new PairwiseCost(randomPoints(n, 8, 5), randomPoints(m, 8, 6), Metric.EUCLIDEAN);
        double[] c = pc.dense();
        int[] rows = new int[n * m];
        int[] cols = new int[n * m];
        for (int k = 0; k < n * m; k++) {
            rows[k] = k / m;
            cols[k] = k % m;
        }
        Weights a = Weights.of(randomWeights(n, 1, true));
        Weights b = Weights.of(randomWeights(m, 2, true));
        ExactResult dense = NetworkSimplex.solve(a, b, c, ExactOptions.defaults());
        ExactResult sparse = NetworkSimplex.sparse(a, b, rows, cols, c).solve(ExactOptions.defaults());
        assertEquals(dense.cost(), sparse.cost(), 1e-12 * dense.cost());
        assertCertified(a, b, pc::cost, sparse, 10);
    }

    @Test
    void arcsThatCannotCarryTheMassAreInfeasibleAndAddingArcsWarmStarts() {
        // rows 0, 1 may only ship to column 0, whose demand is half the mass: no feasible plan
        Weights a = Weights.uniform(2);
        Weights b = Weights.uniform(2);
        NetworkSimplex s = NetworkSimplex.sparse(a, b, new int[] {0, 1}, new int[] {0, 0}, new double[] {1, 2});
        assertEquals(Status.INFEASIBLE, s.solve(ExactOptions.defaults()).status());
        s.addArcs(new int[] {1}, new int[] {1}, new double[] {5}, 1);
        ExactResult r = s.solve(ExactOptions.defaults());
        assertEquals(Status.OPTIMAL, r.status());
        assertEquals((1 + 5) / 2.0, r.cost(), 1e-15);
    }

    @Test
    void pivotBudgetIsAStatusNotAnException() {
        PairwiseCost pc = new PairwiseCost(randomPoints(50, 4, 7), randomPoints(50, 4, 8), Metric.EUCLIDEAN);
        ExactResult r = NetworkSimplex.solve(Weights.uniform(50), Weights.uniform(50), pc.dense(), ExactOptions.defaults().withMaxPivots(3));
        assertEquals(Status.MAX_ITERATIONS, r.status());
        assertEquals(3, r.pivots());
    }

    @Test
    void badInputIsRejectedWithSizes() {
        assertThrows(IllegalArgumentException.class, () -> Weights.of(new double[] {1, -1}));
        assertThrows(IllegalArgumentException.class, () -> Weights.of(new double[] {0, 0}));
        assertThrows(IllegalArgumentException.class, () -> Weights.of(new double[0]));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> NetworkSimplex.solve(Weights.uniform(2), Weights.uniform(3), new double[5], ExactOptions.defaults()));
        assertTrue(e.getMessage().contains("2 x 3"), e.getMessage());
        assertThrows(IllegalArgumentException.class,
                () -> NetworkSimplex.solve(Weights.uniform(1), Weights.uniform(2), new double[] {1, Double.NaN}, ExactOptions.defaults()));
        assertThrows(IllegalArgumentException.class, () -> new PointSet(new float[] {1, Float.POSITIVE_INFINITY}, 1, 2));
        assertThrows(IllegalArgumentException.class,
                () -> new PairwiseCost(randomPoints(2, 3, 1), randomPoints(2, 4, 1), Metric.EUCLIDEAN));
    }

    @Test
    void largerRandomProblemIsCertified() {
        int n = 300;
        int m = 250;
        PairwiseCost pc = new PairwiseCost(randomPoints(n, 20, 11), randomPoints(m, 20, 12), Metric.EUCLIDEAN);
        ExactResult r = NetworkSimplex.solve(Weights.uniform(n), Weights.uniform(m), pc.dense(), ExactOptions.defaults());
        assertCertified(Weights.uniform(n), Weights.uniform(m), pc::cost, r, 10);
    }

    @Test
    void generalWeightsWhoseFloatingSumsDoNotBalanceEndOptimal() {
        // 40,000 column masses k / 60,000 as doubles (merged duplicates given as plain weights): their floating-point
        // sum misses 1 by about 1e-12, a residue that double supplies leave on an artificial arc forever
        int n = 6;
        int m = 40_000;
        java.util.SplittableRandom r = new java.util.SplittableRandom(61);
        double[] mass = new double[m];
        for (int j = 0; j < m; j++) {
            mass[j] = j == 0 ? 11_000 : 1 + r.nextInt(2);
        }
        Weights b = Weights.of(mass);
        Weights a = Weights.of(randomWeights(n, 62, false));
        PointSet x = randomPoints(n, 3, 63);
        PointSet y = randomPoints(m, 3, 64);
        double[] c = new PairwiseCost(x, y, Metric.EUCLIDEAN).dense();
        ExactResult result = NetworkSimplex.solve(a, b, c, ExactOptions.defaults());
        assertEquals(Status.OPTIMAL, result.status());
        Certificate cert = Certificate.check(a, b, (i, j) -> c[i * m + j], result.u(), result.v(), result.plan());
        assertTrue(cert.maxViolation() <= 1e-12 && cert.marginalError() <= 1e-15, cert.toString());
    }
}
