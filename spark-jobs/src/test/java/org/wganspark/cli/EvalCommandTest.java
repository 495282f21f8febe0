package org.wganspark.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.Collectors;
import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.wganspark.data.FloatBlock;
import org.wganspark.data.IdxSource;
import org.wganspark.data.RowSource;
import org.wganspark.data.TestFiles;
import org.wganspark.io.NpyWriter;
import org.wganspark.spark.TestSpark;

/** eval score and eval report in this JVM on real Fashion-MNIST images: idempotence, the cache, the lock, exactness, bad input. */
class EvalCommandTest {

    private static final String ALL = "image-w1,patch-w1,patch-sinkhorn,swd,w1-upper-bound,local-patch-swd,memorization";
    private static float[] images;

    @TempDir
    Path dir;

    @BeforeAll
    static void data() {
        if (images != null) {
            return;
        }
        TestSpark.session();
        RowSource s = IdxSource.open(TestFiles.fashionMnistTest().toString(), new Configuration());
        List<FloatBlock> blocks = new ArrayList<>();
        s.read(0, 3000, 3000, new Configuration()).forEachRemaining(blocks::add);
        images = blocks.get(0).values;
    }

    /** count images starting at test row {@code first}, with seeded noise: a generated set of a logged step. */
    static void writeSet(Path file, int first, int count, long seed) throws Exception {
        SplittableRandom r = new SplittableRandom(seed);
        float[] set = new float[count * 784];
        for (int k = 0; k < set.length; k++) {
            set[k] = Math.max(-1f, Math.min(1f, images[first * 784 + k] + (float) (0.2 * r.nextGaussian())));
        }
        Files.createDirectories(file.getParent());
        try (OutputStream o = Files.newOutputStream(file)) {
            NpyWriter.writeHeader(o, count, 1, 28, 28);
            NpyWriter.writeFloats(o, set, 0, set.length);
        }
    }

    /** The first {@code count} test images as a .npy. */
    static void writeReference(Path file, int count) throws Exception {
        try (OutputStream o = Files.newOutputStream(file)) {
            NpyWriter.writeHeader(o, count, 1, 28, 28);
            NpyWriter.writeFloats(o, images, 0, count * 784);
        }
    }

    /** The reference: the first 400 test images as a .npy (a path, so the floor is given explicitly). */
    private Path reference() throws Exception {
        Path ref = dir.resolve("reference.npy");
        if (Files.exists(ref)) {
            return ref;  // rewritten, it would be a new reference (its fingerprint holds the file's time)
        }
        writeReference(ref, 400);
        Path held = dir.resolve("held-out.npy");
        try (OutputStream o = Files.newOutputStream(held)) {
            NpyWriter.writeHeader(o, 100, 1, 28, 28);
            NpyWriter.writeFloats(o, images, 2000 * 784, 100 * 784);
        }
        return ref;
    }

    private CliTest.Run score(Path runs, Path table, String metrics, String... more) throws Exception {
        List<String> args = new ArrayList<>(List.of("eval", "score", "--runs", runs.toString(), "--reference", reference().toString(), "--table",
                table.toString(), "--metrics", metrics, "eval.floor=" + dir.resolve("held-out.npy")));
        args.addAll(List.of(more));
        return CliTest.run(args.toArray(String[]::new));
    }

    private static String csvWithoutTimes(Path report) throws Exception {
        return Files.readAllLines(report.resolve("metrics.csv")).stream()
                .map(l -> { String[] c = l.split(","); return String.join(",", List.of(c).subList(0, Math.min(c.length, 13))); })
                .collect(Collectors.joining("\n"));
    }

    @Test
    void scoringTwiceGivesTheSameTableAndANewStepReusesTheCachedReference() throws Exception {
        Path run = dir.resolve("runs/a");
        writeSet(run.resolve("generated-0000010.npy"), 500, 16, 1);
        writeSet(run.resolve("generated-0000020.npy"), 600, 16, 2);
        Path table = dir.resolve("scores");
        CliTest.Run first = score(dir.resolve("runs/*"), table, ALL);
        assertEquals(0, first.code(), first.err());
        // 2 steps x 7 metrics, and the floor of 16 held-out images x 7
        assertEquals(21, (long) CliTest.number(first.out(), "added"), first.out());
        assertTrue(first.out().contains("\"cache\":\"built\""), first.out());
        CliTest.Run report1 = CliTest.run("eval", "report", "--table", table.toString(), "--out", dir.resolve("r1").toString());
        assertEquals(0, report1.code(), report1.err());

        CliTest.Run again = score(dir.resolve("runs/*"), table, ALL);
        assertEquals(0, again.code(), again.err());
        assertEquals(0, (long) CliTest.number(again.out(), "added"), again.out());
        assertEquals(14, (long) CliTest.number(again.out(), "skipped"), again.out());
        assertTrue(again.err().contains("nothing new"), again.err());
        CliTest.Run report2 = CliTest.run("eval", "report", "--table", table.toString(), "--out", dir.resolve("r2").toString());
        assertEquals(csvWithoutTimes(dir.resolve("r1")), csvWithoutTimes(dir.resolve("r2")));

        writeSet(run.resolve("generated-0000030.npy"), 700, 16, 3);
        CliTest.Run third = score(dir.resolve("runs/*"), table, ALL);
        assertEquals(0, third.code(), third.err());
        assertEquals(7, (long) CliTest.number(third.out(), "added"), third.out());
        assertTrue(third.out().contains("\"cache\":\"hit\""), third.out());

        List<String> csv = Files.readAllLines(dir.resolve("r1/metrics.csv"));
        assertTrue(csv.get(0).startsWith("run,step,metric,parameters,reference,value,certificate"), csv.get(0));
        String html = Files.readString(dir.resolve("r1/index.html"));
        assertTrue(html.contains("data:image/png;base64,") && !html.contains("http://") && !html.contains("https://"), "self-contained");
        for (String m : ALL.split(",")) {
            assertTrue(html.contains("<h2>" + m), m);
        }
    }

    @Test
    void exactMetricsEqualOtExactAndCarryTheirCertificate() throws Exception {
        Path set = dir.resolve("runs/b/generated-0000050.npy");
        writeSet(set, 800, 16, 4);
        Path table = dir.resolve("scores");
        CliTest.Run r = score(dir.resolve("runs/b"), table, "image-w1,patch-w1", "eval.floor=none");
        assertEquals(0, r.code(), r.err());
        CliTest.Run report = CliTest.run("eval", "report", "--table", table.toString(), "--out", dir.resolve("r").toString());
        assertEquals(0, report.code(), report.err());
        List<String> rows = Files.readAllLines(dir.resolve("r/metrics.csv"));
        CliTest.Run image = CliTest.run("ot", "exact", "--x", set.toString(), "--y", dir.resolve("reference.npy").toString());
        CliTest.Run patch = CliTest.run("ot", "exact", "--x", set.toString(), "--y", dir.resolve("reference.npy").toString(), "--patch", "7", "--stride", "7");
        for (String row : rows.subList(1, rows.size())) {
            String[] c = row.split(",");
            double expected = CliTest.number(c[2].equals("image-w1") ? image.out() : patch.out(), "cost");
            assertEquals(expected, Double.parseDouble(c[5]), 1e-8 * expected, row);  // the value column
            assertTrue(Double.parseDouble(c[6]) < 1e-9, "certificate: " + row);
            assertEquals("OPTIMAL", c[7], row);
        }
    }

    @Test
    void aLiveLockRefusesASecondJobAndADeadHoldersLockIsTakenOver() throws Exception {
        writeSet(dir.resolve("runs/c/generated-0000010.npy"), 900, 8, 5);
        Path table = dir.resolve("scores");
        assertEquals(0, score(dir.resolve("runs/c"), table, "swd", "eval.floor=none").code());
        String host = java.net.InetAddress.getLocalHost().getHostName();
        Files.writeString(table.resolve("_lock"), "{\"host\":\"" + host + "\",\"pid\":" + ProcessHandle.current().pid() + ",\"started\":\"then\"}");
        writeSet(dir.resolve("runs/c/generated-0000020.npy"), 950, 8, 6);
        CliTest.Run busy = score(dir.resolve("runs/c"), table, "swd", "eval.floor=none");
        assertEquals(ExitCodes.BUSY, busy.code(), busy.err());
        assertEquals(1, busy.errorLines(), busy.err());
        assertTrue(busy.err().contains("locked by process " + ProcessHandle.current().pid()), busy.err());
        assertTrue(Files.exists(table.resolve("_lock")), "the holder's lock stays");

        Process gone = new ProcessBuilder("true").start();
        gone.waitFor();
        Files.writeString(table.resolve("_lock"), "{\"host\":\"" + host + "\",\"pid\":" + gone.pid() + ",\"started\":\"then\"}");
        CliTest.Run takeover = score(dir.resolve("runs/c"), table, "swd", "eval.floor=none");
        assertEquals(0, takeover.code(), takeover.err());
        assertTrue(takeover.err().contains("taking over a stale lock"), takeover.err());
        assertEquals(1, (long) CliTest.number(takeover.out(), "added"), takeover.out());
        assertFalse(Files.exists(table.resolve("_lock")), "released");
    }

    @Test
    void badSetsAreNamedAndSkippedTheOthersScored() throws Exception {
        writeSet(dir.resolve("runs/good/generated-0000010.npy"), 500, 8, 7);
        Files.createDirectories(dir.resolve("runs/empty"));
        Files.writeString(dir.resolve("runs/empty/notes.txt"), "no sets here");
        Files.createDirectories(dir.resolve("runs/w1fe"));  // a w1fe output: plots, no generated sets
        Files.writeString(dir.resolve("runs/w1fe/_wgan-spark.json"), "{\"kind\":\"w1fe\"}");
        Files.copy(dir.resolve("runs/empty/notes.txt"), dir.resolve("runs/w1fe/samples-k1.png"));
        Path corrupt = dir.resolve("runs/corrupt/generated-0000010.npy");
        writeSet(corrupt, 500, 8, 8);
        byte[] bytes = Files.readAllBytes(corrupt);
        Files.write(corrupt, java.util.Arrays.copyOf(bytes, bytes.length / 2));
        Path table = dir.resolve("scores");
        CliTest.Run r = score(dir.resolve("runs/*"), table, "swd", "eval.floor=none");
        assertEquals(ExitCodes.BAD_INPUT, r.code(), r.err());
        assertEquals(1, (long) CliTest.number(r.out(), "added"), r.out());
        assertEquals(3, (long) CliTest.number(r.out(), "failed"), r.out());
        assertTrue(r.err().contains("runs/w1fe") && r.err().contains("holds no generated sets"), r.err());
        assertTrue(r.err().contains("runs/empty") && r.err().contains("holds no generated sets"), r.err());
        assertTrue(r.err().contains("runs/corrupt/generated-0000010.npy"), r.err());
        assertFalse(r.err().contains("\tat "), r.err());
    }

    @Test
    void badInputIsOneLine() throws Exception {
        writeSet(dir.resolve("runs/d/generated-0000010.npy"), 500, 8, 9);
        Path table = dir.resolve("scores");
        CliTest.assertBadInput(score(dir.resolve("runs/d"), table, "swd,fid"), "eval.metrics", "fid");

        Path other = Files.createDirectories(dir.resolve("not-a-table"));
        Files.writeString(other.resolve("thesis.tex"), "keep me");
        CliTest.assertBadInput(score(dir.resolve("runs/d"), other, "swd"), "--table", "not a score table");
        assertEquals("keep me", Files.readString(other.resolve("thesis.tex")));

        Path wrongShape = dir.resolve("runs/e/generated-0000010.npy");
        Files.createDirectories(wrongShape.getParent());
        try (OutputStream o = Files.newOutputStream(wrongShape)) {
            NpyWriter.writeHeader(o, 4, 1, 14, 14);
            NpyWriter.writeFloats(o, new float[4 * 196], 0, 4 * 196);
        }
        CliTest.Run shape = score(dir.resolve("runs/e"), table, "swd", "eval.floor=none");
        CliTest.assertBadInput(shape, "runs/e/generated-0000010.npy", "14x14");

        CliTest.Run unreadable = CliTest.run("eval", "score", "--runs", dir.resolve("runs/d").toString(), "--reference", dir.resolve("nope.npy").toString(),
                "--table", table.toString(), "--metrics", "swd");
        CliTest.assertBadInput(unreadable, "nope.npy");
    }
}
