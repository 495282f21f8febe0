package org.wganspark.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.hdfs.MiniDFSCluster;
import org.apache.hadoop.yarn.conf.YarnConfiguration;
import org.apache.hadoop.yarn.server.MiniYARNCluster;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A real YARN on a real HDFS: Hadoop's MiniDFSCluster and MiniYARNCluster (a ResourceManager and a NodeManager that
 * starts every container as its own process) in this JVM, on the loopback interface. Jobs go in the documented way,
 * through deploy/templates/submit-yarn.sh (bin/wgan-spark, spark-submit --master yarn with the shaded jar), with data
 * and outputs on hdfs:// paths, and their answers are checked against the same command run locally.
 */
class YarnIT {

    private static final Path RUN = Proc.ROOT.resolve("spark-jobs/target/it-yarn");
    private static final String FASHION = "/usr/share/datasets/fashion-mnist/t10k-images-idx3-ubyte.gz";
    private static MiniDFSCluster dfs;
    private static MiniYARNCluster yarn;
    private static FileSystem hdfs;
    private static final Map<String, String> ENV = new HashMap<>();

    @BeforeAll
    static void startHadoop() throws Exception {
        Proc.run(Map.of(), 60, "rm", "-rf", RUN.toString());
        Files.createDirectories(RUN.resolve("conf"));
        YarnConfiguration conf = new YarnConfiguration();
        conf.set(MiniDFSCluster.HDFS_MINIDFS_BASEDIR, RUN.resolve("dfs").toString());
        conf.setInt("dfs.replication", 1);
        dfs = new MiniDFSCluster.Builder(conf).numDataNodes(1).build();
        dfs.waitActive();
        hdfs = dfs.getFileSystem();
        conf.set("fs.defaultFS", hdfs.getUri().toString());
        conf.set("yarn.scheduler.capacity.root.queues", "default");
        conf.set("yarn.scheduler.capacity.root.default.capacity", "100");
        conf.setBoolean("yarn.nodemanager.vmem-check-enabled", false);
        conf.setBoolean("yarn.nodemanager.pmem-check-enabled", false);
        conf.setInt("yarn.nodemanager.resource.memory-mb", 8192);
        conf.setInt("yarn.nodemanager.resource.cpu-vcores", 4);
        conf.setInt("yarn.scheduler.minimum-allocation-mb", 256);
        conf.set("yarn.nodemanager.disk-health-checker.max-disk-utilization-per-disk-percentage", "99.5");
        yarn = new MiniYARNCluster("wgan-yarn-it", 1, 1, 1);
        yarn.init(conf);
        yarn.start();
        assertTrue(yarn.waitForNodeManagersToConnect(60_000), "the NodeManager never registered");
        // the client configuration a user's HADOOP_CONF_DIR holds: where HDFS and the ResourceManager are
        Configuration running = yarn.getConfig();
        Configuration core = new Configuration(false);
        core.set("fs.defaultFS", hdfs.getUri().toString());
        core.set("dfs.replication", "1");
        Configuration site = new Configuration(false);
        for (String key : new String[] {YarnConfiguration.RM_ADDRESS, YarnConfiguration.RM_SCHEDULER_ADDRESS,
                YarnConfiguration.RM_RESOURCE_TRACKER_ADDRESS, YarnConfiguration.RM_WEBAPP_ADDRESS}) {
            site.set(key, running.get(key));
        }
        for (var file : Map.of("core-site.xml", core, "yarn-site.xml", site).entrySet()) {
            try (var out = Files.newOutputStream(RUN.resolve("conf").resolve(file.getKey()))) {
                file.getValue().writeXml(out);
            }
        }
        String javaHome = System.getProperty("java.home");
        ENV.put("HADOOP_CONF_DIR", RUN.resolve("conf").toString());
        ENV.put("WGAN_SUBMIT_ARGS", "--deploy-mode client --num-executors 2 --executor-cores 1 --executor-memory 1g"
                + " --conf spark.yarn.am.memory=512m --conf spark.executor.memoryOverhead=512m --conf spark.kryo.registrationRequired=true"
                + " --conf spark.yarn.appMasterEnv.JAVA_HOME=" + javaHome + " --conf spark.executorEnv.JAVA_HOME=" + javaHome
                + " --conf spark.yarn.appMasterEnv.SPARK_LOCAL_IP=127.0.0.1 --conf spark.executorEnv.SPARK_LOCAL_IP=127.0.0.1");
        ENV.put("SPARK_LOCAL_IP", "127.0.0.1");  // the driver too: nothing leaves the loopback interface
        ENV.put("WGAN_DRIVER_MEMORY", "2g");
    }

    @AfterAll
    static void stopHadoop() {
        if (yarn != null) {
            yarn.stop();
        }
        if (dfs != null) {
            dfs.shutdown();
        }
    }

    private static String field(String json, String key) {
        Matcher m = Pattern.compile("\"" + key + "\":(\"[^\"]*\"|\\[[^]]*]|[^,}]*)").matcher(json);
        assertTrue(m.find(), key + " not in " + json);
        return m.group(1).replace("\"", "");
    }

    private static String put(String local, String name) throws Exception {
        org.apache.hadoop.fs.Path to = new org.apache.hadoop.fs.Path(hdfs.getUri() + "/data/" + name);
        hdfs.copyFromLocalFile(new org.apache.hadoop.fs.Path(local), to);
        return to.toString();
    }

    @Test
    @Timeout(600)
    void patchesOnYarnFromAndToHdfsMatchTheLocalRun() throws Exception {
        String data = put(FASHION, "t10k-images-idx3-ubyte.gz");
        String out = hdfs.getUri() + "/results/patches";
        Proc onYarn = Proc.run(ENV, 560, "deploy/templates/submit-yarn.sh", "patches", "--data", data, "--limit", "2000", "-p", "7", "-s", "3",
                "--out", out, "data.partitions=4", "data.block-rows=250");
        assertEquals(0, onYarn.code(), onYarn.err());
        String json = onYarn.out().strip();
        assertEquals(localChecksum(), field(json, "checksum"));
        assertEquals("128000", field(json, "patches"));
        String executors = field(json, "executors");
        assertFalse(executors.contains("driver"), executors);
        assertEquals(2, executors.split(",").length, "work ran in two YARN containers: " + executors);
        assertTrue(hdfs.exists(new org.apache.hadoop.fs.Path(out + "/summary.json")));
    }

    @Test
    @Timeout(600)
    void patchesWithTheDriverInAYarnContainerWriteTheLocalAnswerToHdfs() throws Exception {
        // --deploy-mode cluster: the driver runs in the application master's container, so its answer is the summary
        // it wrote to HDFS, not a line on this process's stdout
        String data = put(FASHION, "t10k-for-cluster-mode.gz");
        String out = hdfs.getUri() + "/results/patches-cluster-mode";
        Map<String, String> env = new HashMap<>(ENV);
        env.put("WGAN_SUBMIT_ARGS", ENV.get("WGAN_SUBMIT_ARGS").replace("--deploy-mode client", "--deploy-mode cluster")
                .replace("spark.yarn.am.memory=512m", "spark.driver.memory=1g"));
        Proc onYarn = Proc.run(env, 560, "deploy/templates/submit-yarn.sh", "patches", "--data", data, "--limit", "2000", "-p", "7", "-s", "3",
                "--summary-only", "--out", out, "data.partitions=4", "data.block-rows=250");
        assertEquals(0, onYarn.code(), onYarn.err());
        try (var in = hdfs.open(new org.apache.hadoop.fs.Path(out + "/summary.json"))) {
            String summary = new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
            assertEquals(localChecksum(), field(summary, "checksum"));
            assertEquals("128000", field(summary, "patches"));
        }
    }

    @Test
    @Timeout(600)
    void exactOtWithPricingInYarnContainersMatchesTheLocalRun() throws Exception {
        String data = put(FASHION, "t10k-for-ot.gz");
        String[] args = {"ot", "exact", "--limit-x", "300", "--limit-y", "200", "--candidates", "2", "--add-per-row", "2", "--dense-limit", "0"};
        Proc local = Proc.run(Map.of(), 280, concat(new String[] {"bin/wgan-spark"}, args, "--x", FASHION, "--y", FASHION));
        assertEquals(0, local.code(), local.err());
        Proc onYarn = Proc.run(ENV, 560, concat(new String[] {"deploy/templates/submit-yarn.sh"}, args, "--x", data, "--y", data));
        assertEquals(0, onYarn.code(), onYarn.err());
        double here = Double.parseDouble(field(local.out().strip(), "cost"));
        assertEquals(here, Double.parseDouble(field(onYarn.out().strip(), "cost")), 1e-12 * here);
        assertEquals("OPTIMAL", field(onYarn.out().strip(), "status"));
        assertTrue(Integer.parseInt(field(onYarn.out().strip(), "rounds")) > 1, onYarn.out());
    }

    @Test
    @Timeout(900)
    void trainingInTwoYarnContainersWithSparkAuthenticationGivesTheLocalNumbers() throws Exception {
        String[] args = {"train", "--iterations", "60", "data.source=ring8", "data.limit=2000", "data.partitions=2", "train.prior=const=16",
                "train.z-dim=4", "train.generator-nf=32", "train.generator-depth=3", "train.critic-nf=32", "train.critic-depth=3",
                "train.real-batch=32", "train.fake-batch=16", "train.averaging-frequency=5", "train.log-every=20", "train.eval-rows=500"};
        Path localRun = RUN.resolve("train-local");
        Proc local = Proc.run(Map.of(), 400, concat(new String[] {"bin/wgan-spark", "--master", "local[2]"}, args, "--out", localRun.toString()));
        assertEquals(0, local.code(), local.err());
        String yarnRun = hdfs.getUri() + "/runs/train-yarn";
        Map<String, String> env = new HashMap<>(ENV);
        env.put("WGAN_SUBMIT_ARGS", ENV.get("WGAN_SUBMIT_ARGS") + " --conf spark.authenticate=true");
        Proc onYarn = Proc.run(env, 860, concat(new String[] {"deploy/templates/submit-yarn.sh"}, args, "--out", yarnRun, "train.exchange=peers"));
        assertEquals(0, onYarn.code(), onYarn.err());
        assertTrue(onYarn.err().contains("over Spark's authenticated RPC"), onYarn.err());
        List<String> expected = withoutSeconds(Files.readAllLines(localRun.resolve("metrics.csv")));
        try (var in = hdfs.open(new org.apache.hadoop.fs.Path(yarnRun + "/metrics.csv"))) {
            List<String> got = withoutSeconds(new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8).lines().toList());
            assertEquals(4, expected.size(), String.join("\n", expected));
            assertEquals(expected, got);
        }
    }

    @Test
    @Timeout(600)
    void killingAYarnContainerMidJobGivesTheSameResult() throws Exception {
        String data = put(FASHION, "t10k-for-kill.gz");
        Proc p = Proc.start(ENV, List.of("deploy/templates/submit-yarn.sh", "patches", "--data", data, "--limit", "2000", "-p", "7", "-s", "3",
                "--summary-only", "--slowdown-ms", "1200", "--out", hdfs.getUri() + "/results/kill", "data.partitions=4", "data.block-rows=250"));
        p.awaitErr("[spark] stage 0 started", 300);
        Thread.sleep(3000);
        List<ProcessHandle> executors = ProcessHandle.allProcesses()
                .filter(h -> h.info().commandLine().orElse("").contains("YarnCoarseGrainedExecutorBackend"))
                .toList();
        assertFalse(executors.isEmpty(), "no executor container found");
        assertTrue(executors.get(0).destroyForcibly(), "kill -9 of the container's JVM");
        assertEquals(0, p.waitFor(560), p.err());
        assertTrue(p.err().contains("lost"), "the driver never noticed the kill:\n" + p.err());
        assertEquals(localChecksum(), field(p.out().strip(), "checksum"));
    }

    private static String localChecksum;

    /** The checksum of the patches job both YARN jobs run, from the same command in local mode (run once). */
    private static synchronized String localChecksum() throws Exception {
        if (localChecksum == null) {
            Proc local = Proc.run(Map.of(), 280, "bin/wgan-spark", "patches", "--data", FASHION, "--limit", "2000", "-p", "7", "-s", "3",
                    "--summary-only", "--out", RUN.resolve("local-patches").toString());
            assertEquals(0, local.code(), local.err());
            localChecksum = field(local.out().strip(), "checksum");
        }
        return localChecksum;
    }

    private static String[] concat(String[] head, String[] middle, String... tail) {
        List<String> all = new ArrayList<>(List.of(head));
        all.addAll(List.of(middle));
        all.addAll(List.of(tail));
        return all.toArray(new String[0]);
    }

    private static List<String> withoutSeconds(List<String> metrics) {
        return metrics.stream().map(l -> l.replaceFirst("^([^,]*),[^,]*,", "$1,")).toList();
    }
}
