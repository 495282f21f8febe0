package org.wganspark.ot.cost;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigDecimal;
import java.math.MathContext;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class DistanceKernelTest {

    private static float[] random(int count, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        float[] v = new float[count];
        for (int k = 0; k < count; k++) {
            v[k] = (float) (r.nextDouble() * 2 - 1);
        }
        return v;
    }

    private static double exactSquared(float[] x, int xo, float[] y, int yo, int d) {
        BigDecimal s = BigDecimal.ZERO;
        for (int k = 0; k < d; k++) {
            BigDecimal t = new BigDecimal(x[xo + k]).subtract(new BigDecimal(y[yo + k]));
            s = s.add(t.multiply(t));
        }
        return s.round(MathContext.DECIMAL64).doubleValue();
    }

    @Test
    void theBuildRunsTheVectorKernel() {
        // surefire passes --add-modules jdk.incubator.vector, as bin/wgan-spark and the Spark configs do
        assertTrue(DistanceKernel.BEST.name().startsWith("vector-"), DistanceKernel.BEST.name());
    }

    @Test
    void float64RowsAreExactToTheLastBitsInBothKernels() {
        SplittableRandom r = new SplittableRandom(17);
        for (int d : new int[] {1, 3, 4, 5, 8, 49, 101}) {
            double[] x = new double[3 * d];
            double[] y = new double[4 * d];
            for (int k = 0; k < x.length; k++) {
                x[k] = 1e6 + r.nextGaussian();  // far from the origin: no float could hold these differences
            }
            for (int k = 0; k < y.length; k++) {
                y[k] = 1e6 + r.nextGaussian();
            }
            for (int i = 0; i < 3; i++) {
                for (int j = 0; j < 4; j++) {
                    BigDecimal s = BigDecimal.ZERO;
                    for (int k = 0; k < d; k++) {
                        BigDecimal t = new BigDecimal(x[i * d + k]).subtract(new BigDecimal(y[j * d + k]));
                        s = s.add(t.multiply(t));
                    }
                    double exact = s.round(MathContext.DECIMAL64).doubleValue();
                    for (DistanceKernel kernel : new DistanceKernel[] {DistanceKernel.SCALAR, DistanceKernel.BEST}) {
                        assertEquals(exact, kernel.squared(x, i * d, y, j * d, d), 4 * d * 0x1p-53 * exact, kernel.name() + " d = " + d);
                    }
                }
            }
            double[] block = new double[12];
            DistanceKernel.BEST.squaredBlock(x, 0, 3, y, 0, 4, d, block, 0, 4);
            double[] columns = new double[4];
            DistanceKernel.BEST.squaredToColumns(x, 2, y, new int[] {3, 2, 1, 0}, 4, d, columns);
            for (int j = 0; j < 4; j++) {
                assertEquals(DistanceKernel.BEST.squared(x, 2 * d, y, j * d, d), block[8 + j], 0.0);
                assertEquals(block[8 + j], columns[3 - j], 0.0);
            }
        }
    }

    @Test
    void vectorAndScalarAgreeOnEveryShapeAndTail() {
        for (int d : new int[] {1, 2, 3, 7, 8, 9, 15, 16, 17, 49, 784}) {
            int n = 9;
            int m = 6;
            float[] x = random(n * d, d);
            float[] y = random(m * d, 100 + d);
            double[] best = new double[n * m + 3];
            double[] plain = new double[n * m + 3];
            DistanceKernel.BEST.squaredBlock(x, 1, n, y, 1, m, d, best, 3, m);
            DistanceKernel.SCALAR.squaredBlock(x, 1, n, y, 1, m, d, plain, 3, m);
            for (int i = 1; i < n; i++) {
                for (int j = 1; j < m; j++) {
                    double expected = exactSquared(x, i * d, y, j * d, d);
                    int at = 3 + (i - 1) * m + (j - 1);
                    assertEquals(expected, best[at], 1e-14 * expected, "d " + d);
                    assertEquals(expected, plain[at], 1e-14 * expected, "d " + d);
                    assertEquals(expected, DistanceKernel.BEST.squared(x, i * d, y, j * d, d), 1e-14 * expected);
                }
            }
            int[] cols = {5, 0, 3, 3, 2, 1, 4};
            double[] out = new double[cols.length];
            DistanceKernel.BEST.squaredToColumns(x, 2, y, cols, cols.length, d, out);
            for (int s = 0; s < cols.length; s++) {
                double expected = exactSquared(x, 2 * d, y, cols[s] * d, d);
                assertEquals(expected, out[s], 1e-14 * expected);
            }
        }
    }

    @Test
    void aTileScreenKeepsExactlyTheColumnsUnderTheirLimit() {
        SplittableRandom r = new SplittableRandom(5);
        int j0 = 3;
        int j1 = 3 + 37;  // a vector body and a tail
        double[] v = new double[j1];
        double[] bound = new double[2 + (j1 - j0)];
        for (int j = 0; j < j1; j++) {
            v[j] = r.nextDouble() * 4 - 2;
        }
        for (int t = 0; t < bound.length; t++) {
            bound[t] = r.nextDouble() * 4;
        }
        double u = 0.5;
        for (boolean square : new boolean[] {true, false}) {
            java.util.List<Integer> expected = new java.util.ArrayList<>();
            for (int j = j0; j < j1; j++) {
                double t = u + v[j];
                if (t > 0 && bound[2 + j - j0] <= 1.001 * (square ? t * t : t) + 0.01) {
                    expected.add(j);
                }
            }
            assertTrue(expected.size() > 3 && expected.size() < j1 - j0 - 3, "a screen that keeps some and drops some: " + expected);
            for (DistanceKernel kernel : new DistanceKernel[] {DistanceKernel.BEST, DistanceKernel.SCALAR}) {
                int[] survivors = new int[j1 - j0];
                int count = kernel.screenTile(bound, 2, u, v, j0, j1, square, 1.001, 0.01, survivors);
                assertEquals(expected, java.util.Arrays.stream(survivors, 0, count).boxed().toList(), kernel.name());
            }
        }
    }

    @Test
    void transposedFloatCostsMatchTheDoubleOnesToFloatPrecision() {
        for (int d : new int[] {1, 5, 49}) {
            int n = 11;
            int m = 77;  // not a multiple of the 32-column step: exercises the tails
            PointSet x = new PointSet(random(n * d, 30 + d), n, d);
            PointSet y = new PointSet(random(m * d, 60 + d), m, d);
            PairwiseCost cost = new PairwiseCost(x, y, Metric.EUCLIDEAN);
            double[] fast = new double[(n - 2) * m];
            cost.fillFloat(2, n, fast);
            double[] slow = new double[n * m];
            DistanceKernel.SCALAR.costsTransposedFloat(x.values(), 0, n, transpose(y), m, d, true, slow);
            for (int i = 2; i < n; i++) {
                for (int j = 0; j < m; j++) {
                    double expected = cost.cost(i, j);
                    assertEquals(expected, fast[(i - 2) * m + j], 2e-6 * expected + 1e-7, "d " + d);
                    assertEquals(expected, slow[i * m + j], 2e-6 * expected + 1e-7, "d " + d);
                }
            }
        }
    }

    @Test
    void aBlockOfColumnsHasTheBitsOfTheFullRows() {
        int d = 49;
        int n = 13;
        int m = 1500;  // several of the kernel's column chunks, and tails
        PairwiseCost cost = new PairwiseCost(new PointSet(random(n * d, 71), n, d), new PointSet(random(m * d, 72), m, d), Metric.EUCLIDEAN);
        for (boolean inFloat : new boolean[] {true, false}) {
            double[] rows = new double[n * m];
            if (inFloat) {
                cost.fillFloat(0, n, rows);
            } else {
                cost.fill(0, n, rows);
            }
            double[] block = new double[10 * 1003];
            cost.fillBlock(2, 12, 333, 1336, inFloat, block);
            for (int i = 2; i < 12; i++) {
                for (int j = 333; j < 1336; j++) {
                    assertEquals(rows[i * m + j], block[(i - 2) * 1003 + j - 333], 0.0, "float " + inFloat + ", pair " + i + ", " + j);
                }
            }
        }
    }

    private static float[] transpose(PointSet p) {
        float[] t = new float[p.n() * p.d()];
        for (int j = 0; j < p.n(); j++) {
            for (int k = 0; k < p.d(); k++) {
                t[k * p.n() + j] = p.values()[j * p.d() + k];
            }
        }
        return t;
    }

    @Test
    void nearlyEqualPointsKeepTheirDigits() {
        // the |x|^2 + |y|^2 - 2xy expansion would lose about 8 digits here; direct differences lose none
        int d = 784;
        float[] x = random(d, 7);
        float[] y = x.clone();
        for (int k = 0; k < d; k += 97) {
            y[k] = Math.nextUp(y[k]);
        }
        double expected = exactSquared(x, 0, y, 0, d);
        assertTrue(expected > 0);
        assertEquals(expected, DistanceKernel.BEST.squared(x, 0, y, 0, d), 1e-15 * expected);
        assertEquals(expected, DistanceKernel.SCALAR.squared(x, 0, y, 0, d), 1e-15 * expected);
    }

    @Test
    void vectorExpIsAccurateOverTheWholeRange() {
        jdk.incubator.vector.VectorSpecies<Double> species = jdk.incubator.vector.DoubleVector.SPECIES_PREFERRED;
        double[] x = new double[species.length()];
        double[] out = new double[species.length()];
        double worst = 0;
        for (double start = -707; start < 700; start += 0.37 * species.length()) {
            for (int k = 0; k < x.length; k++) {
                x[k] = start + 0.37 * k + 1e-3 * k * k;
            }
            VectorMath.exp(jdk.incubator.vector.DoubleVector.fromArray(species, x, 0)).intoArray(out, 0);
            for (int k = 0; k < x.length; k++) {
                worst = Math.max(worst, Math.abs(out[k] - StrictMath.exp(x[k])) / StrictMath.exp(x[k]));
            }
        }
        assertTrue(worst < 1e-14, "relative error " + worst);
        jdk.incubator.vector.DoubleVector zero = jdk.incubator.vector.DoubleVector.zero(species);
        assertEquals(1.0, VectorMath.exp(zero).lane(0), 0);
        assertTrue(VectorMath.exp(zero.sub(1000)).lane(0) < 1e-300);
    }

    @Test
    void dotAndAxpyMatchTheirDefinitions() {
        double[] a = new double[37];
        double[] b = new double[37];
        for (int k = 0; k < 37; k++) {
            a[k] = k * 0.5 - 3;
            b[k] = 1.0 / (k + 1);
        }
        double expected = 0;
        for (int k = 2; k < 37; k++) {
            expected += a[k] * b[k - 1];
        }
        assertEquals(expected, DistanceKernel.BEST.dot(a, 2, b, 1, 35), 1e-13);
        double[] y = b.clone();
        DistanceKernel.BEST.axpy(2.0, a, 0, y, 0, 37);
        for (int k = 0; k < 37; k++) {
            assertEquals(b[k] + 2 * a[k], y[k], 1e-15);
        }
    }
}
