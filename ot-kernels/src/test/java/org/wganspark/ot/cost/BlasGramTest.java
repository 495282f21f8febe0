package org.wganspark.ot.cost;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigDecimal;
import java.math.MathContext;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class BlasGramTest {

    /** ||x_i - y_j||^2 in exact decimal arithmetic (floats are exact decimals). */
    private static double exactSquared(PointSet x, int i, PointSet y, int j) {
        BigDecimal s = BigDecimal.ZERO;
        for (int k = 0; k < x.d(); k++) {
            BigDecimal t = new BigDecimal(x.values()[i * x.d() + k]).subtract(new BigDecimal(y.values()[j * y.d() + k]));
            s = s.add(t.multiply(t));
        }
        return s.round(MathContext.DECIMAL64).doubleValue();
    }

    /**
     * Points far from the origin (offset 40 in every coordinate, so ||x||^2 ~ 1e5), a third of Y within 1e-4 of a
     * point of X and a few exact copies: the expansion alone would lose about 10 digits on those pairs.
     */
    private static PointSet[] hardPair(int n, int m, int d, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        float[] x = new float[n * d];
        float[] y = new float[m * d];
        for (int k = 0; k < x.length; k++) {
            x[k] = 40f + (float) r.nextGaussian();
        }
        for (int j = 0; j < m; j++) {
            int kind = j % 3;
            int source = r.nextInt(n);
            for (int k = 0; k < d; k++) {
                float near = x[source * d + k];
                y[j * d + k] = kind == 0 ? 40f + (float) r.nextGaussian() : kind == 1 ? near + (float) (1e-4 * r.nextGaussian()) : near;
            }
        }
        return new PointSet[] {new PointSet(x, n, d), new PointSet(y, m, d)};
    }

    private static float[] gaussian(int count, SplittableRandom r) {
        float[] v = new float[count];
        for (int k = 0; k < count; k++) {
            v[k] = (float) r.nextGaussian();
        }
        return v;
    }

    @Test
    void openBlasLoadsInTheBuild() {
        assertTrue(BlasGram.available(), "OpenBLAS (org.bytedeco:openblas) did not load");
    }

    @Test
    void everyEntryMeetsTheStatedAccuracyAgainstExactArithmetic() {
        PointSet[] p = hardPair(37, 45, 96, 7);
        double[] squared = new double[37 * 45];
        long recomputed = BlasGram.costs(p[0], p[1], Metric.SQEUCLIDEAN, 1e-12, squared);
        double[] root = new double[37 * 45];
        BlasGram.costs(p[0], p[1], Metric.EUCLIDEAN, 1e-12, root);
        double worst = 0;
        for (int i = 0; i < 37; i++) {
            for (int j = 0; j < 45; j++) {
                double exact = exactSquared(p[0], i, p[1], j);
                double got = squared[i * 45 + j];
                if (exact == 0) {
                    assertEquals(0.0, got, "copy " + i + ", " + j);
                    assertEquals(0.0, root[i * 45 + j]);
                    continue;
                }
                worst = Math.max(worst, Math.abs(got - exact) / exact);
                assertEquals(Math.sqrt(exact), root[i * 45 + j], 1.1e-12 * Math.sqrt(exact), "pair " + i + ", " + j);
            }
        }
        assertTrue(worst <= 1e-12, "worst relative error " + worst);
        // the near pairs and copies (two thirds of Y against their source row at least) had to be recomputed
        assertTrue(recomputed >= 30, "recomputed " + recomputed);
        assertTrue(recomputed < 37 * 45 / 4, "recomputed " + recomputed + " of " + 37 * 45);
    }

    @Test
    void denseMatrixEqualsThePairwiseCostsAcrossBlocks() {
        // 3000 columns: a product block of 256 rows, so 1500 rows take 6 dgemm calls, the last one of 220 rows
        SplittableRandom r = new SplittableRandom(11);
        float[] xv = gaussian(1500 * 20, r);
        float[] yv = gaussian(3000 * 20, r);
        PairwiseCost cost = new PairwiseCost(new PointSet(xv, 1500, 20), new PointSet(yv, 3000, 20), Metric.EUCLIDEAN);
        double[] dense = cost.dense();
        for (int i = 0; i < 1500; i += 7) {
            for (int j = 0; j < 3000; j += 5) {
                double c = cost.cost(i, j);
                assertEquals(c, dense[i * 3000 + j], 2e-12 * c, "pair " + i + ", " + j);
            }
        }
        assertEquals(cost.cost(1499, 2999), dense[1499 * 3000 + 2999], 2e-12 * dense[1499 * 3000 + 2999]);
    }

    @Test
    void blocksInLanesGiveTheSameMatrixBitForBitAsBlocksInTurn() {
        // 1500 rows against 3000 columns: six blocks of at most 256 rows, the last one short
        SplittableRandom r = new SplittableRandom(13);
        PointSet x = new PointSet(gaussian(1500 * 30, r), 1500, 30);
        PointSet y = new PointSet(gaussian(3000 * 30, r), 3000, 30);
        double[] inTurn = new double[1500 * 3000];
        long recomputedInTurn = BlasGram.costs(x, y, Metric.EUCLIDEAN, 1e-12, inTurn, 1);
        for (int lanes : new int[] {2, 4}) {
            double[] inLanes = new double[1500 * 3000];
            assertEquals(recomputedInTurn, BlasGram.costs(x, y, Metric.EUCLIDEAN, 1e-12, inLanes, lanes));
            for (int k = 0; k < inTurn.length; k++) {
                if (Double.doubleToRawLongBits(inTurn[k]) != Double.doubleToRawLongBits(inLanes[k])) {
                    assertEquals(inTurn[k], inLanes[k], lanes + " lanes, entry " + k);
                }
            }
        }
        PairwiseCost cost = new PairwiseCost(x, y, Metric.EUCLIDEAN);
        for (int k = 0; k < inTurn.length; k += 997) {
            double c = cost.cost(k / 3000, k % 3000);
            assertEquals(c, inTurn[k], 2e-12 * c, "entry " + k);
        }
    }

    @Test
    void aReusedArrayAndTheKeptScratchGiveTheSameMatrixAsFreshOnes() {
        SplittableRandom r = new SplittableRandom(5);
        float[] xv = gaussian(300 * 40, r);
        float[] yv = gaussian(200 * 40, r);
        PairwiseCost big = new PairwiseCost(new PointSet(xv, 300, 40), new PointSet(yv, 200, 40), Metric.EUCLIDEAN);
        double[] expected = big.dense();
        // the smaller problem runs in the larger one's kept scratch, stale rows and all
        PairwiseCost small = new PairwiseCost(new PointSet(java.util.Arrays.copyOf(xv, 7 * 40), 7, 40),
                new PointSet(java.util.Arrays.copyOf(yv, 5 * 40), 5, 40), Metric.EUCLIDEAN);
        double[] smallDense = small.dense();
        for (int i = 0; i < 7; i++) {
            for (int j = 0; j < 5; j++) {
                // another mean to centre on, so equal to the stated accuracy, not bit for bit
                assertEquals(small.cost(i, j), smallDense[i * 5 + j], 2e-12 * small.cost(i, j), "small pair " + i + ", " + j);
            }
        }
        double[] reuse = new double[300 * 200 + 17];
        java.util.Arrays.fill(reuse, Double.NaN);
        double[] again = big.dense(reuse);
        assertSame(reuse, again, "a long enough array is written in place");
        for (int k = 0; k < expected.length; k++) {
            assertEquals(expected[k], again[k], "entry " + k);
        }
        assertTrue(Double.isNaN(reuse[300 * 200]), "entries past n * m are left alone");
        assertEquals(300 * 200, big.dense(new double[10]).length, "a short array is replaced");
    }
}
