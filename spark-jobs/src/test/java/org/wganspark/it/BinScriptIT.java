package org.wganspark.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** bin/wgan-spark in its default mode: a local JVM on local[*], with the shaded jar and the assembled Spark jars. */
class BinScriptIT {

    private static final String FASHION = "/usr/share/datasets/fashion-mnist/t10k-images-idx3-ubyte.gz";

    @Test
    @Timeout(120)
    void helpListsTheCommands() throws Exception {
        Proc p = Proc.run(Map.of(), 100, "bin/wgan-spark", "--help");
        assertEquals(0, p.code(), p.err());
        assertTrue(p.out().contains("quickstart") && p.out().contains("patches") && p.out().contains("data"), p.out());
    }

    @Test
    @Timeout(200)
    void quickstartWritesItsOutputsAndPrintsOneJsonLine() throws Exception {
        Path out = Proc.ROOT.resolve("spark-jobs/target/it-quickstart");
        Proc p = Proc.run(Map.of(), 180, "bin/wgan-spark", "quickstart", "--limit", "3000", "--train-steps", "40", "--out", out.toString());
        assertEquals(0, p.code(), p.err());
        assertEquals(1, p.out().lines().count(), p.out());
        assertTrue(p.out().contains("\"images\":3000") && p.out().contains("\"patches\":48000"), p.out());
        assertTrue(p.err().contains("[quickstart]"), p.err());
        assertTrue(Files.size(out.resolve("images.png")) > 10_000 && Files.exists(out.resolve("patches.png")));
        // the short training run: its JSON inside ours, four evaluations (every 10 of 40 steps), a grid and the curves
        assertTrue(p.out().contains("\"train\":{\"command\":\"train\"") && p.out().contains("\"iterations\":40"), p.out());
        assertEquals(5, Files.readAllLines(out.resolve("train/metrics.csv")).size());
        assertTrue(Files.size(out.resolve("train/curves.png")) > 5_000 && Files.exists(out.resolve("train/grid-0000040.png")));
        assertTrue(p.err().contains("[quickstart] exact W1 of the 64 generated images"), p.err());
        // Spark's INFO flood stays out of the user's terminal
        assertTrue(p.err().lines().noneMatch(l -> l.contains(" INFO ")), p.err());
    }

    @Test
    @Timeout(120)
    void badInputThroughTheScriptIsExit2AndOneLine() throws Exception {
        Proc p = Proc.run(Map.of(), 100, "bin/wgan-spark", "patches", "--data", FASHION, "--size", "30");
        assertEquals(2, p.code(), p.err());
        assertEquals(1, p.err().lines().count(), p.err());
        assertTrue(p.err().contains("patches.size: 30 is larger than the 28x28 images"), p.err());
    }
}
