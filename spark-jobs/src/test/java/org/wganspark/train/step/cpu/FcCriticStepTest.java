package org.wganspark.train.step.cpu;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.wganspark.model.Networks;
import org.wganspark.train.local.LocalTrainer;
import org.wganspark.train.objective.CriticGradients;
import org.wganspark.train.step.CriticStep;
import org.wganspark.train.step.Kernels;
import org.wganspark.train.step.StepKernels;

/** The hand-written float FC critic step against DL4J's backprop plus the exact penalty, run in double on the same weights. */
class FcCriticStepTest {

    /** Relative difference of the float path's gradient and loss from the double reference; asserts both below tol. */
    private static void agreesWithDl4j(MultiLayerNetwork critic, INDArray real, INDArray fake, INDArray alpha, double lambda, double tol) {
        assertNotNull(FcCriticStep.of(critic));
        double value = StepKernels.critic(critic, new CriticStep.Loss(false, lambda, 1e-6), Kernels.AUTO).lossIntoGradientView(real, fake, alpha);
        INDArray gradient = critic.getFlattenedGradients().dup();
        MultiLayerNetwork twin = critic.convertDataType(DataType.DOUBLE);
        assertNull(FcCriticStep.of(twin));  // the reference goes through DL4J's own backprop
        INDArray[] reference = CriticGradients.wganGp(twin, real.castTo(DataType.DOUBLE), fake.castTo(DataType.DOUBLE),
                alpha.castTo(DataType.DOUBLE), lambda, 1e-6);
        INDArray expected = reference[0].reshape(gradient.length());
        double error = gradient.reshape(gradient.length()).castTo(DataType.DOUBLE).sub(expected).norm2Number().doubleValue();
        assertTrue(error <= tol * expected.norm2Number().doubleValue(), "gradient off by " + error / expected.norm2Number().doubleValue());
        assertEquals(reference[1].getDouble(0), value, tol * Math.abs(reference[1].getDouble(0)) + 1e-6);
        // every part of the gradient is filled: the biases' loss gradient and the weights' penalty gradient are not zero
        assertTrue(gradient.norm2Number().doubleValue() > 0);
    }

    @Test
    void unequalBatchesOnASmallCritic() {
        Nd4j.getRandom().setSeed(3);
        MultiLayerNetwork critic = Networks.fcCritic(5, 12, 3, 1e-3, 4, DataType.FLOAT);
        INDArray real = Nd4j.rand(DataType.FLOAT, 6, 5).subi(0.5);
        INDArray fake = Nd4j.rand(DataType.FLOAT, 4, 5).subi(1);  // real row i meets fake row i mod 4
        INDArray alpha = Nd4j.rand(DataType.FLOAT, 6, 1);
        agreesWithDl4j(critic, real, fake, alpha, 10, 1e-5);
        agreesWithDl4j(critic, fake, real, alpha.get(org.nd4j.linalg.indexing.NDArrayIndex.interval(0, 4)), 10, 1e-5);  // new batch sizes
        agreesWithDl4j(critic, real, fake, alpha, 0, 1e-5);  // no penalty
    }

    @Test
    void theFig5CriticAfterSomeTraining() {
        Nd4j.getRandom().setSeed(4);
        MultiLayerNetwork critic = Networks.fcCritic(784, 1024, 4, 1e-3, 5, DataType.FLOAT);
        INDArray real = Nd4j.rand(DataType.FLOAT, 64, 784).muli(2).subi(1);
        INDArray fake = Nd4j.rand(DataType.FLOAT, 64, 784).muli(1.6).subi(0.9);
        INDArray alpha = Nd4j.valueArrayOf(new long[] {64, 1}, 0.37, DataType.FLOAT);
        HandWrittenStepChecks.trainAwayFromInitialization(critic, real, fake, alpha);
        agreesWithDl4j(critic, real, fake, alpha, 10, 1e-4);
    }

    @Test
    void theGeneratorStepsInputGradientAndLoss() {
        Nd4j.getRandom().setSeed(6);
        MultiLayerNetwork critic = Networks.fcCritic(9, 20, 3, 1e-3, 4, DataType.FLOAT);
        MultiLayerNetwork generator = Networks.fcGenerator(3, 16, 2, 9, 1e-4, 5, DataType.FLOAT);
        INDArray z = Nd4j.randn(DataType.FLOAT, 7, 3);
        INDArray fake = generator.output(z, false);
        INDArray[] direct = FcCriticStep.of(critic).scoresAndInputGradient(fake, (float) (-1.0 / 7));
        MultiLayerNetwork twin = HandWrittenStepChecks.scoresAndInputGradientAgree(direct, critic, fake, -1.0 / 7);
        // the whole generator gradient: this path (float critic) against DL4J's (its double twin, generator in double too)
        INDArray[] viaDirect = LocalTrainer.generatorGradient(generator, critic, z, Kernels.AUTO);
        INDArray[] viaDl4j = LocalTrainer.generatorGradient(generator.convertDataType(DataType.DOUBLE), twin, z.castTo(DataType.DOUBLE), Kernels.PORTABLE);
        assertTrue(viaDirect[0].castTo(DataType.DOUBLE).sub(viaDl4j[0]).norm2Number().doubleValue() <= 1e-4 * viaDl4j[0].norm2Number().doubleValue());
        assertEquals(viaDl4j[1].getDouble(0), viaDirect[1].getDouble(0), 1e-5 * Math.abs(viaDl4j[1].getDouble(0)) + 1e-7);
    }

    @Test
    void theUpdaterReadsTheGradientThisPathWrites() {
        // a fresh critic: no backprop has made its gradient view yet. Adam's first step moves every parameter by
        // lr * g / (|g| + eps), about lr against the sign of its gradient
        Nd4j.getRandom().setSeed(5);
        MultiLayerNetwork critic = Networks.fcCritic(5, 12, 3, 1e-3, 4, DataType.FLOAT);
        INDArray before = critic.params().dup();
        StepKernels.critic(critic, new CriticStep.Loss(false, 10, 1e-6), Kernels.AUTO).lossIntoGradientView(Nd4j.rand(DataType.FLOAT, 6, 5),
                Nd4j.rand(DataType.FLOAT, 6, 5).subi(1), Nd4j.rand(DataType.FLOAT, 6, 1));
        float[] g = critic.getFlattenedGradients().dup().toFloatVector();
        StepKernels.optimizer(critic, Kernels.AUTO).step(critic, 0);
        float[] moved = critic.params().sub(before).toFloatVector();
        int checked = 0;
        for (int k = 0; k < g.length; k++) {
            if (Math.abs(g[k]) > 1e-4) {
                assertEquals(-1e-3 * Math.signum(g[k]), moved[k], 1e-5, "parameter " + k);
                checked++;
            }
        }
        assertTrue(checked > g.length / 2, checked + " of " + g.length);
    }

    @Test
    void onlyFloatFcCriticsTakeIt() {
        assertNull(FcCriticStep.of(Networks.fcCritic(6, 8, 3, 1e-3, 1, DataType.DOUBLE)));
        assertNull(FcCriticStep.of(Networks.cnnCritic(new org.wganspark.data.ImageShape(1, 9, 9), 3, 2, 3, true, 1e-3, 8, DataType.FLOAT)));
        assertNull(FcCriticStep.of(Networks.fcGenerator(3, 8, 3, 4, 1e-3, 5, DataType.FLOAT)));
        MultiLayerNetwork critic = Networks.fcCritic(6, 8, 3, 1e-3, 1, DataType.FLOAT);
        FcCriticStep step = FcCriticStep.of(critic);
        assertTrue(step.isFor(critic));
        assertTrue(!step.isFor(Networks.fcCritic(6, 8, 3, 1e-3, 1, DataType.FLOAT)));
    }
}
