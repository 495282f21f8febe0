package org.wganspark.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.wganspark.data.TestFiles;
import org.wganspark.ot.Weights;
import org.wganspark.ot.cost.Metric;
import org.wganspark.ot.cost.PairwiseCost;
import org.wganspark.ot.cost.PointSet;
import org.wganspark.ot.exact.ExactOptions;
import org.wganspark.ot.exact.NetworkSimplex;
import org.wganspark.spark.TestSpark;

class OtExactCommandTest {

    @TempDir
    Path dir;

    private static final String FASHION = TestFiles.fashionMnistTest().toString();

    @BeforeAll
    static void sharedSession() {
        TestSpark.session();
    }

    private Path npy(String name, String descr, String shape, byte[] data) throws Exception {
        return TestFiles.write(dir.resolve(name), TestFiles.npy(descr, shape, false, data));
    }

    @Test
    void imagesAgainstDenseSolverWithCertificateAndPlan() throws Exception {
        Path plan = dir.resolve("plan");
        CliTest.Run r = CliTest.run("ot", "exact", "--x", FASHION, "--y", FASHION, "--limit-x", "120", "--limit-y", "90",
                "--plan-out", plan.toString());
        assertEquals(0, r.code(), r.err());
        // independent answer: the dense network simplex on the same images
        float[] all = new float[120 * 784];
        var source = org.wganspark.data.IdxSource.open(FASHION, new org.apache.hadoop.conf.Configuration());
        source.read(0, 120, 120, new org.apache.hadoop.conf.Configuration()).forEachRemaining(b -> System.arraycopy(b.values, 0, all, 0, b.values.length));
        PointSet x = new PointSet(all, 120, 784);
        PointSet y = new PointSet(java.util.Arrays.copyOf(all, 90 * 784), 90, 784);
        double dense = NetworkSimplex.solve(Weights.uniform(120), Weights.uniform(90), new PairwiseCost(x, y, Metric.EUCLIDEAN).dense(),
                ExactOptions.defaults()).cost();
        assertEquals(dense, CliTest.number(r.out(), "cost"), 1e-9 * dense);
        assertTrue(r.out().contains("\"status\":\"OPTIMAL\"") && r.out().contains("\"pairs_checked\":10800"), r.out());
        assertTrue(CliTest.number(r.out(), "max_violation") < 1e-10, r.out());
        Dataset<Row> p = TestSpark.session().read().parquet(plan.toString());
        double mass = p.agg(org.apache.spark.sql.functions.sum("mass")).first().getDouble(0);
        assertEquals(1.0, mass, 1e-12);
        assertTrue(p.count() <= 120 + 90 - 1);
    }

    @Test
    void patchSetsAndWeightsFromNpy() throws Exception {
        double[] w = new double[40];
        for (int i = 0; i < 40; i++) {
            w[i] = 1 + i % 3;
        }
        Path weights = npy("w.npy", "<f8", "(40,)", TestFiles.doublesLE(w));
        CliTest.Run r = CliTest.run("ot", "exact", "--x", FASHION, "--y", FASHION, "--limit-x", "40", "--limit-y", "30",
                "--weights-x", weights.toString(), "--metric", "sqeuclidean", "--local-pricing");
        assertEquals(0, r.code(), r.err());
        CliTest.Run patches = CliTest.run("ot", "exact", "--x", FASHION, "--y", FASHION, "--limit-x", "10", "--limit-y", "12",
                "--patch", "7", "--stride", "7");
        assertEquals(0, patches.code(), patches.err());
        assertTrue(patches.out().contains("\"n\":160") && patches.out().contains("\"m\":192") && patches.out().contains("\"d\":49"), patches.out());
        // background patches repeat: they are merged, and the cost is the one of the full, unmerged problem
        assertTrue(CliTest.number(patches.out(), "distinct_x") < 160, patches.out());
        CliTest.Run kept = CliTest.run("ot", "exact", "--x", FASHION, "--y", FASHION, "--limit-x", "10", "--limit-y", "12",
                "--patch", "7", "--stride", "7", "--keep-duplicates");
        assertEquals(0, kept.code(), kept.err());
        assertEquals(160, CliTest.number(kept.out(), "distinct_x"));
        assertEquals(CliTest.number(kept.out(), "cost"), CliTest.number(patches.out(), "cost"), 1e-9 * CliTest.number(kept.out(), "cost"));
    }

    @Test
    void aPlanBetweenMergedDuplicatesIsWrittenWithEveryPointsOwnMarginal() throws Exception {
        Path plan = dir.resolve("merged-plan");
        CliTest.Run r = CliTest.run("ot", "exact", "--x", FASHION, "--y", FASHION, "--limit-x", "10", "--limit-y", "12",
                "--patch", "7", "--stride", "7", "--plan-out", plan.toString());
        assertEquals(0, r.code(), r.err());
        assertTrue(CliTest.number(r.out(), "distinct_x") < 160 && CliTest.number(r.out(), "distinct_y") < 192, r.out());
        Dataset<Row> p = TestSpark.session().read().parquet(plan.toString());
        java.util.List<Row> rows = p.groupBy("i").agg(org.apache.spark.sql.functions.sum("mass")).collectAsList();
        java.util.List<Row> cols = p.groupBy("j").agg(org.apache.spark.sql.functions.sum("mass")).collectAsList();
        assertEquals(160, rows.size(), "every patch of --x carries mass");
        assertEquals(192, cols.size(), "every patch of --y receives mass");
        for (Row row : rows) {
            assertEquals(1.0 / 160, row.getDouble(1), 1e-15, "row " + row.get(0));
        }
        for (Row col : cols) {
            assertEquals(1.0 / 192, col.getDouble(1), 1e-15, "column " + col.get(0));
        }
        // the plan's cost is the reported optimum
        float[] images = new float[12 * 784];
        var source = org.wganspark.data.IdxSource.open(FASHION, new org.apache.hadoop.conf.Configuration());
        source.read(0, 12, 12, new org.apache.hadoop.conf.Configuration()).forEachRemaining(b -> System.arraycopy(b.values, 0, images, 0, b.values.length));
        var g = new org.wganspark.ot.patch.PatchGeometry(1, 28, 28, 7, 7);
        float[] px = new float[160 * 49];
        float[] py = new float[192 * 49];
        org.wganspark.ot.patch.PatchExtractor.pooled(images, 10, g, px);
        org.wganspark.ot.patch.PatchExtractor.pooled(images, 12, g, py);
        PairwiseCost c = new PairwiseCost(new PointSet(px, 160, 49), new PointSet(py, 192, 49), Metric.EUCLIDEAN);
        double cost = 0;
        for (Row e : p.collectAsList()) {
            cost += e.getDouble(2) * c.cost(e.getInt(0), e.getInt(1));
        }
        assertEquals(CliTest.number(r.out(), "cost"), cost, 1e-12);
    }

    /** n x d float64 points around 1e6: float32 keeps only steps of 0.0625 there, so a float cast changes every cost. */
    private static double[] offsetPoints(int n, int d, long seed) {
        java.util.SplittableRandom r = new java.util.SplittableRandom(seed);
        double[] v = new double[n * d];
        for (int k = 0; k < v.length; k++) {
            v[k] = 1e6 + r.nextGaussian();
        }
        return v;
    }

    @Test
    void float64InputsAreSolvedInFloat64() throws Exception {
        int n = 70;
        int m = 50;
        int d = 5;
        double[] xs = offsetPoints(n, d, 5);
        double[] ys = offsetPoints(m, d, 6);
        Path fx = npy("x64.npy", "<f8", "(" + n + ", " + d + ")", TestFiles.doublesLE(xs));
        Path fy = npy("y64.npy", "<f8", "(" + m + ", " + d + ")", TestFiles.doublesLE(ys));
        // the optimum in double, from a matrix of direct differences of the doubles as given
        double[] c = new double[n * m];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < m; j++) {
                double s = 0;
                for (int k = 0; k < d; k++) {
                    double t = xs[i * d + k] - ys[j * d + k];
                    s += t * t;
                }
                c[i * m + j] = Math.sqrt(s);
            }
        }
        double expected = NetworkSimplex.solve(Weights.uniform(n), Weights.uniform(m), c, ExactOptions.defaults()).cost();
        for (String pricing : new String[] {"--dense-limit=25000000", "--dense-limit=0"}) {
            CliTest.Run r = CliTest.run("ot", "exact", "--x", fx.toString(), "--y", fy.toString(), pricing);
            assertEquals(0, r.code(), r.err());
            assertTrue(r.out().contains("\"precision\":\"float64\""), r.out());
            assertEquals(expected, CliTest.number(r.out(), "cost"), 1e-12 * expected, pricing + ": " + r.out());
            assertTrue(CliTest.number(r.out(), "max_violation") < 1e-10, r.out());
        }
        CliTest.Run floats = CliTest.run("ot", "exact", "--x", FASHION, "--y", FASHION, "--limit-x", "5", "--limit-y", "5");
        assertTrue(floats.out().contains("\"precision\":\"float32\""), floats.out());
        // the same doubles through Sinkhorn and the sliced distances: float64 too, and the distributed SWD equals the local one
        CliTest.Run sinkhorn = CliTest.run("ot", "sinkhorn", "--x", fx.toString(), "--y", fy.toString(), "--epsilon", "0.01");
        assertEquals(0, sinkhorn.code(), sinkhorn.err());
        assertTrue(sinkhorn.out().contains("\"precision\":\"float64\"") && CliTest.number(sinkhorn.out(), "cost") >= expected * (1 - 1e-9),
                sinkhorn.out());
        CliTest.Run sliced = CliTest.run("ot", "sliced", "--x", fx.toString(), "--y", fy.toString(), "--directions", "16");
        CliTest.Run distributed = CliTest.run("ot", "sliced", "--x", fx.toString(), "--y", fy.toString(), "--directions", "16", "--swd-only");
        assertEquals(0, distributed.code(), distributed.err());
        assertTrue(distributed.out().contains("\"precision\":\"float64\""), distributed.out());
        assertEquals(CliTest.number(sliced.out(), "swd"), CliTest.number(distributed.out(), "swd"), 1e-12 * CliTest.number(sliced.out(), "swd"));
    }

    @Test
    void nanInTheDataIsOneLine() throws Exception {
        float[] v = {1, 2, Float.NaN, 4};
        Path f = npy("nan.npy", "<f4", "(2, 2)", TestFiles.floatsLE(v));
        CliTest.assertBadInput(CliTest.run("ot", "exact", "--x", f.toString(), "--y", f.toString()), "nan.npy", "non-finite", "row 1");
    }

    @Test
    void negativeAndZeroSumWeightsAreOneLine() throws Exception {
        Path neg = npy("neg.npy", "<f8", "(3,)", TestFiles.doublesLE(new double[] {1, -1, 1}));
        Path zero = npy("zero.npy", "<f8", "(3,)", TestFiles.doublesLE(new double[] {0, 0, 0}));
        Path pts = npy("p.npy", "<f4", "(3, 2)", TestFiles.floatsLE(new float[] {0, 0, 1, 1, 2, 2}));
        CliTest.assertBadInput(CliTest.run("ot", "exact", "--x", pts.toString(), "--y", pts.toString(), "--weights-x", neg.toString()),
                "--weights-x", "neg.npy", "weight 1 is -1.0");
        CliTest.assertBadInput(CliTest.run("ot", "exact", "--x", pts.toString(), "--y", pts.toString(), "--weights-y", zero.toString()),
                "--weights-y", "sum");
        Path four = npy("four.npy", "<f8", "(4,)", TestFiles.doublesLE(new double[] {1, 1, 1, 1}));
        CliTest.assertBadInput(CliTest.run("ot", "exact", "--x", pts.toString(), "--y", pts.toString(), "--weights-x", four.toString()),
                "4 weights for 3 points");
    }

    @Test
    void dimensionMismatchAndEmptySetAreOneLine() throws Exception {
        Path pts = npy("p3.npy", "<f4", "(2, 3)", TestFiles.floatsLE(new float[6]));
        CliTest.assertBadInput(CliTest.run("ot", "exact", "--x", FASHION, "--y", pts.toString()), "--x " + FASHION + " has dimension 784",
                "--y " + pts + " has dimension 3");
        Path empty = npy("empty.npy", "<f4", "(0, 3)", new byte[0]);
        CliTest.assertBadInput(CliTest.run("ot", "exact", "--x", empty.toString(), "--y", pts.toString()), "empty set");
        CliTest.assertBadInput(CliTest.run("ot", "exact", "--x", pts.toString(), "--y", pts.toString(), "--metric", "manhattan"), "--metric");
    }

    @Test
    void helpListsOt() throws Exception {
        CliTest.Run r = CliTest.run("ot", "exact", "--help");
        assertEquals(0, r.code());
        assertTrue(r.out().contains("--plan-out") && r.out().contains("certificate"), r.out());
        assertTrue(Files.exists(dir) && CliTest.run("--help").out().contains("ot"));
    }
}
