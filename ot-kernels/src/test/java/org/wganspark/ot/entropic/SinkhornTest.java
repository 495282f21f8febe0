package org.wganspark.ot.entropic;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.wganspark.ot.Status;
import org.wganspark.ot.Weights;
import org.wganspark.ot.cost.Metric;
import org.wganspark.ot.cost.PairwiseCost;
import org.wganspark.ot.cost.PointSet;
import org.wganspark.ot.exact.ExactOptions;
import org.wganspark.ot.exact.NetworkSimplex;

class SinkhornTest {

    private static PointSet points(int n, int d, long seed, double shift) {
        SplittableRandom r = new SplittableRandom(seed);
        float[] v = new float[n * d];
        for (int k = 0; k < v.length; k++) {
            v[k] = (float) (r.nextGaussian() + (k % d == 0 ? shift : 0));
        }
        return new PointSet(v, n, d);
    }

    @Test
    void convergesToTheToleranceWithExactMarginals() {
        PairwiseCost cost = new PairwiseCost(points(120, 5, 1, 0), points(90, 5, 2, 0), Metric.EUCLIDEAN);
        SinkhornResult r = Sinkhorn.solve(Weights.uniform(120), Weights.uniform(90), cost, SinkhornOptions.of(0.05).withTolerance(1e-10));
        assertEquals(Status.CONVERGED, r.status());
        assertTrue(r.marginalError() < 1e-9, "measured marginal error " + r.marginalError());
        assertEquals(0.05, r.epsilon(), 0);
    }

    @Test
    void transportCostApproachesTheExactCostAsEpsilonShrinks() {
        PairwiseCost cost = new PairwiseCost(points(60, 3, 3, 0), points(60, 3, 4, 0), Metric.EUCLIDEAN);
        Weights u = Weights.uniform(60);
        double exact = NetworkSimplex.solve(u, u, cost.dense(), ExactOptions.defaults()).cost();
        double previousGap = Double.POSITIVE_INFINITY;
        for (double eps : new double[] {0.5, 0.1, 0.02, 0.004}) {
            SinkhornResult r = Sinkhorn.solve(u, u, cost, SinkhornOptions.of(eps).withTolerance(1e-9));
            double gap = r.transportCost() - exact;
            assertTrue(gap >= -1e-6, "<P, C> cannot beat the exact optimum: gap " + gap);
            assertTrue(gap < previousGap, "gap " + gap + " at eps " + eps + " after " + previousGap);
            previousGap = gap;
        }
        assertTrue(previousGap < 0.01 * exact, "gap at eps 0.004: " + previousGap);
    }

    @Test
    void stabilizedKernelOnTheKeptMatrixAndLogDomainOnTiledCostsAgree() {
        PairwiseCost cost = new PairwiseCost(points(70, 4, 5, 0), points(50, 4, 6, 0), Metric.EUCLIDEAN);
        SinkhornOptions options = SinkhornOptions.of(0.1).withTolerance(1e-11);
        SinkhornResult kept = Sinkhorn.solve(Weights.uniform(70), Weights.uniform(50), cost, options);
        SinkhornResult tiled = Sinkhorn.solve(Weights.uniform(70), Weights.uniform(50), cost, options.withDenseEntries(0));
        // different iterations (over-relaxed kernel products vs log-sum-exp), the same fixed point
        assertEquals(kept.transportCost(), tiled.transportCost(), 1e-9 * kept.transportCost());
        assertEquals(kept.objective(), tiled.objective(), 1e-9 * Math.abs(kept.objective()));
        assertTrue(kept.marginalError() < 1e-10 && tiled.marginalError() < 1e-10, kept.marginalError() + " " + tiled.marginalError());
    }

    @Test
    void chunkedSweepsOverManyColumnChunksAgreeWithTheKeptMatrix() {
        // m spans three column chunks (the last one partial) and n several row blocks, with zero weights on both sides
        int n = 75;
        int m = 2 * FusedSweep.CHUNK_COLUMNS + 301;
        PairwiseCost cost = new PairwiseCost(points(n, 3, 21, 0), points(m, 3, 22, 0.3), Metric.EUCLIDEAN);
        double[] wa = new double[n];
        double[] wb = new double[m];
        java.util.Arrays.fill(wa, 1);
        java.util.Arrays.fill(wb, 1);
        wa[3] = 0;
        java.util.Arrays.fill(wb, FusedSweep.CHUNK_COLUMNS, FusedSweep.CHUNK_COLUMNS + 40, 0);
        Weights a = Weights.of(wa);
        Weights b = Weights.of(wb);
        SinkhornOptions options = SinkhornOptions.of(0.05).withTolerance(1e-10);
        SinkhornResult kept = Sinkhorn.solve(a, b, cost, options);
        SinkhornResult chunked = Sinkhorn.solve(a, b, cost, options.withDenseEntries(0));
        assertEquals(Status.CONVERGED, chunked.status());
        assertEquals(kept.transportCost(), chunked.transportCost(), 1e-8 * kept.transportCost());
        assertEquals(kept.objective(), chunked.objective(), 1e-8 * Math.abs(kept.objective()));
        // float costs and exponentials: the same problem to float's accuracy; the float error caps the reachable tolerance
        SinkhornResult inFloat = Sinkhorn.solve(a, b, cost, options.withDenseEntries(0).withFloatCosts(true).withTolerance(1e-6));
        assertEquals(Status.CONVERGED, inFloat.status());
        assertEquals(kept.transportCost(), inFloat.transportCost(), 1e-5 * kept.transportCost());
    }

    @Test
    void aSweepFromPotentialsFarOffFallsBackToTheMaximaAndGivesTheSameUpdate() {
        int n = 40;
        int m = FusedSweep.CHUNK_COLUMNS + 77;
        PairwiseCost cost = new PairwiseCost(points(n, 3, 31, 0), points(m, 3, 32, 0), Metric.EUCLIDEAN);
        double eps = 0.05;
        double[] logA = new double[n];
        java.util.Arrays.fill(logA, -Math.log(n));
        double[] h = new double[m];
        for (int j = 0; j < m; j++) {
            h[j] = -Math.log(m) + 0.1 * Math.sin(j) / eps;
        }
        for (boolean inFloat : new boolean[] {false, true}) {
            CostRows rows = CostRows.of(cost, 0, inFloat);
            double[] far = new double[n];
            java.util.Arrays.fill(far, 1000 * eps);  // shifted exponentials of size e^1000: the block is redone with the maxima
            double[] fromFar = new double[n];
            Sweep b = FusedSweep.sweep(rows, 0, n, logA, far, h, eps, 1, fromFar);
            double[] near = fromFar.clone();  // f = T(g): the shifted row sums are 1, no maxima needed
            double[] fromNear = new double[n];
            Sweep a = FusedSweep.sweep(rows, 0, n, logA, near, h, eps, 1, fromNear);
            assertTrue(a.rowError() < 1e-9, "at f = T(g) the rows are exact: " + a.rowError());
            for (int i = 0; i < n; i++) {
                assertEquals(fromNear[i], fromFar[i], 1e-12 * Math.max(1, Math.abs(fromNear[i])), "T(g) of row " + i);
            }
            for (int j = 0; j < m; j++) {
                assertEquals(a.columnMass()[j], b.columnMass()[j], 1e-6 * a.columnMass()[j] + 1e-18, "column " + j);
            }
            assertTrue(b.rowError() > 1, "the far potentials' row error is large: " + b.rowError());
        }
    }

    @Test
    void symmetricAndAlternatingUpdatesAgree() {
        PairwiseCost cost = new PairwiseCost(points(40, 3, 7, 0), points(40, 3, 8, 0), Metric.SQEUCLIDEAN);
        Weights u = Weights.uniform(40);
        SinkhornResult alternating = Sinkhorn.solve(u, u, cost, SinkhornOptions.of(0.2).withTolerance(1e-11));
        SinkhornResult symmetric = Sinkhorn.solve(u, u, cost, SinkhornOptions.of(0.2).withTolerance(1e-11).withSymmetric(true));
        assertEquals(alternating.objective(), symmetric.objective(), 1e-8);
    }

    @Test
    void divergenceVanishesOnEqualMeasuresAndIsSymmetric() {
        PointSet x = points(50, 3, 9, 0);
        PointSet y = points(40, 3, 10, 0.5);
        Weights a = Weights.uniform(50);
        Weights b = Weights.uniform(40);
        SinkhornOptions options = SinkhornOptions.of(0.1).withTolerance(1e-11);
        SinkhornDivergence same = Sinkhorn.divergence(a, a, new PairwiseCost(x, x, Metric.EUCLIDEAN), new PairwiseCost(x, x, Metric.EUCLIDEAN),
                new PairwiseCost(x, x, Metric.EUCLIDEAN), options);
        assertEquals(0, same.value(), 1e-7);
        SinkhornDivergence xy = Sinkhorn.divergence(a, b, new PairwiseCost(x, y, Metric.EUCLIDEAN), new PairwiseCost(x, x, Metric.EUCLIDEAN),
                new PairwiseCost(y, y, Metric.EUCLIDEAN), options);
        SinkhornDivergence yx = Sinkhorn.divergence(b, a, new PairwiseCost(y, x, Metric.EUCLIDEAN), new PairwiseCost(y, y, Metric.EUCLIDEAN),
                new PairwiseCost(x, x, Metric.EUCLIDEAN), options);
        assertTrue(xy.value() > 0.01, "divergence " + xy.value());
        assertEquals(xy.value(), yx.value(), 1e-8);
    }

    @Test
    void aTranslatedCloudCostsItsShiftAtSmallEpsilon() {
        // W1 between a cloud and its translate by t is |t| (the mean moves by t, and moving every point by t costs |t|)
        PointSet x = points(80, 2, 11, 0);
        float[] moved = x.values().clone();
        for (int i = 0; i < 80; i++) {
            moved[i * 2] += 3f;
        }
        PairwiseCost cost = new PairwiseCost(x, new PointSet(moved, 80, 2), Metric.EUCLIDEAN);
        SinkhornResult r = Sinkhorn.solve(Weights.uniform(80), Weights.uniform(80), cost, SinkhornOptions.of(0.002).withTolerance(1e-9));
        assertEquals(3.0, r.transportCost(), 0.01);
    }

    @Test
    void oneDimensionalUniformPairingMatchesTheSortedCost() {
        // 1-D, n = m, uniform: the exact plan pairs sorted points; entropic cost tends to it
        float[] xs = {0f, 1f, 2.5f, 4f, 7f};
        float[] ys = {0.5f, 3f, 3.5f, 6f, 9f};
        double sorted = 0;
        for (int k = 0; k < 5; k++) {
            sorted += Math.abs(xs[k] - ys[k]) / 5.0;
        }
        PairwiseCost cost = new PairwiseCost(new PointSet(xs, 5, 1), new PointSet(ys, 5, 1), Metric.EUCLIDEAN);
        SinkhornResult r = Sinkhorn.solve(Weights.uniform(5), Weights.uniform(5), cost, SinkhornOptions.of(0.005).withTolerance(1e-10));
        assertEquals(sorted, r.transportCost(), 1e-3);
    }
}
