package org.wganspark.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.hdfs.MiniDFSCluster;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.wganspark.data.TestFiles;
import org.wganspark.io.OutputTarget;
import org.wganspark.spark.TestSpark;

/**
 * The commands on a real HDFS: Hadoop's MiniDFSCluster (a NameNode and a DataNode in this JVM, on the loopback
 * interface) holds the inputs and receives the outputs through hdfs:// paths, and every answer is checked against the
 * same command on local files.
 */
class HdfsPathsTest {

    @TempDir
    static Path local;
    private static MiniDFSCluster cluster;
    private static FileSystem hdfs;

    @BeforeAll
    static void startHdfs() throws Exception {
        TestSpark.session();
        Configuration conf = new Configuration();
        conf.set(MiniDFSCluster.HDFS_MINIDFS_BASEDIR, local.resolve("dfs").toString());
        cluster = new MiniDFSCluster.Builder(conf).numDataNodes(1).build();
        cluster.waitActive();
        hdfs = cluster.getFileSystem();
    }

    @AfterAll
    static void stopHdfs() {
        if (cluster != null) {
            cluster.shutdown();
        }
    }

    /** The hdfs:// URI of {@code name}. */
    private static String uri(String name) {
        return hdfs.getUri() + "/" + name;
    }

    /** Copies a local file or folder to HDFS and returns its hdfs:// URI. */
    private static String put(Path file, String name) throws Exception {
        hdfs.copyFromLocalFile(new org.apache.hadoop.fs.Path(file.toUri()), new org.apache.hadoop.fs.Path(uri(name)));
        return uri(name);
    }

    private static byte[] read(String hdfsUri) throws Exception {
        try (var in = hdfs.open(new org.apache.hadoop.fs.Path(hdfsUri))) {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            in.transferTo(out);
            return out.toByteArray();
        }
    }

    /** The "stats" object of a command's JSON line: what the command found in the data, without paths. */
    private static String stats(CliTest.Run r) {
        assertEquals(0, r.code(), r.err());
        String out = r.out();
        int at = out.indexOf("\"stats\":");
        assertTrue(at >= 0, out);
        return out.substring(at);
    }

    private static Path u8(String name, int images) throws Exception {
        byte[] pixels = new byte[images * 28 * 28];
        for (int k = 0; k < pixels.length; k++) {
            pixels[k] = (byte) (k * 7 + k / 97);
        }
        return TestFiles.write(local.resolve(name), TestFiles.npy("|u1", "(" + images + ", 28, 28)", false, pixels));
    }

    @Test
    void everyReaderGivesOnHdfsWhatItGivesOnLocalFiles() throws Exception {
        Path idx = TestFiles.fashionMnistTest();
        assertEquals(stats(CliTest.run("data", "--data", idx.toString(), "--limit", "300")),
                stats(CliTest.run("data", "--data", put(idx, "t10k-images-idx3-ubyte.gz"), "--limit", "300")));
        Path npy = u8("u8.npy", 12);
        assertEquals(stats(CliTest.run("data", "--data", npy.toString())), stats(CliTest.run("data", "--data", put(npy, "u8.npy"))));
        Path parts = Files.createDirectories(local.resolve("parts"));
        Files.copy(u8("a.npy", 5), parts.resolve("part-00000.npy"));
        Files.copy(u8("b.npy", 7), parts.resolve("part-00001.npy"));
        assertEquals(stats(CliTest.run("data", "--data", parts.toString())), stats(CliTest.run("data", "--data", put(parts, "parts"))));
        Path images = Files.createDirectories(local.resolve("images"));
        for (int i = 0; i < 4; i++) {
            TestFiles.png(images.resolve("im" + i + ".png"), TestFiles.rgb(16, 16, i));
        }
        assertEquals(stats(CliTest.run("data", "--data", images.toString())), stats(CliTest.run("data", "--data", put(images, "images"))));
    }

    @Test
    void patchesAndAPlanAreWrittenToHdfsWhole() throws Exception {
        Path npy = u8("p.npy", 20);
        String input = put(npy, "p.npy");
        Path localOut = local.resolve("patches");
        assertEquals(0, CliTest.run("patches", "--data", npy.toString(), "--out", localOut.toString()).code());
        CliTest.Run onHdfs = CliTest.run("patches", "--data", input, "--out", uri("patches"));
        assertEquals(0, onHdfs.code(), onHdfs.err());
        assertEquals(Files.readString(localOut.resolve("summary.json")).replace(npy.toString(), input).replace(localOut.toString(), uri("patches")),
                new String(read(uri("patches/summary.json")), java.nio.charset.StandardCharsets.UTF_8));
        assertTrue(hdfs.exists(new org.apache.hadoop.fs.Path(uri("patches/" + OutputTarget.MARKER))));
        // nothing of the staging is left beside the output
        for (var status : hdfs.listStatus(new org.apache.hadoop.fs.Path(uri("")))) {
            assertFalse(status.getPath().getName().startsWith("."), status.getPath().toString());
        }

        String idx = put(TestFiles.fashionMnistTest(), "t10k-for-plan.gz");
        Path localPlan = local.resolve("plan");
        CliTest.Run here = CliTest.run("ot", "exact", "--x", TestFiles.fashionMnistTest().toString(), "--y", npy.toString(), "--limit-x", "30",
                "--plan-out", localPlan.toString());
        CliTest.Run there = CliTest.run("ot", "exact", "--x", idx, "--y", input, "--limit-x", "30", "--plan-out", uri("plan"));
        assertEquals(0, there.code(), there.err());
        assertEquals(CliTest.number(here.out(), "cost"), CliTest.number(there.out(), "cost"));
        Dataset<Row> a = TestSpark.session().read().parquet(localPlan.toString());
        Dataset<Row> b = TestSpark.session().read().parquet(uri("plan"));
        assertEquals(a.count(), b.count());
        assertEquals(0, a.except(b).count(), "the same plan rows");
    }

    @Test
    void aTrainRunLivesOnHdfsAndResumesThere() throws Exception {
        Path straight = local.resolve("straight");
        assertEquals(0, CliTest.run(TrainCommandTest.args(straight.toString(), 20, false)).code());
        String run = uri("runs/halves");
        CliTest.Run first = CliTest.run(TrainCommandTest.args(run, 10, false));
        assertEquals(0, first.code(), first.err());
        CliTest.Run resumed = CliTest.run(TrainCommandTest.args(run, 20, true));
        assertEquals(0, resumed.code(), resumed.err());
        assertEquals(TrainCommandTest.withoutSeconds(Files.readAllLines(straight.resolve("metrics.csv"))),
                TrainCommandTest.withoutSeconds(new String(read(run + "/metrics.csv"), java.nio.charset.StandardCharsets.UTF_8).lines().toList()));
        CliTest.assertBadInput(CliTest.run(TrainCommandTest.args(run, 10, false)), "--out", "holds a train run", "--resume");
    }

    @Test
    void evalScoreKeepsItsTableLockAndCacheOnHdfs() throws Exception {
        EvalCommandTest.data();
        Path runs = local.resolve("eval-runs/r");
        EvalCommandTest.writeSet(runs.resolve("generated-0000010.npy"), 500, 8, 1);
        EvalCommandTest.writeSet(runs.resolve("generated-0000020.npy"), 600, 8, 2);
        Path reference = local.resolve("eval-reference.npy");
        EvalCommandTest.writeReference(reference, 300);
        String hdfsRuns = put(runs, "eval-runs/r");
        String hdfsReference = put(reference, "eval-reference.npy");
        String table = uri("eval-scores");
        String[] score = {"eval", "score", "--runs", uri("eval-runs/*"), "--reference", hdfsReference, "--table", table, "--metrics", "image-w1,swd",
            "eval.floor=none"};
        CliTest.Run first = CliTest.run(score);
        assertEquals(0, first.code(), first.err());
        assertEquals(4, (long) CliTest.number(first.out(), "added"), first.out());
        assertTrue(hdfs.exists(new org.apache.hadoop.fs.Path(table + "/_cache")), "the reference is cached beside the table");
        assertFalse(hdfs.exists(new org.apache.hadoop.fs.Path(table + "/_lock")), "the lock is released");
        CliTest.Run again = CliTest.run(score);
        assertEquals(0, (long) CliTest.number(again.out(), "added"), again.out());

        try (var out = hdfs.create(new org.apache.hadoop.fs.Path(table + "/_lock"), false)) {
            out.write(("{\"host\":\"" + java.net.InetAddress.getLocalHost().getHostName() + "\",\"pid\":" + ProcessHandle.current().pid()
                    + ",\"started\":\"then\"}").getBytes(java.nio.charset.StandardCharsets.UTF_8));
        }
        CliTest.Run busy = CliTest.run(score);
        assertEquals(ExitCodes.BUSY, busy.code(), busy.err());
        hdfs.delete(new org.apache.hadoop.fs.Path(table + "/_lock"), false);

        // the same scores as on local files
        Path localTable = local.resolve("eval-scores");
        CliTest.Run here = CliTest.run("eval", "score", "--runs", local.resolve("eval-runs/*").toString(), "--reference", reference.toString(), "--table",
                localTable.toString(), "--metrics", "image-w1,swd", "eval.floor=none");
        assertEquals(0, here.code(), here.err());
        Dataset<Row> a = TestSpark.session().read().parquet(localTable.resolve("*.parquet").toString()).select("step", "metric", "value");
        Dataset<Row> b = TestSpark.session().read().parquet(table + "/*.parquet").select("step", "metric", "value");
        assertEquals(4, b.count());
        assertEquals(0, a.except(b).count(), "the same values");
        assertTrue(hdfsRuns.startsWith("hdfs://"));
    }

    @Test
    void badInputOnHdfsIsOneLine() throws Exception {
        CliTest.assertBadInput(CliTest.run("data", "--data", uri("nowhere.npy")), uri("nowhere.npy"));
        byte[] whole = TestFiles.npy("<f4", "(1000, 784)", false, new byte[4 * 784]);  // the header claims 1000 rows, the file holds 1
        String cut = put(TestFiles.write(local.resolve("cut.npy"), whole), "cut.npy");
        CliTest.assertBadInput(CliTest.run("data", "--data", cut), "cut.npy");
    }
}
