package org.wganspark.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.wganspark.data.IdxSource;
import org.wganspark.data.TestFiles;
import org.wganspark.spark.TestSpark;

/** The CLI in this JVM: parsing, exit codes, one-line errors, outputs. */
class CliTest {

    @TempDir
    Path dir;

    record Run(int code, String out, String err) {
        /** Lines on stderr that are not our progress lines. */
        long errorLines() {
            return err.lines().filter(l -> !l.startsWith("[")).count();
        }
    }

    @BeforeAll
    static void sharedSession() {
        TestSpark.session();  // Kryo registrationRequired for every job below
    }

    /** A number field of a one-line JSON answer. */
    static double number(String json, String key) {
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("\"" + key + "\":([-0-9.eE+]+)").matcher(json);
        assertTrue(m.find(), key + " not in " + json);
        return Double.parseDouble(m.group(1));
    }

    static Run run(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = Main.run(args, new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
        return new Run(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    /** Exit 2, exactly one line that is not progress, no stack trace, and it mentions {@code expected}. */
    static void assertBadInput(Run r, String... expected) {
        assertEquals(ExitCodes.BAD_INPUT, r.code(), r.err());
        assertEquals(1, r.errorLines(), r.err());
        assertFalse(r.err().contains("\tat ") || r.err().contains("Exception"), r.err());
        for (String e : expected) {
            assertTrue(r.err().contains(e), "missing '" + e + "' in: " + r.err());
        }
    }

    @Test
    void helpListsEveryCommandAndOptionDefaults() {
        Run r = run("--help");
        assertEquals(0, r.code());
        for (String c : new String[] {"quickstart", "data", "patches"}) {
            assertTrue(r.out().contains(c), r.out());
        }
        Run p = run("patches", "--help");
        assertEquals(0, p.code());
        assertTrue(p.out().contains("--stride") && p.out().contains("default 7") && p.out().contains("KEY=VALUE"), p.out());
    }

    @Test
    void unknownOptionIsExit2() {
        assertBadInput(run("patches", "--strid", "3"), "--strid");
    }

    @Test
    void dataCommandDescribesRealFashionMnist() throws Exception {
        Path out = dir.resolve("d");
        Run r = run("data", "--data", TestFiles.fashionMnistTest().toString(), "--limit", "500", "--out", out.toString(), "--npy", "data.partitions=3");
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("\"rows\":500") && r.out().contains("\"shape\":\"1x28x28\"") && r.out().contains("\"partitions\":3"), r.out());
        assertTrue(Files.size(out.resolve("images.png")) > 1000);
        assertTrue(Files.exists(out.resolve("part-00002.npy")));
        assertFalse(Files.exists(dir.resolve(".d.staging")), "staging folder left behind");
    }

    @Test
    void patchesCommandWritesPartsSummaryAndSamples() throws Exception {
        Path out = dir.resolve("p");
        Run r = run("patches", "--data", TestFiles.fashionMnistTest().toString(), "--limit", "200", "-p", "7", "-s", "7", "--out", out.toString());
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("\"patches\":3200") && r.out().contains("\"dimension\":49"), r.out());
        assertTrue(Files.readString(out.resolve("summary.json")).contains("\"locations\":16"));
        assertTrue(Files.size(out.resolve("samples.png")) > 100);
        try (var parts = Files.list(out)) {
            assertTrue(parts.anyMatch(p -> p.getFileName().toString().startsWith("part-")));
        }
        Run perLocation = run("patches", "--data", TestFiles.fashionMnistTest().toString(), "--limit", "100", "--per-location",
                "--summary-only", "--out", dir.resolve("q").toString());
        assertEquals(0, perLocation.code(), perLocation.err());
        assertTrue(perLocation.out().contains("\"mode\":\"per-location\"") && perLocation.out().contains("\"patches\":1600"), perLocation.out());
    }

    @Test
    void truncatedIdxIsOneLine() throws Exception {
        Path f = TestFiles.write(dir.resolve("cut-idx3-ubyte"), TestFiles.idx(IdxSource.IMAGE_MAGIC, 100, 28, 28, new byte[5000]));
        assertBadInput(run("data", "--data", f.toString()), f.toString(), "truncated");
    }

    @Test
    void wrongMagicIsOneLine() throws Exception {
        Path f = TestFiles.write(dir.resolve("labels-idx1-ubyte"), TestFiles.idx(0x801, 1, 1, 1, new byte[1]));
        assertBadInput(run("patches", "--data", f.toString()), f.toString(), "magic number");
    }

    @Test
    void lyingHeaderIsOneLineNotOutOfMemory() throws Exception {
        Path f = TestFiles.write(dir.resolve("liar-idx3-ubyte.gz"),
                TestFiles.gzip(TestFiles.idx(IdxSource.IMAGE_MAGIC, Integer.MAX_VALUE, 1024, 1024, new byte[1 << 20])));
        assertBadInput(run("data", "--data", f.toString()), "claims 2147483647 images");
    }

    @Test
    void nonImageFileInFolderIsOneLine() throws Exception {
        Path folder = dir.resolve("imgs");
        TestFiles.png(folder.resolve("a.png"), TestFiles.rgb(8, 8, 0));
        TestFiles.write(folder.resolve("b.txt"), "not an image".getBytes());
        assertBadInput(run("data", "--data", folder.toString()), "b.txt", "not a decodable image");
    }

    @Test
    void mixedSizesWithoutResizeIsOneLine() throws Exception {
        Path folder = dir.resolve("mixed");
        TestFiles.png(folder.resolve("a.png"), TestFiles.rgb(8, 8, 0));
        TestFiles.png(folder.resolve("b.png"), TestFiles.rgb(9, 8, 0));
        assertBadInput(run("data", "--data", folder.toString()), "b.png", "9x8", "data.image.size");
    }

    @Test
    void patchLargerThanImageIsOneLine() {
        assertBadInput(run("patches", "--data", TestFiles.fashionMnistTest().toString(), "-p", "29"), "patches.size", "29", "28x28");
    }

    @Test
    void missingPathIsOneLine() {
        assertBadInput(run("data", "--data", dir.resolve("nothing-here").toString()), "nothing-here", "no such file");
    }

    @Test
    void unreadablePathIsOneLine() throws Exception {
        Path f = TestFiles.write(dir.resolve("secret.npy"), new byte[64]);
        f.toFile().setReadable(false);
        boolean rootCanStillRead = Files.isReadable(f);
        Run r = run("data", "--data", f.toString());
        // root reads anything: then the file is found and rejected for its content, still one line
        assertBadInput(r, f.toString(), rootCanStillRead ? "not a .npy" : "not readable");
    }

    @Test
    void unknownConfigKeyIsOneLineListingValidKeys() throws Exception {
        Path conf = Files.writeString(dir.resolve("x.conf"), "patches { sise = 5 }\n");
        assertBadInput(run("patches", "--config", conf.toString()), "x.conf", "unknown key 'patches.sise'", "patches.size", "patches.stride");
        assertBadInput(run("data", "data.limt=5"), "unknown key 'data.limt'", "data.limit");
    }

    @Test
    void badModeValueIsOneLine() {
        assertBadInput(run("patches", "--data", TestFiles.fashionMnistTest().toString(), "patches.mode=sideways"), "patches.mode", "sideways");
    }

    @Test
    void messagesNameWhatTheUserTyped() throws Exception {
        Path pts = TestFiles.write(dir.resolve("p3.npy"), TestFiles.npy("<f4", "(2, 3)", false, new byte[24]));
        String fashion = TestFiles.fashionMnistTest().toString();
        assertBadInput(run("ot", "exact", "--x", fashion, "--y", pts.toString()), "--x " + fashion, "--y " + pts, "dimension 784", "dimension 3");
        assertBadInput(run("ot", "exact", "--x", fashion, "--y", fashion, "--limit-x", "-3"), "--limit-x", "-3");
        Path conf = Files.writeString(dir.resolve("broken.conf"), "train {\n  iterations = 10\n  gp = 10\n");
        assertBadInput(run("train", "--config", conf.toString()), "broken.conf", "line 1", "'{' is never closed");
    }

    @Test
    void aFlatArrayDeclaredAsImagesGivesTheImagesPatches() throws Exception {
        // the first 20 test images as a flat (20, 784) float32 .npy: with data.image.shape = 28x28, its patches are the images'
        var source = org.wganspark.data.IdxSource.open(TestFiles.fashionMnistTest().toString(), new org.apache.hadoop.conf.Configuration());
        float[] images = new float[20 * 784];
        source.read(0, 20, 20, new org.apache.hadoop.conf.Configuration()).forEachRemaining(b -> System.arraycopy(b.values, 0, images, 0, b.values.length));
        Path flat = TestFiles.write(dir.resolve("flat.npy"), TestFiles.npy("<f4", "(20, 784)", false, TestFiles.floatsLE(images)));
        Run asImages = run("patches", "--data", flat.toString(), "-p", "7", "-s", "7", "--summary-only", "--out", dir.resolve("a").toString(),
                "data.image.shape=28x28");
        assertEquals(0, asImages.code(), asImages.err());
        Run idx = run("patches", "--data", TestFiles.fashionMnistTest().toString(), "--limit", "20", "-p", "7", "-s", "7", "--summary-only",
                "--out", dir.resolve("b").toString());
        String checksum = "\"checksum\":\"";
        String a = asImages.out().substring(asImages.out().indexOf(checksum), asImages.out().indexOf(checksum) + 30);
        assertTrue(idx.out().contains(a) && asImages.out().contains("\"patches\":320"), asImages.out() + "\n" + idx.out());
        assertBadInput(run("patches", "--data", flat.toString(), "data.image.shape=27x27"), "data.image.shape", "784", "729");
        assertBadInput(run("patches", "--data", flat.toString(), "data.image.shape=28by28"), "data.image.shape", "28by28");
    }
}
