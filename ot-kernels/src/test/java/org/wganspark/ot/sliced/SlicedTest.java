package org.wganspark.ot.sliced;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.wganspark.ot.Weights;
import org.wganspark.ot.cost.Metric;
import org.wganspark.ot.cost.PairwiseCost;
import org.wganspark.ot.cost.PointSet;
import org.wganspark.ot.exact.ExactOptions;
import org.wganspark.ot.exact.NetworkSimplex;
import org.wganspark.ot.exact.OneDimensional;

class SlicedTest {

    private static PointSet points(int n, int d, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        float[] v = new float[n * d];
        for (int k = 0; k < v.length; k++) {
            v[k] = (float) r.nextGaussian();
        }
        return new PointSet(v, n, d);
    }

    private static Weights randomWeights(int n, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        double[] w = new double[n];
        for (int i = 0; i < n; i++) {
            w[i] = 0.1 + r.nextDouble();
        }
        return Weights.of(w);
    }

    @Test
    void inOneDimensionEverySliceIsTheExactW1() {
        PointSet x = points(30, 1, 1);
        PointSet y = points(45, 1, 2);
        Weights a = randomWeights(30, 3);
        Weights b = randomWeights(45, 4);
        double[] xs = new double[30];
        double[] ys = new double[45];
        for (int i = 0; i < 30; i++) {
            xs[i] = x.values()[i];
        }
        for (int j = 0; j < 45; j++) {
            ys[j] = y.values()[j];
        }
        double w1 = OneDimensional.w1(a, xs, b, ys);
        SlicedResult r = Sliced.compute(a, x, b, y, 16, 5);
        assertEquals(w1, r.swd(), 1e-12);
        assertEquals(0, r.swdSpread(), 1e-12);
        assertEquals(w1, r.upperBound(), 1e-12);  // in 1-D the monotone plan is optimal
        assertEquals(w1, r.maxSliced(), 1e-12);
    }

    @Test
    void theOneDimensionalPlanHasTheWeightsAsMarginals() {
        Weights a = randomWeights(17, 6);
        Weights b = randomWeights(23, 7);
        double[] xs = new SplittableRandom(8).doubles(17).toArray();
        double[] ys = new SplittableRandom(9).doubles(23).toArray();
        Sliced.Plan1D plan = Sliced.plan(a, xs, b, ys);
        double[] rows = new double[17];
        double[] cols = new double[23];
        for (int t = 0; t < plan.size(); t++) {
            rows[plan.rows()[t]] += plan.mass()[t];
            cols[plan.cols()[t]] += plan.mass()[t];
        }
        for (int i = 0; i < 17; i++) {
            assertEquals(a.get(i), rows[i], 1e-12);
        }
        for (int j = 0; j < 23; j++) {
            assertEquals(b.get(j), cols[j], 1e-12);
        }
        assertTrue(plan.size() <= 17 + 23 - 1);
        assertEquals(OneDimensional.w1(a, xs, b, ys), plan.cost1D(), 1e-12);
    }

    @Test
    void boundsBracketTheExactW1() {
        PointSet x = points(60, 5, 10);
        PointSet y = points(50, 5, 11);
        Weights a = randomWeights(60, 12);
        Weights b = randomWeights(50, 13);
        double exact = NetworkSimplex.solve(a, b, new PairwiseCost(x, y, Metric.EUCLIDEAN).dense(), ExactOptions.defaults()).cost();
        SlicedResult r = Sliced.compute(a, x, b, y, 64, 14);
        assertTrue(r.swd() <= r.maxSliced() + 1e-12, r.toString());
        assertTrue(r.maxSliced() <= exact + 1e-12, "max-sliced " + r.maxSliced() + " above W1 " + exact);
        assertTrue(r.bestUpperBound() >= exact - 1e-12, "best bound " + r.bestUpperBound() + " below W1 " + exact);
        assertTrue(r.upperBound() >= r.bestUpperBound());
        assertTrue(r.swd() > 0.05 * exact, r.toString());
    }

    @Test
    void aTranslatedCloudIsBoundedExactlyByItsShift() {
        // translation keeps every projection's order, so each 1-D plan pairs a point with its translate: cost |t| = W1
        PointSet x = points(40, 3, 15);
        float[] moved = x.values().clone();
        for (int i = 0; i < 40; i++) {
            moved[i * 3] += 2f;
            moved[i * 3 + 1] -= 1f;
        }
        SlicedResult r = Sliced.compute(Weights.uniform(40), x, Weights.uniform(40), new PointSet(moved, 40, 3), 32, 16);
        assertEquals(Math.sqrt(5), r.upperBound(), 1e-6);
        assertEquals(Math.sqrt(5), r.bestUpperBound(), 1e-6);
        assertEquals(Math.sqrt(5), r.maxSliced(), 1e-3);  // the best direction is t / |t|
    }

    @Test
    void theSameSeedGivesTheSameNumbersAndAnotherSeedOthers() {
        PointSet x = points(30, 4, 17);
        PointSet y = points(30, 4, 18);
        SlicedResult r1 = Sliced.compute(Weights.uniform(30), x, Weights.uniform(30), y, 8, 42);
        SlicedResult r2 = Sliced.compute(Weights.uniform(30), x, Weights.uniform(30), y, 8, 42);
        SlicedResult r3 = Sliced.compute(Weights.uniform(30), x, Weights.uniform(30), y, 8, 43);
        assertEquals(r1, r2);
        assertTrue(r1.swd() != r3.swd());
    }
}
