package org.wganspark.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.wganspark.data.FloatBlock;
import org.wganspark.data.IdxSource;
import org.wganspark.data.NpySource;
import org.wganspark.data.RowSource;
import org.wganspark.ot.patch.PatchChecksum;
import org.wganspark.ot.patch.PatchExtractor;
import org.wganspark.ot.patch.PatchGeometry;

/**
 * A real Spark standalone cluster (master + 2 one-core workers, each its own JVM, 127.0.0.1 only), started
 * with deploy/local-standalone.sh; jobs go in through bin/wgan-spark and spark-submit with the shaded jar.
 */
class StandaloneClusterIT {

    private static final String PORT = "17177";
    private static final String MASTER = "spark://127.0.0.1:" + PORT;
    private static final Path RUN = Proc.ROOT.resolve("spark-jobs/target/it-cluster");
    private static final Map<String, String> ENV = Map.of("WGAN_CLUSTER_DIR", RUN.toString(), "WGAN_MASTER_PORT", PORT,
            "WGAN_MASTER_UI_PORT", "18180", "WGAN_SUBMIT_ARGS", "--conf spark.kryo.registrationRequired=true --executor-memory 1g");
    private static final String FASHION = "/usr/share/datasets/fashion-mnist/t10k-images-idx3-ubyte.gz";

    @BeforeAll
    static void startCluster() throws Exception {
        Proc.run(ENV, 60, "deploy/local-standalone.sh", "stop");
        Proc p = Proc.run(ENV, 240, "deploy/local-standalone.sh", "start", "--workers", "2", "--cores", "1", "--memory", "1536m");
        assertEquals(0, p.code(), p.err() + p.out());
        Proc status = Proc.run(ENV, 30, "deploy/local-standalone.sh", "status");
        assertTrue(status.out().contains("worker2 pid"), status.out());
    }

    @AfterAll
    static void stopCluster() throws Exception {
        Proc.run(ENV, 60, "deploy/local-standalone.sh", "stop");
    }

    /** The local kernel's answer: pooled 7x7 stride-3 patches of the first n test images, fingerprinted. */
    private static long expectedChecksum(int n, int patch, int stride) {
        Configuration conf = new Configuration();
        RowSource s = IdxSource.open(FASHION, conf).limit(n);
        float[] images = new float[n * 784];
        s.read(0, n, n, conf).forEachRemaining(b -> System.arraycopy(b.values, 0, images, 0, b.values.length));
        PatchGeometry g = new PatchGeometry(1, 28, 28, patch, stride);
        float[] patches = new float[n * g.locations() * g.dimension()];
        PatchExtractor.pooled(images, n, g, patches);
        return PatchChecksum.of(patches, n * g.locations(), g.dimension(), 0);
    }

    private static String field(String json, String key) {
        Matcher m = Pattern.compile("\"" + key + "\":(\"[^\"]*\"|\\[[^]]*]|[^,}]*)").matcher(json);
        assertTrue(m.find(), key + " not in " + json);
        return m.group(1).replace("\"", "");
    }

    @Test
    @Timeout(300)
    void patchJobOnTwoExecutorJvmsMatchesTheLocalKernel() throws Exception {
        Path out = RUN.resolve("patches-out");
        Proc p = Proc.run(ENV, 280, "bin/wgan-spark", "--master", MASTER, "patches", "--data", FASHION, "--limit", "2000",
                "-p", "7", "-s", "3", "--out", out.toString(), "data.partitions=4", "data.block-rows=250");
        assertEquals(0, p.code(), p.err());
        String json = p.out().strip();
        assertEquals(2000L * 64, Long.parseLong(field(json, "patches")));
        assertEquals(String.format("%016x", expectedChecksum(2000, 7, 3)), field(json, "checksum"));
        String executors = field(json, "executors");
        assertFalse(executors.contains("driver"), executors);
        assertEquals(2, executors.split(",").length, "work ran on two executor JVMs: " + executors);
        // the parts the executors wrote read back as the same rows
        NpySource parts = NpySource.open(out.toString(), new Configuration());
        assertEquals(2000L * 64, parts.rows());
        List<FloatBlock> blocks = new ArrayList<>();
        parts.read(0, parts.rows(), 1 << 16, new Configuration()).forEachRemaining(blocks::add);
        long checksum = 0;
        for (FloatBlock b : blocks) {
            checksum += PatchChecksum.of(b.values, b.rows, b.cols, b.firstRow);
        }
        assertEquals(expectedChecksum(2000, 7, 3), checksum);
    }

    @Test
    @Timeout(400)
    void killingAnExecutorMidJobGivesTheSameResult() throws Exception {
        Path out = RUN.resolve("kill-out");
        Proc p = Proc.start(ENV, List.of("bin/wgan-spark", "--master", MASTER, "patches", "--data", FASHION, "--limit", "2000",
                "-p", "7", "-s", "3", "--summary-only", "--slowdown-ms", "1200", "--out", out.toString(),
                "data.partitions=4", "data.block-rows=250"));
        p.awaitErr("[spark] stage 0 started", 200);
        Thread.sleep(3000);
        killOneExecutor();
        assertEquals(0, p.waitFor(380), p.err());
        assertTrue(p.err().contains("lost"), "the driver never noticed the kill:\n" + p.err());
        assertEquals(String.format("%016x", expectedChecksum(2000, 7, 3)), field(p.out().strip(), "checksum"));
        assertEquals("128000", field(p.out().strip(), "patches"));
    }

    /** kill -9 of one executor JVM of this test cluster (a child of one of its workers). */
    private static void killOneExecutor() throws Exception {
        List<Long> workers = new ArrayList<>();
        for (String w : new String[] {"worker1.pid", "worker2.pid"}) {
            workers.add(Long.parseLong(Files.readString(RUN.resolve(w)).strip()));
        }
        List<ProcessHandle> executors = ProcessHandle.allProcesses()
                .filter(h -> h.parent().map(parent -> workers.contains(parent.pid())).orElse(false))
                .filter(h -> h.info().commandLine().orElse("").contains("CoarseGrainedExecutorBackend"))
                .toList();
        assertFalse(executors.isEmpty(), "no executor JVM found");
        ProcessHandle victim = executors.get(0);
        assertTrue(victim.destroyForcibly(), "kill -9 of executor " + victim.pid());
    }

    @Test
    @Timeout(300)
    void exactOtWithPricingOnExecutorsMatchesTheDenseSolver() throws Exception {
        Proc p = Proc.run(ENV, 280, "bin/wgan-spark", "--master", MASTER, "ot", "exact", "--x", FASHION, "--y", FASHION,
                "--limit-x", "300", "--limit-y", "200", "--candidates", "2", "--add-per-row", "2", "--dense-limit", "0");
        assertEquals(0, p.code(), p.err());
        Configuration conf = new Configuration();
        float[] all = new float[300 * 784];
        IdxSource.open(FASHION, conf).read(0, 300, 300, conf).forEachRemaining(b -> System.arraycopy(b.values, 0, all, 0, b.values.length));
        org.wganspark.ot.cost.PointSet x = new org.wganspark.ot.cost.PointSet(all, 300, 784);
        org.wganspark.ot.cost.PointSet y = new org.wganspark.ot.cost.PointSet(java.util.Arrays.copyOf(all, 200 * 784), 200, 784);
        double dense = org.wganspark.ot.exact.NetworkSimplex.solve(org.wganspark.ot.Weights.uniform(300), org.wganspark.ot.Weights.uniform(200),
                new org.wganspark.ot.cost.PairwiseCost(x, y, org.wganspark.ot.cost.Metric.EUCLIDEAN).dense(),
                org.wganspark.ot.exact.ExactOptions.defaults()).cost();
        assertEquals(dense, Double.parseDouble(field(p.out().strip(), "cost")), 1e-9 * dense);
        assertEquals("OPTIMAL", field(p.out().strip(), "status"));
        assertTrue(Integer.parseInt(field(p.out().strip(), "rounds")) > 1, p.out());
    }

    @Test
    @Timeout(300)
    void badInputOnTheClusterIsOneLineAndExit2() throws Exception {
        Path folder = RUN.resolve("mixed");
        Files.createDirectories(folder);
        javax.imageio.ImageIO.write(new java.awt.image.BufferedImage(8, 8, java.awt.image.BufferedImage.TYPE_INT_RGB), "png", folder.resolve("a.png").toFile());
        javax.imageio.ImageIO.write(new java.awt.image.BufferedImage(9, 8, java.awt.image.BufferedImage.TYPE_INT_RGB), "png", folder.resolve("b.png").toFile());
        // found on an executor, reported by the driver
        Proc p = Proc.run(ENV, 280, "bin/wgan-spark", "--master", MASTER, "data", "--data", folder.toString());
        assertEquals(2, p.code(), p.err());
        List<String> lines = p.err().lines().filter(l -> !l.startsWith("[")).toList();
        assertEquals(1, lines.size(), p.err());
        assertTrue(lines.get(0).contains("b.png") && lines.get(0).contains("9x8"), lines.get(0));
    }

    @Test
    @Timeout(300)
    void aRelativePathIsResolvedOnTheDriverBeforeItReachesTheExecutors() throws Exception {
        // the executors run in their own work folders: a path relative to where the user typed it must not reach them as such
        Path npy = RUN.resolve("relative.npy");
        byte[] pixels = new byte[40 * 28 * 28];
        for (int k = 0; k < pixels.length; k++) {
            pixels[k] = (byte) k;
        }
        String dict = "{'descr': '|u1', 'fortran_order': False, 'shape': (40, 28, 28), }";
        String header = dict + " ".repeat((64 - (10 + dict.length() + 1) % 64) % 64) + "\n";
        java.io.ByteArrayOutputStream file = new java.io.ByteArrayOutputStream();
        file.write(new byte[] {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y', 1, 0, (byte) header.length(), (byte) (header.length() >> 8)});
        file.write(header.getBytes(java.nio.charset.StandardCharsets.ISO_8859_1));
        file.write(pixels);
        Files.write(npy, file.toByteArray());
        Proc p = Proc.run(ENV, 280, "bin/wgan-spark", "--master", MASTER, "data", "--data", Proc.ROOT.relativize(npy).toString(), "data.partitions=2");
        assertEquals(0, p.code(), p.err());
        assertEquals("40", field(p.out().strip(), "rows"));
    }

    private static List<String> trainArgs(Path out, String exchange) {
        return List.of("bin/wgan-spark", "--master", MASTER, "train", "--out", out.toString(), "--overwrite", "--iterations", "120", "data.source=ring8",
                "data.limit=2000", "data.partitions=2", "train.prior=const=16", "train.z-dim=4", "train.generator-nf=32", "train.generator-depth=3",
                "train.critic-nf=32", "train.critic-depth=3", "train.real-batch=32", "train.fake-batch=16", "train.averaging-frequency=5",
                "train.log-every=40", "train.eval-rows=500", "train.exchange=" + exchange);
    }

    @Test
    @Timeout(600)
    void trainingWithAnExecutorKilledMidRunEndsWithTheSameNumbers() throws Exception {
        // uninterrupted, averaged on the driver; then killed, the workers averaging among themselves in barrier
        // stages (a lost executor fails the whole stage, which Spark reruns from the last evaluation's state)
        Proc straight = Proc.run(ENV, 280, trainArgs(RUN.resolve("train-straight"), "driver").toArray(new String[0]));
        assertEquals(0, straight.code(), straight.err());
        Proc p = Proc.start(ENV, trainArgs(RUN.resolve("train-killed"), "peers"));
        p.awaitErr("[train] step 40/120", 200);
        killOneExecutor();
        assertEquals(0, p.waitFor(380), p.err());
        assertTrue(p.err().contains("lost"), "the driver never noticed the kill:\n" + p.err());
        List<String> a = Files.readAllLines(RUN.resolve("train-straight").resolve("metrics.csv"));
        List<String> b = Files.readAllLines(RUN.resolve("train-killed").resolve("metrics.csv"));
        assertEquals(4, a.size(), String.join("\n", a));
        assertEquals(a.size(), b.size(), String.join("\n", b));
        for (int i = 1; i < a.size(); i++) {
            // every column but the wall time: W1, SWD, bound, to the last printed digit
            String[] x = a.get(i).split(",", -1);
            String[] y = b.get(i).split(",", -1);
            assertEquals(x[0], y[0]);
            assertEquals(List.of(x).subList(2, x.length), List.of(y).subList(2, y.length), "row " + i);
        }
    }
}
