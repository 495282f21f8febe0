package org.wganspark.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * eval score as a scheduler runs it: real processes on a real train run. A job killed (as kill -9 would) between
 * writing a batch and renaming it into the table, then run again, leaves the table an unbroken job writes; the
 * report opens in a real headless browser (Debian's chromium) without console errors and shows its plots.
 */
class EvalIT {

    private static final Path DIR = Proc.ROOT.resolve("spark-jobs/target/it-eval");
    private static final String FASHION = "/usr/share/datasets/fashion-mnist/t10k-images-idx3-ubyte.gz";
    private static final Path RUN = DIR.resolve("run");

    @BeforeAll
    static void trainARun() throws Exception {
        Proc.run(Map.of(), 30, "rm", "-rf", DIR.toString());
        Files.createDirectories(DIR);
        Proc train = Proc.run(Map.of(), 300, "bin/wgan-spark", "train", "--out", RUN.toString(), "--iterations", "30", "data.source=" + FASHION,
                "data.limit=256", "data.block-rows=64", "data.partitions=2", "train.prior=const=16", "train.z-dim=8", "train.generator-nf=32",
                "train.critic-nf=64", "train.critic-depth=3", "train.averaging-frequency=5", "train.log-every=10", "train.eval-rows=128",
                "train.real-batch=16", "train.fake-batch=16");
        assertEquals(0, train.code(), train.err());
    }

    private static String[] score(Path table) {
        // the reference is the run's own dataset (its config.conf), its first 500 images
        return new String[] {"bin/wgan-spark", "eval", "score", "--runs", RUN.toString(), "--table", table.toString(), "--metrics",
            "image-w1,patch-w1,swd,memorization", "eval.reference.limit=500"};
    }

    /** The report's rows without the timing columns (seconds, scored_at). */
    private static List<String> rows(Path table, Path report) throws Exception {
        Proc r = Proc.run(Map.of(), 200, "bin/wgan-spark", "eval", "report", "--table", table.toString(), "--out", report.toString());
        assertEquals(0, r.code(), r.err());
        List<String> out = new ArrayList<>();
        for (String line : Files.readAllLines(report.resolve("metrics.csv"))) {
            String[] c = line.split(",");
            out.add(String.join(",", List.of(c).subList(0, 13)));
        }
        return out;
    }

    @Test
    @Timeout(900)
    void aJobKilledMidBatchThenRunAgainLeavesTheTableOfAnUnbrokenJob() throws Exception {
        Path unbroken = DIR.resolve("unbroken");
        Proc whole = Proc.run(Map.of(), 300, score(unbroken));
        assertEquals(0, whole.code(), whole.err());
        List<String> expected = rows(unbroken, DIR.resolve("report-unbroken"));
        assertEquals(1 + 3 * 4, expected.size(), String.join("\n", expected));

        Path table = DIR.resolve("killed");
        Proc killed = Proc.run(Map.of("JAVA_OPTS", "-Dwgan.fault.halt=eval-batch-written@2"), 300, score(table));
        assertEquals(137, killed.code(), killed.err());
        assertEquals(1 + 4, rows(table, DIR.resolve("report-killed")).size(), "only the first batch is in the table");
        assertTrue(Files.exists(table.resolve("_lock")), "kill -9 leaves its lock");
        Proc again = Proc.run(Map.of(), 300, score(table));
        assertEquals(0, again.code(), again.err());
        assertTrue(again.err().contains("taking over a stale lock") && again.err().contains("half-written batch"), again.err());
        assertTrue(again.out().contains("\"added\":8"), again.out());
        assertEquals(expected, rows(table, DIR.resolve("report-again")));
        try (var files = Files.list(table)) {
            assertTrue(files.noneMatch(f -> f.getFileName().toString().startsWith(".")), "no staging folder or sidecar left");
        }
    }

    @Test
    @Timeout(600)
    void theReportOpensInAHeadlessBrowserWithoutErrorsAndShowsItsPlots() throws Exception {
        Path table = DIR.resolve("browser");
        Proc s = Proc.run(Map.of(), 300, score(table));
        assertEquals(0, s.code(), s.err());
        Path report = DIR.resolve("report-browser");
        rows(table, report);
        Path shot = DIR.resolve("report.png");
        Proc chromium = Proc.run(Map.of(), 120, "chromium", "--headless", "--no-sandbox", "--disable-gpu", "--hide-scrollbars",
                "--enable-logging=stderr", "--v=0", "--window-size=1200,2400", "--screenshot=" + shot, report.resolve("index.html").toUri().toString());
        assertEquals(0, chromium.code(), chromium.err());
        assertTrue(chromium.err().lines().noneMatch(l -> l.contains("CONSOLE") || l.contains("Uncaught") || l.contains("net::ERR")), chromium.err());
        BufferedImage image = ImageIO.read(shot.toFile());
        // the plots' first series is drawn in the palette's blue (0x1f77b4): a page without plots has none
        int blue = 0;
        for (int y = 0; y < image.getHeight(); y++) {
            for (int x = 0; x < image.getWidth(); x++) {
                int rgb = image.getRGB(x, y) & 0xffffff;
                int dr = Math.abs((rgb >> 16) - 0x1f);
                int dg = Math.abs(((rgb >> 8) & 0xff) - 0x77);
                int db = Math.abs((rgb & 0xff) - 0xb4);
                blue += dr + dg + db < 40 ? 1 : 0;
            }
        }
        assertTrue(blue > 500, "blue plot pixels in the screenshot: " + blue);
    }
}
