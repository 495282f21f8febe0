package org.wganspark.ot.cost;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class NearestNeighboursTest {

    @Test
    void blocksInAnyOrderGiveTheBruteForceNeighboursAndCopiesShowARatioNearZero() {
        int n = 150;
        int d = 37;
        SplittableRandom r = new SplittableRandom(4);
        float[] reference = new float[n * d];
        for (int k = 0; k < reference.length; k++) {
            reference[k] = (float) r.nextGaussian();
        }
        int q = 12;
        float[] queries = new float[q * d];
        for (int i = 0; i < q; i++) {
            for (int k = 0; k < d; k++) {
                // the first half copies reference rows 10 i with a little noise, the rest are fresh points
                queries[i * d + k] = i < q / 2 ? reference[10 * i * d + k] + (float) (0.01 * r.nextGaussian()) : (float) r.nextGaussian();
            }
        }
        PointSet query = new PointSet(queries, q, d);
        NearestNeighbours whole = NearestNeighbours.search(query, reference, n, 0);
        for (int i = 0; i < q; i++) {
            double[] sq = new double[n];
            for (int j = 0; j < n; j++) {
                sq[j] = DistanceKernel.SCALAR.squared(queries, i * d, reference, j * d, d);
            }
            double[] sorted = sq.clone();
            Arrays.sort(sorted);
            assertEquals(sorted[0], whole.first()[i], 1e-12 * sorted[0]);
            assertEquals(sorted[1], whole.second()[i], 1e-12 * sorted[1]);
            assertEquals(sorted[0], sq[(int) whole.nearest()[i]], 1e-12 * sorted[0]);
            if (i < q / 2) {
                assertEquals(10L * i, whole.nearest()[i]);
                assertTrue(whole.ratio(i) < 0.05, "a copy: ratio " + whole.ratio(i));
            } else {
                assertTrue(whole.ratio(i) > 0.5, "a fresh point: ratio " + whole.ratio(i));
            }
        }
        // three blocks, merged in two orders
        int[] cut = {0, 47, 101, n};
        NearestNeighbours[] parts = new NearestNeighbours[3];
        for (int b = 0; b < 3; b++) {
            parts[b] = NearestNeighbours.search(query, Arrays.copyOfRange(reference, cut[b] * d, cut[b + 1] * d), cut[b + 1] - cut[b], cut[b]);
        }
        NearestNeighbours forward = NearestNeighbours.empty(q).merge(copy(parts[0])).merge(copy(parts[1])).merge(copy(parts[2]));
        NearestNeighbours backward = NearestNeighbours.empty(q).merge(copy(parts[2])).merge(copy(parts[0]).merge(copy(parts[1])));
        for (NearestNeighbours merged : new NearestNeighbours[] {forward, backward}) {
            assertArrayEquals(whole.nearest(), merged.nearest());
            assertArrayEquals(whole.first(), merged.first(), 1e-12);
            assertArrayEquals(whole.second(), merged.second(), 1e-12);
        }
    }

    @Test
    void tiesGoToTheLowerIndexAndAnExactDuplicateIsAmbiguous() {
        float[] reference = {0, 0, 1, 1, 0, 0};  // rows 0 and 2 are the same point
        PointSet query = new PointSet(new float[] {0, 0}, 1, 2);
        NearestNeighbours nn = NearestNeighbours.search(query, reference, 3, 5);
        assertEquals(5L, nn.nearest()[0]);
        assertEquals(0.0, nn.first()[0]);
        assertEquals(0.0, nn.second()[0]);
        assertEquals(1.0, nn.ratio(0), "two equal copies: no single image was copied");
    }

    private static NearestNeighbours copy(NearestNeighbours x) {
        return new NearestNeighbours(x.nearest().clone(), x.first().clone(), x.second().clone());
    }
}
