package org.wganspark.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A training process stopped for real: killed (as kill -9 would) at each write of a logged step, or sent SIGTERM as a
 * scheduler does; the resumed run ends with the numbers of a run that was never stopped.
 */
class TrainInterruptionIT {

    private static final Path RUNS = Proc.ROOT.resolve("spark-jobs/target/it-interrupt");
    private static final String FASHION = "/usr/share/datasets/fashion-mnist/t10k-images-idx3-ubyte.gz";

    @BeforeAll
    static void clean() throws Exception {
        Proc.run(Map.of(), 30, "rm", "-rf", RUNS.toString());
        Files.createDirectories(RUNS);
    }

    private static String[] train(Path out, int iterations, boolean resume) {
        List<String> a = new ArrayList<>(List.of("bin/wgan-spark", "train", "--out", out.toString(), "--iterations", String.valueOf(iterations),
                "data.source=" + FASHION, "data.limit=256", "data.block-rows=64", "data.partitions=2", "train.prior=const=16", "train.z-dim=8",
                "train.generator-nf=32", "train.critic-nf=64", "train.critic-depth=3", "train.averaging-frequency=5", "train.log-every=10",
                "train.eval-rows=128", "train.real-batch=16", "train.fake-batch=16"));
        if (resume) {
            a.add("--resume");
        }
        return a.toArray(new String[0]);
    }

    /** metrics.csv without its wall-time column. */
    private static List<String> metrics(Path run) throws Exception {
        return Files.readAllLines(run.resolve("metrics.csv")).stream().map(l -> l.replaceFirst("^([^,]*),[^,]*,", "$1,")).toList();
    }

    @Test
    @Timeout(900)
    void aProcessKilledAtAnyWriteOfALoggedStepResumesToTheNumbersOfAnUnbrokenRun() throws Exception {
        Path unbroken = RUNS.resolve("unbroken");
        Proc whole = Proc.run(Map.of(), 200, train(unbroken, 30, false));
        assertEquals(0, whole.code(), whole.err());
        List<String> expected = metrics(unbroken);
        assertEquals(4, expected.size());
        for (String point : new String[] {"metrics-written", "grid-written", "before-checkpoint", "checkpoint-written"}) {
            Path run = RUNS.resolve(point);
            Proc killed = Proc.run(Map.of("JAVA_OPTS", "-Dwgan.fault.halt=" + point + "@20"), 200, train(run, 30, false));
            assertEquals(137, killed.code(), point + ": " + killed.err());
            Proc resumed = Proc.run(Map.of(), 200, train(run, 30, true));
            assertEquals(0, resumed.code(), point + ": " + resumed.err());
            assertEquals(expected, metrics(run), "killed after " + point + " at step 20, then resumed");
            try (var files = Files.list(run)) {
                assertTrue(files.noneMatch(f -> f.getFileName().toString().contains(".tmp-")), point + ": a temporary file was left");
            }
        }
    }

    @Test
    @Timeout(300)
    void sigtermPrintsOneLineAndKeepsTheLastCheckpoint() throws Exception {
        Path run = RUNS.resolve("sigterm");
        Proc p = Proc.start(Map.of(), List.of(train(run, 100_000, false)));
        p.awaitErr("[train] step 20/", 200);
        p.process.toHandle().destroy();  // SIGTERM to bin/wgan-spark, which passes it on to the JVM (Process.destroy would close our pipes)
        int code = p.waitFor(60);
        assertEquals(143, code, p.err());
        List<String> ours = p.err().lines().filter(l -> !l.startsWith("[")).toList();
        assertEquals(1, ours.size(), p.err());
        assertTrue(ours.get(0).startsWith("wgan-spark: interrupted by SIGTERM: at critic step ") && ours.get(0).contains("resume with --resume"),
                ours.get(0));
        assertFalse(p.err().contains("Exception") || p.err().contains("\tat "), p.err());
        assertTrue(Files.exists(run.resolve("checkpoint.bin")));
        Proc resumed = Proc.run(Map.of(), 200, train(run, 40, true));
        assertEquals(0, resumed.code(), resumed.err());
        assertTrue(resumed.err().contains("resumed at critic step"), resumed.err());
    }
}
