package org.wganspark.train.dist;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.SparkSession;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.wganspark.io.BadInputException;
import org.wganspark.model.Networks;
import org.wganspark.model.OffHeap;
import org.wganspark.model.Prior;
import org.wganspark.spark.SparkRuntime;
import org.wganspark.train.step.Kernels;

/**
 * DL4J's ParameterAveragingTrainingMaster against our own averaging engine on the W1-FE regression. DL4J's Spark
 * module needs Spark's Java serializer, so this class runs its own local session and stops it afterwards (the
 * shared Kryo session of the other tests is made again on their next use).
 */
class Dl4jRegressionTest {

    private static SparkSession session;

    @BeforeAll
    static void javaSerializerSession() {
        SparkSession.getDefaultSession().foreach(s -> {
            s.stop();
            return null;
        });
        SparkSession.clearActiveSession();
        SparkSession.clearDefaultSession();
        session = SparkRuntime.session("wgan-spark dl4j tests", "local[2]",
                Map.of("spark.serializer", "org.apache.spark.serializer.JavaSerializer", "spark.ui.enabled", "false"), false);
    }

    @AfterAll
    static void stop() {
        session.stop();
        SparkSession.clearActiveSession();
        SparkSession.clearDefaultSession();
    }

    private static JavaSparkContext sc() {
        return SparkRuntime.context(session);
    }

    private static MultiLayerNetwork generator(boolean regressionHead) {
        return Networks.fcGenerator(4, 32, 3, 6, Networks.adam(1e-2), regressionHead, 51, DataType.FLOAT);
    }

    private static TargetShard shard(int rows, long seed) {
        INDArray z = Prior.parse("normal", 4, 0).sample(rows, new SplittableRandom(seed), DataType.FLOAT);
        float[] y = new float[rows * 6];
        SplittableRandom r = new SplittableRandom(seed + 1);
        for (int k = 0; k < y.length; k++) {
            y[k] = (float) (1.6 * r.nextDouble() - 0.8);
        }
        return TargetShard.of(z, Nd4j.create(y, new long[] {rows, 6}, 'c'));
    }

    private static double relative(float[] a, float[] b) {
        double diff = 0;
        double norm = 0;
        for (int k = 0; k < a.length; k++) {
            diff += (a[k] - b[k]) * (double) (a[k] - b[k]);
            norm += a[k] * (double) a[k];
        }
        return Math.sqrt(diff / norm);
    }

    @Test
    void withOneWorkerDl4jsMasterAndOurEngineGiveTheSameGenerator() {
        MultiLayerNetwork plain = generator(false);
        MultiLayerNetwork head = generator(true);
        assertArrayEquals(OffHeap.toFloats(plain.params()), OffHeap.toFloats(head.params()), 0f, "same layout, same start");
        float[] params = OffHeap.toFloats(plain.params());
        float[] adam = NetworkStates.optimizerState(plain);
        JavaRDD<TargetShard> shards = sc().parallelize(List.of(shard(32, 3)), 1);
        try (AveragedRegression ours = new AveragedRegression(sc(), plain.getLayerWiseConfigurations().toJson(), Kernels.AUTO);
             Dl4jRegression dl4j = new Dl4jRegression(sc(), head.getLayerWiseConfigurations().toJson(), 1, 9)) {
            float[][] a = ours.fit(params, adam, 0, shards, 5);
            float[][] b = dl4j.fit(params, adam, 0, shards, 5);
            double moved = relative(a[0], params);
            assertTrue(moved > 1e-3, "the fit moved the parameters by " + moved);
            assertEquals(0, relative(a[0], b[0]), 1e-5, "parameters after 5 steps");
            assertEquals(0, relative(a[1], b[1]), 1e-4, "Adam state after 5 steps");
            // a second outer step continues Adam's bias correction at iteration 5 on both engines
            float[][] a2 = ours.fit(a[0], a[1], 5, shards, 5);
            float[][] b2 = dl4j.fit(b[0], b[1], 5, shards, 5);
            assertEquals(0, relative(a2[0], b2[0]), 1e-5, "parameters after 10 steps");
        }
    }

    @Test
    void ourEngineAveragesWhatEachWorkerFitsAlone() {
        MultiLayerNetwork plain = generator(false);
        float[] params = OffHeap.toFloats(plain.params());
        float[] adam = NetworkStates.optimizerState(plain);
        TargetShard first = shard(16, 5);
        TargetShard second = shard(16, 7);
        try (AveragedRegression ours = new AveragedRegression(sc(), plain.getLayerWiseConfigurations().toJson(), Kernels.AUTO)) {
            float[][] both = ours.fit(params, adam, 0, sc().parallelize(List.of(first, second), 2), 3);
            float[][] alone1 = ours.fit(params, adam, 0, sc().parallelize(List.of(first), 1), 3);
            float[][] alone2 = ours.fit(params, adam, 0, sc().parallelize(List.of(second), 1), 3);
            assertTrue(relative(alone1[0], alone2[0]) > 1e-4, "different shards, different fits");
            float[][] mean = Averages.meanIntoFirst(List.of(alone1, alone2));
            assertArrayEquals(mean[0], both[0], 0f);
            assertArrayEquals(mean[1], both[1], 0f);
        }
    }

    @Test
    void dl4jsEngineRefusesUnevenShards() {
        MultiLayerNetwork head = generator(true);
        String json = head.getLayerWiseConfigurations().toJson();
        try (Dl4jRegression dl4j = new Dl4jRegression(sc(), json, 2, 1)) {
            BadInputException e = org.junit.jupiter.api.Assertions.assertThrows(BadInputException.class, () -> dl4j.fit(
                    OffHeap.toFloats(head.params()), NetworkStates.optimizerState(head), 0,
                    sc().parallelize(List.of(shard(16, 1), shard(15, 2)), 2), 2));
            assertTrue(e.getMessage().contains("equal size"), e.getMessage());
        }
    }

    @Test
    void theW1FeCommandRunsItsRegressionOnDl4jsMaster(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir) throws Exception {
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        java.io.ByteArrayOutputStream err = new java.io.ByteArrayOutputStream();
        int code = org.wganspark.cli.Main.run(new String[] {"w1fe", "--out", dir.toString(), "--k", "2", "--outer-steps", "4", "--engine", "dl4j",
            "data.source=ring8", "data.limit=256", "data.partitions=2", "w1fe.log-every=2", "w1fe.eval-samples=100", "w1fe.eval-rows=200",
            "w1fe.workers=2", "w1fe.batch=32", "train.prior=normal", "train.z-dim=4", "train.generator-nf=16", "train.generator-depth=3",
            "train.critic-nf=16", "train.critic-depth=3", "train.real-batch=32", "train.fake-batch=32"},
                new java.io.PrintStream(out, true, java.nio.charset.StandardCharsets.UTF_8), new java.io.PrintStream(err, true, java.nio.charset.StandardCharsets.UTF_8));
        String text = err.toString(java.nio.charset.StandardCharsets.UTF_8);
        assertEquals(0, code, text);
        assertTrue(text.contains("engine dl4j (2 workers)"), text);
        assertEquals(3, java.nio.file.Files.readAllLines(dir.resolve("metrics.csv")).size());
        assertTrue(out.toString(java.nio.charset.StandardCharsets.UTF_8).contains("\"w1_k2\":"));
    }
}
