package org.wganspark.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.wganspark.data.TestFiles;
import org.wganspark.experiment.Schedule;
import org.wganspark.spark.TestSpark;

class TrainCommandTest {

    @TempDir
    Path dir;

    @BeforeAll
    static void sharedSession() {
        TestSpark.session();
    }

    private static String[] args(Path out, int iterations, boolean resume) {
        return args(out.toString(), iterations, resume);
    }

    /** A small run of the FC critic on 256 test images, two partitions, logged every 10 steps (also for HdfsPathsTest). */
    static String[] args(String out, int iterations, boolean resume) {
        List<String> a = new java.util.ArrayList<>(List.of("train", "--out", out, "--iterations", String.valueOf(iterations),
                "data.source=" + TestFiles.fashionMnistTest(), "data.limit=256", "data.block-rows=64", "data.partitions=2",
                "train.prior=const=16", "train.z-dim=8", "train.generator-nf=32", "train.critic-nf=64", "train.critic-depth=3",
                "train.averaging-frequency=5", "train.log-every=10", "train.eval-rows=128", "train.real-batch=16", "train.fake-batch=16"));
        if (resume) {
            a.add("--resume");
        }
        return a.toArray(new String[0]);
    }

    @Test
    void trainsWritesItsRunFolderAndResumesToTheSameNumbers() throws Exception {
        Path straight = dir.resolve("straight");
        CliTest.Run r = CliTest.run(args(straight, 20, false));
        assertEquals(0, r.code(), r.err());
        List<String> metrics = Files.readAllLines(straight.resolve("metrics.csv"));
        assertEquals(3, metrics.size(), String.join("\n", metrics));
        assertTrue(metrics.get(2).startsWith("20,"), metrics.get(2));
        assertTrue(Files.size(straight.resolve("grid-0000020.png")) > 1000);
        assertEquals(16L * 784 * 4 + 128, Files.size(straight.resolve("generated-0000020.npy")));
        assertTrue(r.err().contains("exact W1"), r.err());
        assertTrue(Files.size(straight.resolve("curves.png")) > 5000);

        Path split = dir.resolve("split");
        assertEquals(0, CliTest.run(args(split, 10, false)).code());
        CliTest.Run resumed = CliTest.run(args(split, 20, true));
        assertEquals(0, resumed.code(), resumed.err());
        List<String> again = Files.readAllLines(split.resolve("metrics.csv"));
        assertEquals(metrics.get(1).substring(metrics.get(1).indexOf(",", 3)), again.get(1).substring(again.get(1).indexOf(",", 3)), "step 10: " + metrics + " vs " + again);
        // the same W1, SWD and bound at step 20 (column 1 is wall time)
        String[] a = metrics.get(2).split(",");
        String[] b = again.get(2).split(",");
        assertEquals(a[2], b[2]);
        assertEquals(a[3], b[3]);
        assertEquals(a[4], b[4]);
    }

    @Test
    void oneWorkerRunsTheRoundsOfALogIntervalInOneJobAndResumesToTheSameNumbers() throws Exception {
        // as the round-by-round loop: rounds of the averaging frequency, an evaluation where a round ends on a multiple of
        // log-every or at the end (3-step rounds meet no multiple of 10 before 20)
        assertTrue(java.util.Arrays.equals(new int[] {3, 3, 3, 3, 3, 3, 2}, new Schedule(20, 3, 10).roundsToNextLog(0, true)));
        assertTrue(java.util.Arrays.equals(new int[] {5, 5}, new Schedule(20, 5, 10).roundsToNextLog(10, true)));
        assertTrue(java.util.Arrays.equals(new int[] {2}, new Schedule(20, 5, 100).roundsToNextLog(18, true)));
        assertTrue(java.util.Arrays.equals(new int[] {3}, new Schedule(20, 3, 10).roundsToNextLog(0, false)));
        assertEquals(100, new Schedule(20000, 10, 1000).roundsToNextLog(0, true).length);
        Path straight = dir.resolve("one-straight");
        List<String> a = new java.util.ArrayList<>(List.of(args(straight, 20, false)));
        a.add("data.partitions=1");
        CliTest.Run r = CliTest.run(a.toArray(new String[0]));
        assertEquals(0, r.code(), r.err());
        List<String> metrics = Files.readAllLines(straight.resolve("metrics.csv"));
        Path split = dir.resolve("one-split");
        List<String> first = new java.util.ArrayList<>(List.of(args(split, 10, false)));
        first.add("data.partitions=1");
        assertEquals(0, CliTest.run(first.toArray(new String[0])).code());
        List<String> rest = new java.util.ArrayList<>(List.of(args(split, 20, true)));
        rest.add("data.partitions=1");
        assertEquals(0, CliTest.run(rest.toArray(new String[0])).code());
        List<String> again = Files.readAllLines(split.resolve("metrics.csv"));
        for (int row = 1; row <= 2; row++) {
            String[] x = metrics.get(row).split(",");
            String[] y = again.get(row).split(",");
            assertEquals(x[0], y[0]);
            assertEquals(x[2], y[2], "W1 at " + x[0]);
            assertEquals(x[3], y[3], "SWD at " + x[0]);
        }
    }

    @Test
    void badConfigIsOneLine() {
        CliTest.assertBadInput(CliTest.run("train", "--out", dir.resolve("x").toString(), "train.prior=const=zero",
                "data.source=" + TestFiles.fashionMnistTest()), "train.prior", "const=M");
        CliTest.assertBadInput(CliTest.run("train", "--out", dir.resolve("y").toString(), "train.log-every=7",
                "data.source=" + TestFiles.fashionMnistTest()), "log-every");
        CliTest.assertBadInput(CliTest.run("train", "--out", dir.resolve("z").toString(), "--resume",
                "data.source=" + TestFiles.fashionMnistTest()), "--resume", "no checkpoint");
        CliTest.assertBadInput(CliTest.run("train", "--out", dir.resolve("p").toString(), "train.critic=cnn", "train.critic-padding=3",
                "data.source=" + TestFiles.fashionMnistTest()), "train.critic-padding", "0 to critic-kernel - 1 = 2", "found 3");
        CliTest.assertBadInput(CliTest.run("train", "--out", dir.resolve("i").toString(), "train.init=kaiming",
                "data.source=" + TestFiles.fashionMnistTest()), "train.init", "torch or xavier", "kaiming");
    }

    @Test
    void theCnnPatchCriticAndTheNonSaturatingLoss() throws Exception {
        List<String> a = new java.util.ArrayList<>(List.of(args(dir.resolve("cnn"), 10, false)));
        a.addAll(List.of("train.critic=cnn", "train.critic-nf=8", "train.critic-depth=3", "train.loss=non-saturating", "train.gp=0"));
        CliTest.Run r = CliTest.run(a.toArray(new String[0]));
        assertEquals(0, r.code(), r.err());
        assertTrue(r.err().contains("critic CNN+GAP") && r.err().contains("receptive field 15 x 15 px"), r.err());
        assertTrue(r.err().contains("it sees only the first 23 x 23 px: the last 5 rows and 5 columns reach no score"), r.err());
        assertTrue(r.err().contains("non-saturating loss"), r.err());
        assertEquals(2, Files.readAllLines(dir.resolve("cnn").resolve("metrics.csv")).size());
    }

    @Test
    void aDivergingRunStopsWithOneClearLineAndKeepsItsLastCheckpoint() throws Exception {
        Path out = dir.resolve("diverging");
        List<String> a = new java.util.ArrayList<>(List.of(args(out, 20, false)));
        // a critic loss beyond 5 after the first log interval: the check, not the learning rate, is what is tested
        a.addAll(List.of("train.max-critic-loss=5", "train.lr-critic=1e-1", "train.gp=0"));
        CliTest.Run r = CliTest.run(a.toArray(new String[0]));
        assertEquals(ExitCodes.FAILED, r.code(), r.err());
        assertTrue(r.err().contains("beyond train.max-critic-loss 5.0") || r.err().contains("no longer finite"), r.err());
        assertTrue(r.err().contains("the last good checkpoint is"), r.err());
        assertFalse(r.err().contains("Exception"), r.err());
    }

    @Test
    void thePixelsGeneratorIsMFreeImages() throws Exception {
        List<String> a = new java.util.ArrayList<>(List.of(args(dir.resolve("pixels"), 10, false)));
        a.addAll(List.of("train.generator=pixels", "train.lr-generator=1e-2"));
        CliTest.Run r = CliTest.run(a.toArray(new String[0]));
        assertEquals(0, r.code(), r.err());
        assertTrue(r.err().contains("generator 16 free images, 12544 parameters"), r.err());
        assertEquals(16L * 784 * 4 + 128, Files.size(dir.resolve("pixels").resolve("generated-0000010.npy")));
        CliTest.assertBadInput(CliTest.run("train", "--out", dir.resolve("p2").toString(), "train.generator=pixels", "train.prior=normal",
                "data.source=" + TestFiles.fashionMnistTest()), "pixels", "const=M");
    }

    @Test
    void dcganNetworksWithSpectralNormResumeToTheSameNumbers() throws Exception {
        List<String> extra = List.of("train.generator=dcgan", "train.generator-nf=8", "train.critic=dcgan", "train.critic-nf=8",
                "train.spectral-norm=true");
        List<String> a = new java.util.ArrayList<>(List.of(args(dir.resolve("dcgan"), 20, false)));
        a.addAll(extra);
        CliTest.Run r = CliTest.run(a.toArray(new String[0]));
        assertEquals(0, r.code(), r.err());
        assertTrue(r.err().contains("generator DCGAN") && r.err().contains("critic DCGAN (3 k4 s2 convolutions, flatten)")
                && r.err().contains("receptive field 22 x 22 px") && r.err().contains("spectrally normalized"), r.err());
        List<String> first = new java.util.ArrayList<>(List.of(args(dir.resolve("dcgan-split"), 10, false)));
        first.addAll(extra);
        assertEquals(0, CliTest.run(first.toArray(new String[0])).code());
        List<String> rest = new java.util.ArrayList<>(List.of(args(dir.resolve("dcgan-split"), 20, true)));
        rest.addAll(extra);
        CliTest.Run resumed = CliTest.run(rest.toArray(new String[0]));
        assertEquals(0, resumed.code(), resumed.err());
        // the power-iteration vectors travel in the checkpoint: the resumed run ends at the same W1, SWD and bound
        String[] straight = Files.readAllLines(dir.resolve("dcgan").resolve("metrics.csv")).get(2).split(",");
        String[] split = Files.readAllLines(dir.resolve("dcgan-split").resolve("metrics.csv")).get(2).split(",");
        assertEquals(List.of(straight[2], straight[3], straight[4]), List.of(split[2], split[3], split[4]));
    }

    @Test
    void directLossesTrainTheGeneratorWithoutACritic() throws Exception {
        List<String> a = new java.util.ArrayList<>(List.of(args(dir.resolve("direct-w1"), 20, false)));
        a.addAll(List.of("train.loss=direct-w1", "train.lr-generator=1e-2"));
        CliTest.Run r = CliTest.run(a.toArray(new String[0]));
        assertEquals(0, r.code(), r.err());
        assertTrue(r.err().contains("no critic: exact W1 between the fake and the real batch"), r.err());
        List<String> metrics = Files.readAllLines(dir.resolve("direct-w1").resolve("metrics.csv"));
        double w1At10 = Double.parseDouble(metrics.get(1).split(",")[2]);
        double w1At20 = Double.parseDouble(metrics.get(2).split(",")[2]);
        assertTrue(w1At20 < w1At10 - 0.5, "descending the batch W1 lowers the exact W1 to the data: " + metrics);

        List<String> b = new java.util.ArrayList<>(List.of(args(dir.resolve("direct-patch"), 10, false)));
        b.addAll(List.of("train.loss=direct-patch-swd", "train.direct-patch-size=5", "train.direct-patch-stride=3", "train.direct-directions=16"));
        CliTest.Run p = CliTest.run(b.toArray(new String[0]));
        assertEquals(0, p.code(), p.err());
        assertTrue(p.err().contains("sliced W1 (16 directions a step) between the pooled 5 x 5 patches (stride 3)"), p.err());
        assertEquals(2, Files.readAllLines(dir.resolve("direct-patch").resolve("metrics.csv")).size());
        CliTest.assertBadInput(CliTest.run("train", "--out", dir.resolve("d2").toString(), "train.loss=direct-patch-swd",
                "train.direct-patch-size=40", "data.source=" + TestFiles.fashionMnistTest()), "patch");
        CliTest.assertBadInput(CliTest.run("train", "--out", dir.resolve("d3").toString(), "train.loss=direct-sw",
                "data.source=" + TestFiles.fashionMnistTest()), "train.loss", "direct-w1");
    }

    /** Metrics rows without the wall-time column: what must be the same however the run was cut. */
    private static List<String> withoutSeconds(Path metrics) throws Exception {
        return withoutSeconds(Files.readAllLines(metrics));
    }

    /** metrics.csv's lines without the wall-time column. */
    static List<String> withoutSeconds(List<String> metrics) {
        return metrics.stream().map(l -> l.replaceFirst("^([^,]*),[^,]*,", "$1,")).toList();
    }

    @Test
    void aNewRunRefusesAFolderWithARunAndOverwriteStartsItClean() throws Exception {
        Path out = dir.resolve("taken");
        assertEquals(0, CliTest.run(args(out, 20, false)).code());
        List<String> before = Files.readAllLines(out.resolve("metrics.csv"));
        CliTest.assertBadInput(CliTest.run(args(out, 10, false)), "--out", "holds a train run", "--resume", "--overwrite");
        assertEquals(before, Files.readAllLines(out.resolve("metrics.csv")), "a refused run leaves the metrics alone");
        assertTrue(Files.exists(out.resolve("grid-0000020.png")));
        List<String> again = new java.util.ArrayList<>(List.of(args(out, 10, false)));
        again.add("--overwrite");
        assertEquals(0, CliTest.run(again.toArray(new String[0])).code());
        assertEquals(2, Files.readAllLines(out.resolve("metrics.csv")).size());
        assertFalse(Files.exists(out.resolve("grid-0000020.png")), "--overwrite starts clean: no grid of the old run is left");
        Path foreign = Files.createDirectories(dir.resolve("foreign"));
        Files.writeString(foreign.resolve("notes.md"), "mine");
        CliTest.assertBadInput(CliTest.run(args(foreign, 10, false)), "--out", "not a train run", "--overwrite");
        assertTrue(Files.exists(foreign.resolve("notes.md")));
    }

    @Test
    void resumeTakesTheSavedConfigAndRefusesAnIncompatibleChange() throws Exception {
        Path straight = dir.resolve("whole");
        assertEquals(0, CliTest.run(args(straight, 20, false)).code());
        Path split = dir.resolve("halves");
        assertEquals(0, CliTest.run(args(split, 10, false)).code());
        // only the folder and the new length: every other key comes from the run's config.conf (not the schema's defaults)
        CliTest.Run resumed = CliTest.run("train", "--out", split.toString(), "--resume", "--iterations", "20");
        assertEquals(0, resumed.code(), resumed.err());
        assertTrue(resumed.err().contains("against the first 128 data rows"), resumed.err());
        assertEquals(withoutSeconds(straight.resolve("metrics.csv")), withoutSeconds(split.resolve("metrics.csv")));
        CliTest.assertBadInput(CliTest.run("train", "--out", split.toString(), "--resume", "--iterations", "30", "train.critic-nf=128"),
                "--resume", "train.critic-nf", "'64'", "config.conf", "128");
        assertEquals(3, Files.readAllLines(split.resolve("metrics.csv")).size(), "the refused resume changed nothing");
    }

    @Test
    void aStepCutShortBeforeItsCheckpointIsRedoneOnResumeAndTheClockGoesOn() throws Exception {
        Path straight = dir.resolve("uncut");
        assertEquals(0, CliTest.run(args(straight, 20, false)).code());
        // the state a kill leaves between the metrics row of step 20 and its checkpoint: a row, a grid and a temporary file
        // that the checkpoint (at step 10) does not know about
        Path cut = dir.resolve("cut");
        assertEquals(0, CliTest.run(args(cut, 10, false)).code());
        List<String> rows = new java.util.ArrayList<>(Files.readAllLines(cut.resolve("metrics.csv")));
        rows.add("20,99.000,1,2,3,4");
        Files.write(cut.resolve("metrics.csv"), rows);
        Files.writeString(cut.resolve("grid-0000020.png"), "half a png");
        Files.writeString(cut.resolve(".checkpoint.bin.tmp-1a2b"), "half a checkpoint");
        CliTest.Run resumed = CliTest.run(args(cut, 20, true));
        assertEquals(0, resumed.code(), resumed.err());
        assertTrue(resumed.err().contains("of a later step that was not checkpointed removed"), resumed.err());
        assertEquals(withoutSeconds(straight.resolve("metrics.csv")), withoutSeconds(cut.resolve("metrics.csv")));
        assertTrue(Files.size(cut.resolve("grid-0000020.png")) > 1000);
        assertFalse(Files.exists(cut.resolve(".checkpoint.bin.tmp-1a2b")));
        List<String> metrics = Files.readAllLines(cut.resolve("metrics.csv"));
        double first = Double.parseDouble(metrics.get(1).split(",")[1]);
        double second = Double.parseDouble(metrics.get(2).split(",")[1]);
        assertTrue(second > first, "the seconds column continues across the resume: " + metrics);
    }
}
