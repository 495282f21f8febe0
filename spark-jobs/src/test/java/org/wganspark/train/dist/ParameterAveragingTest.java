package org.wganspark.train.dist;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.apache.spark.api.java.JavaRDD;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.wganspark.data.FloatBlock;
import org.wganspark.model.Networks;
import org.wganspark.model.Prior;
import org.wganspark.spark.TestSpark;
import org.wganspark.train.local.LocalTrainer;
import org.wganspark.train.local.LocalTrainerTest;

class ParameterAveragingTest {

    private static final LocalTrainer.Options OPTIONS = new LocalTrainer.Options(10, 0, 2, 32, 16, false, 1e-2);

    /** Rows of a 2-D point set as cached-data blocks, split into contiguous partitions. */
    static JavaRDD<FloatBlock> blocks(INDArray data, int partitions) {
        float[] v = data.dup('c').data().asFloat();
        int n = (int) data.rows();
        List<FloatBlock> list = new ArrayList<>();
        for (int p = 0; p < partitions; p++) {
            int from = n * p / partitions;
            int to = n * (p + 1) / partitions;
            list.add(new FloatBlock(from, to - from, 2, Arrays.copyOfRange(v, from * 2, to * 2)));
        }
        return TestSpark.context().parallelize(list, partitions);
    }

    /** The ring test's networks (generator seed, critic seed + 1), their setup and their state at step 0. */
    private record Start(TrainingSetup setup, TrainingState state) {
    }

    private static Start start(long generatorSeed) {
        MultiLayerNetwork g = Networks.fcGenerator(4, 32, 3, 2, 1e-4, generatorSeed, DataType.FLOAT);
        MultiLayerNetwork d = Networks.fcCritic(2, 32, 3, 1e-3, generatorSeed + 1, DataType.FLOAT);
        return new Start(setup(g, d), TrainingState.of(g, d, 0, 0));
    }

    private static TrainingSetup setup(MultiLayerNetwork g, MultiLayerNetwork d) {
        return new TrainingSetup(g.getLayerWiseConfigurations().toJson(), d.getLayerWiseConfigurations().toJson(), "const=16", 4, 31,
                OPTIONS);
    }

    @Test
    void oneWorkerFollowsTheSingleJvmTrajectoryBitForBit() {
        INDArray data = LocalTrainerTest.ring(6);
        Start begin = start(31);
        TrainingSetup setup = begin.setup();
        TrainingState state = begin.state();
        // the reference: one JVM, the same networks, reseeded at the start of every round as a worker would be
        MultiLayerNetwork[] local = NetworkStates.networksAt(setup, state);
        LocalTrainer reference = new LocalTrainer(local[0], local[1], Prior.parse("const=16", 4, 31), OPTIONS, 0);
        try (ParameterAveraging engine = new ParameterAveraging(TestSpark.context(), blocks(data, 1), 2, setup)) {
            // what `train` does before its clock starts: shard and networks cached, kernels warmed; no bit may change
            assertEquals(data.rows(), engine.prepare(state));
            for (int round = 0; round < 4; round++) {
                state = engine.round(state, round, 3);
                reference.reseed(LocalTrainer.roundSeed(31, round, 0));
                for (int k = 0; k < 3; k++) {
                    reference.step(data);
                }
            }
        }
        assertEquals(12, state.criticSteps());
        assertEquals(6, state.generatorSteps());
        TrainingState expected = TrainingState.of(local[0], local[1], reference.criticSteps(), reference.generatorSteps());
        assertArrayEquals(expected.generator(), state.generator(), 0f);
        assertArrayEquals(expected.critic(), state.critic(), 0f);
        assertArrayEquals(expected.criticAdam(), state.criticAdam(), 0f);
    }

    @Test
    void consecutiveRoundsInOneTaskGiveTheRoundByRoundNumbers() {
        INDArray data = LocalTrainerTest.ring(8);
        Start begin = start(51);
        TrainingSetup setup = begin.setup();
        TrainingState start = begin.state();
        for (int partitions = 1; partitions <= 2; partitions++) {
            try (ParameterAveraging engine = new ParameterAveraging(TestSpark.context(), blocks(data, partitions), 2, setup)) {
                assertEquals(data.rows(), engine.prepare(start), "rows cached over " + partitions + " partitions");
                TrainingState byRound = start;
                int[] steps = {3, 3, 2};
                for (int k = 0; k < steps.length; k++) {
                    byRound = engine.round(byRound, 5 + k, steps[k]);
                }
                TrainingState batched = engine.rounds(start, 5, steps, Double.POSITIVE_INFINITY);
                assertEquals(8, batched.criticSteps());
                assertSameBits(byRound, batched);
                // a bound every loss exceeds: the batch ends after its first round, as the driver would stop there
                assertEquals(3, engine.rounds(start, 5, steps, 1e-30).criticSteps());
            }
        }
    }

    @Test
    void twoWorkersAverageTheirShardsAndRetriesRepeatTheRound() {
        INDArray data = LocalTrainerTest.ring(7);
        Start begin = start(41);
        TrainingSetup setup = begin.setup();
        TrainingState start = begin.state();
        try (ParameterAveraging engine = new ParameterAveraging(TestSpark.context(), blocks(data, 2), 2, setup)) {
            TrainingState once = engine.round(start, 0, 4);
            TrainingState again = engine.round(start, 0, 4);  // what a retried round computes
            assertArrayEquals(once.generator(), again.generator(), 0f);
            assertArrayEquals(once.critic(), again.critic(), 0f);
            assertFalse(Arrays.equals(start.critic(), once.critic()));
            for (float v : once.critic()) {
                assertTrue(Float.isFinite(v));
            }
        }
    }

    @Test
    void workersAveragingAmongThemselvesGiveTheDriversNumbers() {
        INDArray data = LocalTrainerTest.ring(9);
        Start begin = start(61);
        TrainingSetup setup = begin.setup();
        TrainingState start = begin.state();
        int[] steps = {3, 2, 3};
        TrainingState byDriver;
        try (ParameterAveraging engine = new ParameterAveraging(TestSpark.context(), blocks(data, 2), 2, setup)) {
            assertFalse(engine.batchesRounds());
            byDriver = engine.rounds(start, 2, steps, Double.POSITIVE_INFINITY);
        }
        try (ParameterAveraging engine = new ParameterAveraging(TestSpark.context(), blocks(data, 2), 2, setup)
                .exchange(ParameterAveraging.Exchange.PEERS)) {
            assertTrue(engine.batchesRounds());
            TrainingState byPeers = engine.rounds(start, 2, steps, Double.POSITIVE_INFINITY);
            assertEquals(8, byPeers.criticSteps());
            assertSameBits(byDriver, byPeers);
            assertFalse(Arrays.equals(start.critic(), byPeers.critic()));
            // every worker sees the same average, so all stop at the same round: here the first
            assertEquals(3, engine.rounds(start, 2, steps, 1e-30).criticSteps());
        }
    }

    @Test
    void averageSumsEachElementInDoubleInPartitionOrder() {
        // 1e8 + 1 - 1e8 is 0 in float and 1 in double: a float accumulator would give 0 here, not 1/3
        TrainingState a = state(new float[] {1e8f, 1f, 3f}, 1.0, new float[] {2f});
        TrainingState b = state(new float[] {1f, 1f, 4f}, 2.0, new float[] {4f});
        TrainingState c = state(new float[] {-1e8f, 1f, 5f}, 6.0, new float[] {9f});
        TrainingState mean = TrainingState.average(List.of(a, b, c));
        assertArrayEquals(new float[] {(float) (1.0 / 3), 1f, 4f}, mean.generator(), 0f);
        assertArrayEquals(new float[] {(float) (1.0 / 3), 1f, 4f}, mean.criticAdam(), 0f);
        assertArrayEquals(new float[] {5f}, mean.criticSpectral(), 0f);
        assertEquals(3.0, mean.criticLoss(), 0.0);
        assertEquals(7, mean.criticSteps());
    }

    /** Generator steps, both networks' parameters and Adam moments, and the critic loss: bit for bit. */
    private static void assertSameBits(TrainingState expected, TrainingState actual) {
        assertEquals(expected.generatorSteps(), actual.generatorSteps());
        assertArrayEquals(expected.generator(), actual.generator(), 0f);
        assertArrayEquals(expected.generatorAdam(), actual.generatorAdam(), 0f);
        assertArrayEquals(expected.critic(), actual.critic(), 0f);
        assertArrayEquals(expected.criticAdam(), actual.criticAdam(), 0f);
        assertEquals(expected.criticLoss(), actual.criticLoss(), 0.0);
    }

        private static TrainingState state(float[] values, double loss, float[] spectral) {
        return new TrainingState(values.clone(), values.clone(), values.clone(), values.clone(), 7, 1, loss, spectral);
    }
}
