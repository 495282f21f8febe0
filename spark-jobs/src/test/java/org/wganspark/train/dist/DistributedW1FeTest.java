package org.wganspark.train.dist;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.util.Arrays;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.wganspark.model.Networks;
import org.wganspark.spark.TestSpark;
import org.wganspark.train.local.LocalTrainer;
import org.wganspark.train.local.LocalTrainerTest;
import org.wganspark.train.objective.W1Fe;
import org.wganspark.train.step.Kernels;

class DistributedW1FeTest {

    @Test
    void anOuterStepMovesBothNetworksAndARetriedStepRepeatsItBitForBit() {
        MultiLayerNetwork g = Networks.fcGenerator(4, 32, 3, 2, Networks.adam(1e-3), false, 61, DataType.FLOAT);
        MultiLayerNetwork d = Networks.fcCritic(2, 32, 3, 1e-3, 62, DataType.FLOAT);
        TrainingSetup setup = new TrainingSetup(g.getLayerWiseConfigurations().toJson(), d.getLayerWiseConfigurations().toJson(),
                "normal", 4, 63, new LocalTrainer.Options(10, 0, 5, 32, 32, false, 1e-2));
        W1Fe.Options options = new W1Fe.Options(3, 4, 0.05, 40);
        TrainingState start = TrainingState.of(g, d, 0, 0);
        try (DistributedW1Fe engine = new DistributedW1Fe(TestSpark.context(), ParameterAveragingTest.blocks(LocalTrainerTest.ring(8), 2), 2, setup, options, 2,
                new AveragedRegression(TestSpark.context(), setup.generatorJson(), Kernels.AUTO))) {
            TrainingState once = engine.step(start, 0);
            TrainingState again = engine.step(start, 0);
            assertEquals(3, once.criticSteps());
            assertEquals(4, once.generatorSteps(), "regression steps count the generator optimizer's iterations");
            assertFalse(Arrays.equals(start.critic(), once.critic()));
            assertFalse(Arrays.equals(start.generator(), once.generator()));
            assertArrayEquals(once.generator(), again.generator(), 0f);
            assertArrayEquals(once.generatorAdam(), again.generatorAdam(), 0f);
            assertArrayEquals(once.critic(), again.critic(), 0f);
            TrainingState next = engine.step(once, 1);
            assertEquals(8, next.generatorSteps());
        }
    }
}
