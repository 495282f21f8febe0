package org.wganspark.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.wganspark.data.TestFiles;
import org.wganspark.spark.TestSpark;

class W1FeCommandTest {

    @TempDir
    Path dir;

    @BeforeAll
    static void sharedSession() {
        TestSpark.session();
    }

    private static final List<String> SMALL_NETS = List.of("train.prior=normal", "train.z-dim=4", "train.generator-nf=32", "train.generator-depth=3",
            "train.critic-nf=32", "train.critic-depth=3", "train.real-batch=32", "train.fake-batch=32", "w1fe.batch=32");

    private static String[] args(Path out, String engine, String... more) {
        List<String> a = new ArrayList<>(List.of("w1fe", "--out", out.toString(), "--k", "1,3", "--outer-steps", "6", "--engine", engine,
                "data.source=ring8", "data.limit=512", "data.partitions=2", "w1fe.log-every=3", "w1fe.eval-samples=200", "w1fe.eval-rows=300",
                "w1fe.workers=2"));
        a.addAll(SMALL_NETS);
        a.addAll(List.of(more));
        return a.toArray(new String[0]);
    }

    @Test
    void runsEveryPersistencyLevelAndWritesCurvesPlotsAndSamples() throws Exception {
        Path out = dir.resolve("ring");
        CliTest.Run r = CliTest.run(args(out, "local"));
        assertEquals(0, r.code(), r.err());
        List<String> metrics = Files.readAllLines(out.resolve("metrics.csv"));
        assertEquals("k,outer_step,critic_updates,seconds,sample_w1,sample_patch_w1,regression_loss", metrics.get(0));
        assertEquals(5, metrics.size(), String.join("\n", metrics));
        assertTrue(metrics.get(2).startsWith("1,6,30,"), metrics.get(2));
        assertTrue(metrics.get(4).startsWith("3,6,30,"), metrics.get(4));
        double w1 = CliTest.number(r.out(), "w1_k3");
        assertTrue(w1 > 0.05 && w1 < 2, r.out());
        assertTrue(Files.size(out.resolve("w1.png")) > 5000);
        assertTrue(Files.size(out.resolve("samples-k1.png")) > 5000);
        assertTrue(Files.size(out.resolve("samples-k3.png")) > 5000);
        assertTrue(r.err().contains("[w1fe] K 3: outer step 6/6"), r.err());

        // the same seed gives the same numbers
        CliTest.Run again = CliTest.run(args(dir.resolve("again"), "local"));
        assertEquals(CliTest.number(r.out(), "w1_k1"), CliTest.number(again.out(), "w1_k1"));
        assertEquals(w1, CliTest.number(again.out(), "w1_k3"));
    }

    @Test
    void onTheExecutorsWithOurAveragingEngine() throws Exception {
        Path out = dir.resolve("averaging");
        CliTest.Run r = CliTest.run(args(out, "averaging"));
        assertEquals(0, r.code(), r.err());
        assertTrue(r.err().contains("engine averaging (2 workers)"), r.err());
        List<String> metrics = Files.readAllLines(out.resolve("metrics.csv"));
        assertEquals(5, metrics.size());
        assertTrue(metrics.get(4).startsWith("3,6,30,"), metrics.get(4));
        double w1 = CliTest.number(r.out(), "w1_k3");
        assertTrue(w1 > 0.05 && w1 < 2, r.out());
    }

    @Test
    void imagesAlsoGetThePatchLevelW1AndTheirGeneratedSetsAreScoredByEval() throws Exception {
        Path out = dir.resolve("images");
        List<String> a = new ArrayList<>(List.of("w1fe", "--out", out.toString(), "--k", "2", "--outer-steps", "2",
                "data.source=" + TestFiles.fashionMnistTest(), "data.limit=256", "w1fe.log-every=2", "w1fe.eval-samples=64", "w1fe.eval-rows=128",
                "w1fe.patch-images=16"));
        a.addAll(SMALL_NETS);
        CliTest.Run r = CliTest.run(a.toArray(new String[0]));
        assertEquals(0, r.code(), r.err());
        double image = CliTest.number(r.out(), "w1_k2");
        double patch = CliTest.number(r.out(), "patch_w1_k2");
        // 784 pixels in [-1, 1] against 49: an untrained generator is far from the data at both levels
        assertTrue(image > patch && patch > 0.5, r.out());
        assertTrue(Files.size(out.resolve("samples-k2.png")) > 1000);

        // the logged generated set (step = critic updates) is what eval score scores: the same code, so against the same
        // 128 rows it gives the in-run sample W1 to the digit, and the w1fe output's level folder is the run
        List<String> metrics = Files.readAllLines(out.resolve("metrics.csv"));
        String[] last = metrics.get(metrics.size() - 1).split(",");
        Path set = out.resolve("k2").resolve(String.format("generated-%07d.npy", Integer.parseInt(last[2])));
        assertEquals(64L * 784 * 4 + 128, Files.size(set));
        CliTest.Run eval = CliTest.run("eval", "score", "--runs", out.toString(), "--reference", TestFiles.fashionMnistTest().toString(), "--table",
                dir.resolve("scores").toString(), "--metrics", "image-w1", "eval.reference.limit=128", "eval.floor=none");
        assertEquals(0, eval.code(), eval.err());
        assertEquals(1, (long) CliTest.number(eval.out(), "added"), eval.out());
        CliTest.Run report = CliTest.run("eval", "report", "--table", dir.resolve("scores").toString(), "--out", dir.resolve("report").toString());
        assertEquals(0, report.code(), report.err());
        String[] row = Files.readAllLines(dir.resolve("report/metrics.csv")).get(1).split(",");
        assertTrue(row[0].endsWith("images/k2") && row[1].equals(last[2]) && row[2].equals("image-w1"), String.join(",", row));
        assertEquals(Double.parseDouble(last[4]), Double.parseDouble(row[5]), 1e-8 * image);
    }

    @Test
    void badSettingsAreOneLine() {
        CliTest.assertBadInput(CliTest.run(args(dir.resolve("a"), "spark")), "w1fe.engine", "local, averaging or dl4j");
        CliTest.assertBadInput(CliTest.run(args(dir.resolve("b"), "local", "w1fe.k=[1,0]")), "w1fe.k", ">= 1");
        CliTest.assertBadInput(CliTest.run(args(dir.resolve("c"), "local", "w1fe.k=[1,x]")), "w1fe.k");
        CliTest.assertBadInput(CliTest.run(args(dir.resolve("d"), "local", "w1fe.dt=-1")), "dt > 0");
        CliTest.assertBadInput(CliTest.run(args(dir.resolve("e"), "local", "w1fe.optimizer=rmsprop")), "w1fe.optimizer");
        CliTest.assertBadInput(CliTest.run(args(dir.resolve("f"), "local", "w1fe.persistency=3")), "unknown key", "w1fe.k");
    }

    @Test
    void otMeansWritesItsCentroidsAndAFallingW1() throws Exception {
        Path out = dir.resolve("otmeans");
        CliTest.Run r = CliTest.run("otmeans", "--data", TestFiles.fashionMnistTest().toString(), "--limit", "300", "--k", "8", "--steps", "4", "--out",
                out.toString());
        assertEquals(0, r.code(), r.err());
        double first = CliTest.number(r.out(), "w1_initial");
        double last = CliTest.number(r.out(), "w1");
        assertTrue(last < 0.7 * first, r.out());
        assertEquals(8L * 784 * 4 + 128, Files.size(out.resolve("centroids.npy")));
        assertEquals(6, Files.readAllLines(out.resolve("w1.csv")).size());
        assertTrue(Files.size(out.resolve("centroids.png")) > 1000 && Files.size(out.resolve("w1.png")) > 5000);
        CliTest.assertBadInput(CliTest.run("otmeans", "--data", TestFiles.fashionMnistTest().toString(), "--k", "0", "--out", dir.resolve("x").toString()),
                "--k");
    }
}
