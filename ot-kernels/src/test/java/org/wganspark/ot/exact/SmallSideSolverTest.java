package org.wganspark.ot.exact;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.wganspark.ot.Status;
import org.wganspark.ot.Weights;
import org.wganspark.ot.cost.Metric;
import org.wganspark.ot.cost.PairwiseCost;
import org.wganspark.ot.cost.PointSet;

/** The small-side solver must give the dense network simplex's answer, with a certificate over all pairs. */
class SmallSideSolverTest {

    private static ExactResult agreesWithDense(Weights a, Weights b, PairwiseCost pc) {
        assertTrue(SmallSideSolver.applies(a, b));
        List<String> lines = new ArrayList<>();
        ExactResult small = ShortlistSolver.solve(a, b, pc, ExactOptions.defaults(), lines::add, kernel -> kernel::priceInParallel);
        assertTrue(lines.stream().anyMatch(l -> l.startsWith("entropic start")), "the small-side path: " + lines);
        ExactResult dense = NetworkSimplex.solve(a, b, pc.dense(), ExactOptions.defaults());
        assertEquals(Status.OPTIMAL, small.status());
        assertEquals(dense.cost(), small.cost(), 1e-12 * dense.cost());
        Certificate cert = small.certificate();
        assertEquals((long) a.size() * b.size(), cert.pairsChecked());
        assertTrue(cert.maxViolation() <= 1e-10, "violation " + cert.maxViolation());
        assertTrue(cert.slacknessResidual() <= 1e-10, "slackness " + cert.slacknessResidual());
        assertTrue(cert.relativeGap() <= 1e-10, "gap " + cert.relativeGap());
        assertTrue(cert.marginalError() <= 1e-12, "marginals " + cert.marginalError());
        // the pricing pass's violation is the true all-pairs maximum
        Certificate full = Certificate.check(a, b, pc::cost, small.u(), small.v(), small.plan());
        assertEquals(full.maxViolation(), cert.maxViolation(), 1e-12);
        return small;
    }

    @Test
    void fewUniformRowsAgainstManyColumns() {
        PointSet x = NetworkSimplexTest.randomPoints(40, 20, 11);
        PointSet y = NetworkSimplexTest.randomPoints(12_000, 20, 12);
        ExactResult r = agreesWithDense(Weights.uniform(40), Weights.uniform(12_000), new PairwiseCost(x, y, Metric.EUCLIDEAN));
        // a basic plan: at most n + m - 1 arcs carry mass
        assertTrue(r.plan().size() <= 40 + 12_000 - 1, "plan arcs " + r.plan().size());
    }

    @Test
    void countsWithAHeavyColumnAndShiftedRows() {
        SplittableRandom random = new SplittableRandom(13);
        int n = 30;
        int m = 10_000;
        long[] rowCounts = new long[n];
        for (int i = 0; i < n; i++) {
            rowCounts[i] = 1 + random.nextInt(5);
        }
        long[] colCounts = new long[m];
        for (int j = 0; j < m; j++) {
            colCounts[j] = 1 + random.nextInt(3);
        }
        colCounts[7] = 6_000;  // a third of the mass in one column (the blank patch of a dataset), heavier than any row
        PointSet x = NetworkSimplexTest.randomPoints(n, 8, 14);
        float[] shifted = x.values().clone();
        for (int k = 0; k < shifted.length; k += 8) {
            shifted[k] += 2;  // the rows far from the columns: u must move far from 0
        }
        PointSet y = NetworkSimplexTest.randomPoints(m, 8, 15);
        agreesWithDense(Weights.counts(rowCounts), Weights.counts(colCounts), new PairwiseCost(new PointSet(shifted, n, 8), y, Metric.EUCLIDEAN));
    }

    @Test
    void takesOnlyFewRowsAgainstManyColumnsWithCounts() {
        assertTrue(SmallSideSolver.applies(Weights.uniform(64), Weights.uniform(60_000)));
        assertFalse(SmallSideSolver.applies(Weights.uniform(SmallSideSolver.MAX_ROWS + 1), Weights.uniform(60_000)));
        assertFalse(SmallSideSolver.applies(Weights.uniform(64), Weights.uniform(SmallSideSolver.MIN_COLUMNS - 1)));
        assertFalse(SmallSideSolver.applies(Weights.uniform(64), Weights.uniform(1_000_000)));  // 64 million costs kept: too many
        assertFalse(SmallSideSolver.applies(Weights.uniform(64), Weights.of(NetworkSimplexTest.randomWeights(60_000, 3, false))));
    }
}
