package org.wganspark.ot.loss;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.SplittableRandom;
import java.util.function.ToDoubleFunction;
import org.junit.jupiter.api.Test;
import org.wganspark.ot.Weights;
import org.wganspark.ot.cost.Metric;
import org.wganspark.ot.cost.PairwiseCost;
import org.wganspark.ot.cost.PointSet;
import org.wganspark.ot.exact.ExactOptions;
import org.wganspark.ot.exact.NetworkSimplex;
import org.wganspark.ot.patch.PatchExtractor;
import org.wganspark.ot.patch.PatchGeometry;
import org.wganspark.ot.sliced.Sliced;

class LossGradientTest {

    private static float[] gaussian(int count, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        float[] v = new float[count];
        for (int k = 0; k < v.length; k++) {
            v[k] = (float) r.nextGaussian();
        }
        return v;
    }

    /**
     * Central differences of {@code loss} in every coordinate of x (the float step actually taken). The sliced losses
     * are piecewise linear with kinks where two projections cross, so they take a smaller step.
     */
    private static double[] differences(float[] x, float h, ToDoubleFunction<float[]> loss) {
        double[] g = new double[x.length];
        for (int k = 0; k < x.length; k++) {
            float keep = x[k];
            x[k] = keep + h;
            float up = x[k];
            double plus = loss.applyAsDouble(x);
            x[k] = keep - h;
            float down = x[k];
            double minus = loss.applyAsDouble(x);
            x[k] = keep;
            g[k] = (plus - minus) / ((double) up - down);
        }
        return g;
    }

    @Test
    void exactW1GradientMatchesDifferencesOfTheExactW1() {
        int d = 5;
        float[] x = gaussian(9 * d, 1);
        PointSet y = new PointSet(gaussian(13 * d, 2), 13, d);
        LossGradient loss = ExactW1Loss.of(new PointSet(x, 9, d), y);
        double reference = NetworkSimplex.dense(Weights.uniform(9), Weights.uniform(13), new PairwiseCost(new PointSet(x, 9, d), y, Metric.EUCLIDEAN).dense())
                .solve(ExactOptions.defaults()).cost();
        assertEquals(reference, loss.value(), 1e-12);
        double[] fd = differences(x, 1e-3f, v -> ExactW1Loss.of(new PointSet(v, 9, d), y).value());
        assertArrayEquals(fd, loss.gradient(), 1e-5);
        assertTrue(Arrays.stream(loss.gradient()).map(Math::abs).max().orElse(0) > 1e-3, "a gradient that is not zero");
    }

    @Test
    void slicedLossIsTheSlicedW1AndItsGradientMatchesDifferences() {
        int d = 4;
        float[] x = gaussian(11 * d, 3);
        PointSet y = new PointSet(gaussian(7 * d, 4), 7, d);  // unequal sizes: the quantile coupling
        LossGradient loss = SlicedLoss.of(new PointSet(x, 11, d), y, 16, 99);
        double swd = Sliced.compute(Weights.uniform(11), new PointSet(x, 11, d), Weights.uniform(7), y, 16, 99).swd();
        assertEquals(swd, loss.value(), 1e-12);
        double[] fd = differences(x, 1e-5f, v -> SlicedLoss.of(new PointSet(v, 11, d), y, 16, 99).value());
        assertArrayEquals(fd, loss.gradient(), 1e-6);
    }

    @Test
    void equalSizesPairRankWithRank() {
        double[] xs = {3, -1, 2, 0.5};
        double[] ys = {0, 10, 1, -2};
        double[] slope = new double[4];
        // sorted x: -1, 0.5, 2, 3; sorted y: -2, 0, 1, 10: |1| + |0.5| + |1| + |7|, each of mass 1/4
        assertEquals(9.5 / 4, SlicedLoss.oneDimensional(xs, ys, slope), 1e-15);
        assertArrayEquals(new double[] {-0.25, 0.25, 0.25, 0.25}, slope, 1e-15);
    }

    @Test
    void pooledAdjointIsTheTransposeOfExtraction() {
        PatchGeometry g = new PatchGeometry(2, 7, 6, 3, 2);
        int images = 3;
        float[] x = gaussian(images * g.imageSize(), 6);
        float[] patches = new float[images * g.locations() * g.dimension()];
        PatchExtractor.pooled(x, images, g, patches);
        float[] p = gaussian(patches.length, 7);
        double[] pd = new double[p.length];
        double left = 0;
        for (int k = 0; k < p.length; k++) {
            pd[k] = p[k];
            left += (double) patches[k] * p[k];
        }
        double[] back = new double[x.length];
        PatchExtractor.addPooledAdjoint(pd, images, g, back);
        double right = 0;
        for (int k = 0; k < x.length; k++) {
            right += x[k] * back[k];
        }
        assertEquals(left, right, 1e-9 * Math.abs(left));
    }

    @Test
    void patchSlicedGradientMatchesDifferences() {
        PatchGeometry g = new PatchGeometry(1, 6, 6, 3, 1);
        float[] x = gaussian(2 * g.imageSize(), 8);
        float[] y = gaussian(3 * g.imageSize(), 9);
        LossGradient loss = PatchSlicedLoss.of(x, 2, y, 3, g, 8, 17);
        double[] fd = differences(x, 1e-5f, v -> PatchSlicedLoss.of(v, 2, y, 3, g, 8, 17).value());
        assertArrayEquals(fd, loss.gradient(), 1e-6);
        assertTrue(loss.value() > 0);
    }
}
