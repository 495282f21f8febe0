package org.wganspark.ot.cost;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.wganspark.ot.Weights;
import org.wganspark.ot.exact.ExactOptions;
import org.wganspark.ot.exact.ExactResult;
import org.wganspark.ot.exact.NetworkSimplex;
import org.wganspark.ot.exact.SparsePlan;

class DeduplicatedTest {

    private static PointSet withCopies(int n, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        float[] v = new float[n * 4];
        for (int i = 0; i < n; i++) {
            int kind = r.nextInt(3);  // a third of the rows are the origin, the rest random
            for (int k = 0; k < 4; k++) {
                v[i * 4 + k] = kind == 0 ? 0f : (float) r.nextGaussian();
            }
        }
        return new PointSet(v, n, 4);
    }

    @Test
    void identicalRowsMergeTheirMassAndMapBack() {
        float[] v = {1, 2, 3, 4, 1, 2, 5, 6, 3, 4};
        Deduplicated d = Deduplicated.of(new PointSet(v, 5, 2), Weights.uniform(5));
        assertEquals(3, d.points().n());
        assertArrayEquals(new int[] {0, 1, 3}, d.firstOf());
        assertArrayEquals(new int[] {0, 1, 0, 2, 1}, d.distinctOf());
        assertEquals(0.4, d.weights().get(0), 1e-15);
        assertEquals(0.4, d.weights().get(1), 1e-15);
        assertEquals(0.2, d.weights().get(2), 1e-15);
    }

    @Test
    void distinctRowsComeBackUnchanged() {
        PointSet p = new PointSet(new float[] {1, 2, 3, 4}, 2, 2);
        assertSame(p, Deduplicated.of(p, Weights.uniform(2)).points());
    }

    @Test
    void mergingDoesNotChangeTheTransportCost() {
        PointSet x = withCopies(120, 1);
        PointSet y = withCopies(90, 2);
        double full = NetworkSimplex.solve(Weights.uniform(120), Weights.uniform(90), new PairwiseCost(x, y, Metric.EUCLIDEAN).dense(),
                ExactOptions.defaults()).cost();
        Deduplicated dx = Deduplicated.of(x, Weights.uniform(120));
        Deduplicated dy = Deduplicated.of(y, Weights.uniform(90));
        double merged = NetworkSimplex.solve(dx.weights(), dy.weights(), new PairwiseCost(dx.points(), dy.points(), Metric.EUCLIDEAN).dense(),
                ExactOptions.defaults()).cost();
        assertEquals(full, merged, 1e-12 * full);
        assertEquals(true, dx.points().n() < 100);
    }

    @Test
    void aMergedPlanSplitBackOverTheCopiesHasTheOriginalMarginalsAndCost() {
        PointSet x = withCopies(120, 3);
        PointSet y = withCopies(90, 4);
        double[] wy = new double[90];
        for (int j = 0; j < 90; j++) {
            wy[j] = 1 + j % 7;  // general weights on the columns, counts on the rows
        }
        Weights a = Weights.uniform(120);
        Weights b = Weights.of(wy);
        Deduplicated dx = Deduplicated.of(x, a);
        Deduplicated dy = Deduplicated.of(y, b);
        assertTrue(dx.merged() && dy.merged());
        ExactResult r = NetworkSimplex.solve(dx.weights(), dy.weights(), new PairwiseCost(dx.points(), dy.points(), Metric.EUCLIDEAN).dense(),
                ExactOptions.defaults());
        SparsePlan plan = r.plan().unmerge(dx, dy);
        double[] rowSum = new double[120];
        double[] colSum = new double[90];
        for (int k = 0; k < plan.size(); k++) {
            rowSum[plan.row()[k]] += plan.mass()[k];
            colSum[plan.col()[k]] += plan.mass()[k];
        }
        for (int i = 0; i < 120; i++) {
            assertEquals(a.get(i), rowSum[i], 1e-15, "row " + i);
        }
        for (int j = 0; j < 90; j++) {
            assertEquals(b.get(j), colSum[j], 1e-15, "column " + j);
        }
        PairwiseCost full = new PairwiseCost(x, y, Metric.EUCLIDEAN);
        assertEquals(r.cost(), plan.cost(full::cost), 1e-14);
        double optimum = NetworkSimplex.solve(a, b, full.dense(), ExactOptions.defaults()).cost();
        assertEquals(optimum, plan.cost(full::cost), 1e-12 * optimum, "the split plan is optimal for the original points");
        assertTrue(plan.size() <= r.plan().size() + 120 + 90, plan.size() + " entries");
    }
}
