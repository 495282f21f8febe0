package org.wganspark.train.step.cpu;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.updater.MultiLayerUpdater;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.wganspark.model.Networks;
import org.wganspark.train.step.Dl4jOptimizer;

/** The fused Adam step against DL4J's updater: same parameters, moments and update after several steps. */
class FusedAdamTest {

    private static void assertClose(INDArray expected, INDArray actual, double tol, String what) {
        double scale = expected.norm2Number().doubleValue();
        double error = expected.sub(actual.reshape(expected.shape())).norm2Number().doubleValue();
        assertTrue(scale > 0, what + " is zero: the comparison tests nothing");
        assertTrue(error <= tol * scale, what + " off by " + error / scale);
    }

    private static void matchesDl4j(MultiLayerNetwork fused, MultiLayerNetwork reference) {
        Nd4j.getRandom().setSeed(9);
        for (int step = 0; step < 4; step++) {
            INDArray gradient = Nd4j.randn(DataType.FLOAT, 1, fused.numParams()).muli(step == 2 ? 1e-3 : 1);  // small ones too
            fused.initGradientsView();
            reference.initGradientsView();
            ((MultiLayerUpdater) fused.getUpdater()).getFlattenedGradientsView().assign(gradient);
            ((MultiLayerUpdater) reference.getUpdater()).getFlattenedGradientsView().assign(gradient);
            assertTrue(FusedAdam.tryStep(fused, step));
            Dl4jOptimizer.INSTANCE.step(reference, step);
            assertClose(reference.params(), fused.params(), 1e-6, "parameters after step " + step);
            assertClose(((MultiLayerUpdater) reference.getUpdater()).getStateViewArray(),
                    ((MultiLayerUpdater) fused.getUpdater()).getStateViewArray(), 1e-6, "Adam moments after step " + step);
            assertClose(((MultiLayerUpdater) reference.getUpdater()).getFlattenedGradientsView(),
                    ((MultiLayerUpdater) fused.getUpdater()).getFlattenedGradientsView(), 1e-6, "update after step " + step);
        }
    }

    @Test
    void criticAndGeneratorStepLikeDl4jsUpdater() {
        matchesDl4j(Networks.fcCritic(7, 16, 3, 1e-3, 3, DataType.FLOAT), Networks.fcCritic(7, 16, 3, 1e-3, 3, DataType.FLOAT));
        matchesDl4j(Networks.fcGenerator(4, 16, 2, 7, 1e-4, 4, DataType.FLOAT), Networks.fcGenerator(4, 16, 2, 7, 1e-4, 4, DataType.FLOAT));
        matchesDl4j(Networks.cnnCritic(new org.wganspark.data.ImageShape(1, 9, 9), 3, 2, 3, true, 1e-3, 8, DataType.FLOAT),
                Networks.cnnCritic(new org.wganspark.data.ImageShape(1, 9, 9), 3, 2, 3, true, 1e-3, 8, DataType.FLOAT));
    }

    @Test
    void otherNetworksKeepDl4jsPath() {
        MultiLayerNetwork inDouble = Networks.fcCritic(7, 16, 3, 1e-3, 3, DataType.DOUBLE);
        inDouble.initGradientsView();
        assertFalse(FusedAdam.tryStep(inDouble, 0));
        assertTrue(FusedAdam.forNetwork(inDouble).isEmpty());
    }
}
