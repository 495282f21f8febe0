package org.wganspark.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

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
import org.wganspark.ot.entropic.CostScale;
import org.wganspark.ot.entropic.Sinkhorn;
import org.wganspark.ot.entropic.SinkhornOptions;
import org.wganspark.ot.exact.ExactOptions;
import org.wganspark.ot.exact.NetworkSimplex;
import org.wganspark.ot.sliced.Sliced;
import org.wganspark.ot.sliced.SlicedResult;
import org.wganspark.spark.TestSpark;

class OtSinkhornCommandTest {

    @TempDir
    Path dir;

    private static final String FASHION = TestFiles.fashionMnistTest().toString();

    @BeforeAll
    static void sharedSession() {
        TestSpark.session();
    }

    private static PointSet images(int n) {
        float[] all = new float[n * 784];
        var source = org.wganspark.data.IdxSource.open(FASHION, new org.apache.hadoop.conf.Configuration());
        source.read(0, n, n, new org.apache.hadoop.conf.Configuration()).forEachRemaining(b -> System.arraycopy(b.values, 0, all, 0, b.values.length));
        return new PointSet(all, n, 784);
    }

    @Test
    void sinkhornOnExecutorsMatchesTheKernelAndApproachesTheExactCost() throws Exception {
        Path plan = dir.resolve("plan");
        // --dense-limit 0: the sweeps run as Spark tasks
        CliTest.Run r = CliTest.run("ot", "sinkhorn", "--x", FASHION, "--y", FASHION, "--limit-x", "80", "--limit-y", "60",
                "--epsilon", "0.01", "--tolerance", "1e-8", "--dense-limit", "0", "--divergence", "--plan-out", plan.toString());
        assertEquals(0, r.code(), r.err());
        PointSet all = images(80);
        PointSet x = all;
        PointSet y = new PointSet(java.util.Arrays.copyOf(all.values(), 60 * 784), 60, 784);
        PairwiseCost cost = new PairwiseCost(x, y, Metric.EUCLIDEAN);
        double eps = 0.01 * CostScale.quantile(cost, 0.5, 100_000, 7);
        assertEquals(eps, CliTest.number(r.out(), "epsilon"), 1e-12 * eps);
        double kernel = Sinkhorn.solve(Weights.uniform(80), Weights.uniform(60), cost, SinkhornOptions.of(eps).withTolerance(1e-8)).transportCost();
        assertEquals(kernel, CliTest.number(r.out(), "cost"), 1e-7 * kernel);
        double exact = NetworkSimplex.solve(Weights.uniform(80), Weights.uniform(60), cost.dense(), ExactOptions.defaults()).cost();
        assertTrue(CliTest.number(r.out(), "cost") >= exact - 1e-9 && CliTest.number(r.out(), "cost") < 1.02 * exact, r.out() + " vs exact " + exact);
        assertTrue(CliTest.number(r.out(), "marginal_error") < 1e-8, r.out());
        assertTrue(CliTest.number(r.out(), "divergence") > 0, r.out());
        Dataset<Row> rows = TestSpark.session().read().parquet(plan.toString());
        assertTrue(rows.count() > 60 && rows.count() <= 80 * 8, "plan entries " + rows.count());
        double mass = rows.groupBy().sum("mass").first().getDouble(0);
        assertTrue(mass > 0.9 && mass <= 1 + 1e-9, "top-8 mass " + mass);
        assertEquals(mass, CliTest.number(r.out(), "plan_mass"), 1e-12, "the JSON line says which fraction of the mass the plan keeps");
        assertTrue(r.out().contains("\"status\":\"CONVERGED\""), "an iterative solver converges; OPTIMAL is for proven optima: " + r.out());
    }

    @Test
    void slicedMatchesTheKernel() {
        CliTest.Run r = CliTest.run("ot", "sliced", "--x", FASHION, "--y", FASHION, "--limit-x", "50", "--limit-y", "40",
                "--directions", "16", "--seed", "3");
        assertEquals(0, r.code(), r.err());
        PointSet all = images(50);
        SlicedResult expected = Sliced.compute(Weights.uniform(50), all, Weights.uniform(40),
                new PointSet(java.util.Arrays.copyOf(all.values(), 40 * 784), 40, 784), 16, 3);
        assertEquals(expected.swd(), CliTest.number(r.out(), "swd"), 1e-12);
        assertEquals(expected.upperBound(), CliTest.number(r.out(), "upper_bound"), 1e-12);
        assertEquals(expected.maxSliced(), CliTest.number(r.out(), "max_sliced"), 1e-12);
    }

    @Test
    void swdOnlyKeepsThePointsOnTheExecutorsAndAgrees() {
        CliTest.Run r = CliTest.run("ot", "sliced", "--x", FASHION, "--y", FASHION, "--limit-x", "50", "--limit-y", "40",
                "--directions", "16", "--seed", "3", "--swd-only", "--keep-duplicates");
        assertEquals(0, r.code(), r.err());
        PointSet all = images(50);
        SlicedResult expected = Sliced.compute(Weights.uniform(50), all, Weights.uniform(40),
                new PointSet(java.util.Arrays.copyOf(all.values(), 40 * 784), 40, 784), 16, 3);
        assertEquals(expected.swd(), CliTest.number(r.out(), "swd"), 1e-12 * expected.swd());
        assertEquals(expected.swdSpread(), CliTest.number(r.out(), "swd_spread"), 1e-9 * expected.swdSpread());
    }

    @Test
    void badInputIsOneLine() {
        CliTest.assertBadInput(CliTest.run("ot", "sinkhorn", "--x", FASHION, "--y", FASHION, "--epsilon-of", "mean"), "--epsilon-of", "mean");
        CliTest.assertBadInput(CliTest.run("ot", "sinkhorn", "--x", FASHION, "--y", FASHION, "--epsilon", "-1"), "--epsilon > 0");
        // sliced distances are Euclidean: they take no --metric at all
        CliTest.assertBadInput(CliTest.run("ot", "sliced", "--x", FASHION, "--y", FASHION, "--metric", "sqeuclidean"), "--metric");
        CliTest.assertBadInput(CliTest.run("ot", "sliced", "--x", FASHION, "--y", FASHION, "--directions", "0"), "--directions");
    }
}
