package org.wganspark.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.wganspark.data.TestFiles;
import org.wganspark.io.OutputTarget;
import org.wganspark.spark.TestSpark;

/** No command destroys what a user has: outputs replace only their own kind, --overwrite is explicit, inputs never go. */
class OutputSafetyTest {

    @TempDir
    Path dir;

    private static final String FASHION = TestFiles.fashionMnistTest().toString();

    @BeforeAll
    static void sharedSession() {
        TestSpark.session();
    }

    private Path u8(String name) throws Exception {
        byte[] pixels = new byte[6 * 28 * 28];
        for (int k = 0; k < pixels.length; k++) {
            pixels[k] = (byte) (k * 7);
        }
        return TestFiles.write(dir.resolve(name), TestFiles.npy("|u1", "(6, 28, 28)", false, pixels));
    }

    @Test
    void aFolderHoldingOtherFilesIsRefusedUntilOverwrite() throws Exception {
        Path out = Files.createDirectories(dir.resolve("mine"));
        Path notes = Files.writeString(out.resolve("notes.txt"), "a week of results");
        Path data = u8("u8.npy");
        CliTest.assertBadInput(CliTest.run("patches", "--data", data.toString(), "--out", out.toString()), "--out", "notes.txt", "--overwrite");
        assertEquals("a week of results", Files.readString(notes), "the refused command left the folder alone");
        CliTest.Run replaced = CliTest.run("patches", "--data", data.toString(), "--out", out.toString(), "--overwrite");
        assertEquals(0, replaced.code(), replaced.err());
        assertFalse(Files.exists(notes));
        assertTrue(Files.exists(out.resolve("summary.json")) && Files.exists(out.resolve(OutputTarget.MARKER)));
    }

    @Test
    void anEarlierOutputOfTheSameCommandIsReplacedButNotOneOfAnother() throws Exception {
        Path data = u8("u8.npy");
        Path out = dir.resolve("p");
        assertEquals(0, CliTest.run("patches", "--data", data.toString(), "--out", out.toString(), "-p", "7").code());
        CliTest.Run again = CliTest.run("patches", "--data", data.toString(), "--out", out.toString(), "-p", "14", "-s", "14");
        assertEquals(0, again.code(), again.err());
        assertTrue(Files.readString(out.resolve("summary.json")).contains("\"patch_size\":14"));
        CliTest.assertBadInput(CliTest.run("data", "--data", data.toString(), "--out", out.toString()), "--out", "not the output of an earlier 'data'");
        try (var left = Files.list(dir)) {
            assertTrue(left.noneMatch(p -> p.getFileName().toString().startsWith(".p.")), "no staging or replaced folder left beside the output");
        }
    }

    @Test
    void anInputIsNeverReplacedEvenWithOverwrite() throws Exception {
        Path data = u8("x.npy");
        byte[] before = Files.readAllBytes(data);
        CliTest.assertBadInput(CliTest.run("data", "--data", data.toString(), "--out", data.toString()), "is the input");
        CliTest.assertBadInput(CliTest.run("data", "--data", data.toString(), "--out", data.toString(), "--overwrite"), "is the input");
        CliTest.assertBadInput(CliTest.run("patches", "--data", data.toString(), "--out", dir.toString(), "--overwrite"), "holds the input");
        assertArrayEquals(before, Files.readAllBytes(data));
        Path x = u8("a.npy");
        CliTest.assertBadInput(CliTest.run("ot", "exact", "--x", x.toString(), "--y", data.toString(), "--plan-out", x.toString(), "--overwrite"),
                "--plan-out", "is the input");
    }

    @Test
    void aFileInTheWayIsRefusedUntilOverwrite() throws Exception {
        Path data = u8("u8.npy");
        Path file = Files.writeString(dir.resolve("result"), "keep me");
        CliTest.assertBadInput(CliTest.run("ot", "exact", "--x", data.toString(), "--y", data.toString(), "--plan-out", file.toString()),
                "--plan-out", "a file is there");
        assertEquals("keep me", Files.readString(file));
        CliTest.Run r = CliTest.run("ot", "exact", "--x", data.toString(), "--y", data.toString(), "--plan-out", file.toString(), "--overwrite");
        assertEquals(0, r.code(), r.err());
        assertTrue(Files.isDirectory(file) && Files.exists(file.resolve(OutputTarget.MARKER)));
    }

    @Test
    void everyFolderCommandRefusesAForeignFolder() throws Exception {
        Path out = Files.createDirectories(dir.resolve("theirs"));
        Files.writeString(out.resolve("thesis.tex"), "\\documentclass{article}");
        Path data = u8("u8.npy");
        String[][] commands = {
                {"otmeans", "--data", data.toString(), "--k", "2", "--steps", "1"},
                {"kmeans", "--data", data.toString(), "--k", "2", "--max-iter", "1"},
                {"memorization", "--generated", data.toString(), "--data", data.toString()},
                {"w1fe", "data.source=" + data, "--k", "1", "--outer-steps", "1", "w1fe.eval-samples=4", "train.prior=const=4"},
                {"quickstart", "--limit", "5", "--train-steps", "0", "data.source=" + data},
                {"train", "--iterations", "10", "data.source=" + data},
                {"data", "--data", data.toString()},
        };
        for (String[] command : commands) {
            String[] args = java.util.Arrays.copyOf(command, command.length + 2);
            args[command.length] = "--out";
            args[command.length + 1] = out.toString();
            CliTest.assertBadInput(CliTest.run(args), "--out", "--overwrite");
            assertTrue(Files.exists(out.resolve("thesis.tex")), command[0] + " touched the folder");
        }
    }

    @Test
    void aRelativePathIsResolvedWhereTheCommandRuns() throws Exception {
        Path data = u8("rel.npy");
        Path relative = Path.of("").toAbsolutePath().relativize(data);
        CliTest.Run r = CliTest.run("data", "--data", relative.toString());
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("\"rows\":6"), r.out());
    }
}
