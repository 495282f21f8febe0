package org.wganspark.ot.means;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.wganspark.ot.cost.PointSet;

class OtMeansTest {

    @Test
    void oneCentroidGoesToTheMedianOfOneDimensionalData() {
        SplittableRandom r = new SplittableRandom(3);
        float[] x = new float[101];
        for (int i = 0; i < x.length; i++) {
            x[i] = (float) (r.nextDouble() * r.nextDouble() * 4);  // skewed: mean and median differ
        }
        float[] sorted = x.clone();
        Arrays.sort(sorted);
        double median = sorted[50];
        double best = 0;
        for (float v : x) {
            best += Math.abs(v - median) / x.length;
        }
        OtMeans.Result fit = OtMeans.fit(new PointSet(x, 101, 1), 1, 60, 1, null);
        assertEquals(best, fit.w1()[60], 1e-3 * best, "W1 of the geometric median (here the median)");
        assertEquals(median, fit.centroids().values()[0], 0.05);
    }

    @Test
    void theExactW1NeverRisesAndTightClustersGetOneCentroidEach() {
        SplittableRandom r = new SplittableRandom(5);
        int k = 4;
        float[] x = new float[200 * 2];
        for (int i = 0; i < 200; i++) {
            int cluster = i % k;
            x[2 * i] = (float) (2 * (cluster % 2) - 1 + 0.05 * r.nextGaussian());
            x[2 * i + 1] = (float) (2 * (cluster / 2) - 1 + 0.05 * r.nextGaussian());
        }
        OtMeans.Result fit = OtMeans.fit(new PointSet(x, 200, 2), k, 25, 7, null);
        double[] w1 = fit.w1();
        for (int s = 1; s < w1.length; s++) {
            assertTrue(w1[s] <= w1[s - 1] * (1 + 1e-6), "step " + s + ": " + w1[s - 1] + " -> " + w1[s]);
        }
        assertTrue(w1[0] > 1, "from 0.5 N(0, I) the corners are far: " + w1[0]);
        // four tight clusters of equal mass: the optimum is one centroid per cluster, W1 = the mean spread (~0.06)
        assertTrue(w1[25] < 0.1, Arrays.toString(w1));
    }
}
