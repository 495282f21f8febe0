package org.wganspark.ot.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.wganspark.ot.Weights;
import org.wganspark.ot.cost.PointSet;
import org.wganspark.ot.exact.OneDimensional;
import org.wganspark.ot.sliced.Sliced;
import org.wganspark.spark.TestSpark;

class DistributedSlicedTest {

    private static PointSet points(int n, int d, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        float[] v = new float[n * d];
        for (int k = 0; k < v.length; k++) {
            v[k] = (float) r.nextGaussian();
        }
        return new PointSet(v, n, d);
    }

    private static Weights weights(int n, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        double[] w = new double[n];
        for (int i = 0; i < n; i++) {
            w[i] = 0.2 + r.nextDouble();
        }
        return Weights.of(w);
    }

    @Test
    void theDistributedSortGivesEachDirectionsExactW1() {
        PointSet x = points(300, 6, 1);
        PointSet y = points(170, 6, 2);
        Weights a = weights(300, 3);
        Weights b = weights(170, 4);
        int count = 3;
        // 7 sort partitions for 3 directions: each direction spans several partitions, so boundaries matter
        double[] distributed = DistributedSliced.perDirection(TestSpark.context(), x, a, y, b, count, 11, 7);
        double[] dirs = Sliced.directions(count, 6, 11);
        for (int k = 0; k < count; k++) {
            double expected = OneDimensional.w1(a, Sliced.project(x, dirs, k), b, Sliced.project(y, dirs, k));
            assertEquals(expected, distributed[k], 1e-12 * expected, "direction " + k);
        }
    }
}
