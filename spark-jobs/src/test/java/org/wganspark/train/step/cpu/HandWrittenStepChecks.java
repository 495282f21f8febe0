package org.wganspark.train.step.cpu;

import static org.junit.jupiter.api.Assertions.assertTrue;

import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.wganspark.train.objective.CriticGradients;
import org.wganspark.train.step.CriticStep;
import org.wganspark.train.step.Kernels;
import org.wganspark.train.step.StepKernels;

/** What the tests of the hand-written critic steps (FC and convolutional) share. */
final class HandWrittenStepChecks {

    private HandWrittenStepChecks() {
    }

    /** Three WGAN-GP steps (lambda 10, Adam) on the hand-written path: away from the initialization, where every penalty term looks alike. */
    static void trainAwayFromInitialization(MultiLayerNetwork critic, INDArray real, INDArray fake, INDArray alpha) {
        for (int step = 0; step < 3; step++) {
            StepKernels.critic(critic, new CriticStep.Loss(false, 10, 1e-6), Kernels.AUTO).lossIntoGradientView(real, fake, alpha);
            StepKernels.optimizer(critic, Kernels.AUTO).step(critic, step);
        }
    }

    /**
     * Asserts the generator step's scores and input gradient (weight {@code e} per row) against DL4J's output and
     * backprop on the critic's double twin, to 1e-5 relative; returns the twin.
     */
    static MultiLayerNetwork scoresAndInputGradientAgree(INDArray[] direct, MultiLayerNetwork critic, INDArray fake, double e) {
        MultiLayerNetwork twin = critic.convertDataType(DataType.DOUBLE);
        INDArray expectedGradient = CriticGradients.backprop(twin, fake.castTo(DataType.DOUBLE),
                Nd4j.valueArrayOf(new long[] {fake.rows(), 1}, e, DataType.DOUBLE))[1];
        INDArray expectedScores = twin.output(fake.castTo(DataType.DOUBLE), false);
        assertTrue(direct[1].castTo(DataType.DOUBLE).sub(expectedGradient).norm2Number().doubleValue()
                <= 1e-5 * expectedGradient.norm2Number().doubleValue());
        assertTrue(direct[0].castTo(DataType.DOUBLE).sub(expectedScores).norm2Number().doubleValue()
                <= 1e-5 * expectedScores.norm2Number().doubleValue());
        return twin;
    }
}
