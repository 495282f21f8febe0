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
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.wganspark.data.ImageShape;
import org.wganspark.model.Networks;
import org.wganspark.train.objective.CriticGradients;
import org.wganspark.train.step.CriticStep;
import org.wganspark.train.step.Kernels;
import org.wganspark.train.step.StepKernels;

/**
 * The hand-written float convolutional critic step against DL4J's own layers in double on the same weights (DL4J's
 * backprop for the loss, {@link LinearizedPenalty} for the penalty; our convolutions stand aside for doubles).
 */
class ConvCriticStepTest {

    private static final ImageShape MNIST = new ImageShape(1, 28, 28);

    /** Asserts the float path's gradient (every layer's part) and loss against the double reference to {@code tol}. */
    private static void agreesWithDl4j(MultiLayerNetwork critic, INDArray real, INDArray fake, INDArray alpha, double lambda, double tol) {
        assertNotNull(ConvCriticStep.of(critic));
        double value = StepKernels.critic(critic, new CriticStep.Loss(false, lambda, 1e-6), Kernels.AUTO).lossIntoGradientView(real, fake, alpha);
        INDArray gradient = critic.getFlattenedGradients().dup();
        MultiLayerNetwork twin = critic.convertDataType(DataType.DOUBLE);
        assertNull(ConvCriticStep.of(twin));
        INDArray[] reference = CriticGradients.wganGp(twin, real.castTo(DataType.DOUBLE), fake.castTo(DataType.DOUBLE),
                alpha.castTo(DataType.DOUBLE), lambda, 1e-6);
        INDArray expected = reference[0].reshape(gradient.length());
        INDArray actual = gradient.reshape(gradient.length()).castTo(DataType.DOUBLE);
        double scale = expected.norm2Number().doubleValue();
        assertTrue(scale > 0);
        double error = actual.sub(expected).norm2Number().doubleValue();
        assertTrue(error <= tol * scale, "gradient off by " + error / scale);
        // layer by layer, so that a part left at zero (a bias, the score layer) cannot hide in the others' norm
        long offset = 0;
        for (int l = 0; l < critic.getnLayers(); l++) {
            long size = critic.getLayer(l).numParams();
            if (size > 0) {
                INDArray want = expected.get(NDArrayIndex.interval(offset, offset + size));
                INDArray got = actual.get(NDArrayIndex.interval(offset, offset + size));
                double part = want.norm2Number().doubleValue();
                assertTrue(got.sub(want).norm2Number().doubleValue() <= tol * Math.max(part, 1e-3 * scale),
                        "layer " + l + " off by " + got.sub(want).norm2Number().doubleValue() / part);
            }
            offset += size;
        }
        assertEquals(reference[1].getDouble(0), value, tol * Math.abs(reference[1].getDouble(0)) + 1e-6);
    }

    private static INDArray images(int n, double low, double high) {
        return Nd4j.rand(DataType.FLOAT, n, 784).muli(high - low).addi(low);
    }

    @Test
    void theFig7CriticsAfterSomeTraining() {
        for (boolean gap : new boolean[] {true, false}) {
            Nd4j.getRandom().setSeed(11);
            MultiLayerNetwork critic = Networks.cnnCritic(MNIST, 8, 3, 3, gap, 1e-3, 3, DataType.FLOAT);
            INDArray real = images(16, -1, 1);
            INDArray fake = images(16, -0.9, 0.7);
            INDArray alpha = Nd4j.valueArrayOf(new long[] {16, 1}, 0.37, DataType.FLOAT);
            HandWrittenStepChecks.trainAwayFromInitialization(critic, real, fake, alpha);
            agreesWithDl4j(critic, real, fake, alpha, 10, 1e-4);
        }
    }

    @Test
    void paddingUnequalBatchesAndNoPenalty() {
        Nd4j.getRandom().setSeed(12);
        MultiLayerNetwork critic = Networks.cnnCritic(MNIST, 4, 2, 3, 1, true, 1e-3, 4, DataType.FLOAT);
        INDArray real = images(6, -1, 1);
        INDArray fake = images(4, -1, 0.5);  // real row i meets fake row i mod 4
        INDArray alpha = Nd4j.rand(DataType.FLOAT, 6, 1);
        agreesWithDl4j(critic, real, fake, alpha, 10, 1e-4);
        agreesWithDl4j(critic, fake, real, alpha.get(NDArrayIndex.interval(0, 4)), 10, 1e-4);  // new batch sizes, same buffers' owner
        agreesWithDl4j(critic, real, fake, alpha, 0, 1e-4);
    }

    @Test
    void theDcganCriticWithBiasedScore() {
        Nd4j.getRandom().setSeed(13);
        MultiLayerNetwork critic = Networks.dcganCritic(new ImageShape(1, 16, 16), 4, 1e-3, 5, DataType.FLOAT);
        INDArray real = Nd4j.rand(DataType.FLOAT, 5, 256).muli(2).subi(1);
        INDArray fake = Nd4j.rand(DataType.FLOAT, 5, 256).subi(0.5);
        INDArray alpha = Nd4j.rand(DataType.FLOAT, 5, 1);
        agreesWithDl4j(critic, real, fake, alpha, 10, 1e-4);
    }

    @Test
    void colourImagesThroughTheDcganCriticAndItsInputGradient() {
        // three input channels: rows are NCHW, the step's maps channels-last, so this checks the reorder both ways
        Nd4j.getRandom().setSeed(16);
        MultiLayerNetwork critic = Networks.dcganCritic(new ImageShape(3, 16, 16), 4, 1e-3, 9, DataType.FLOAT);
        INDArray real = Nd4j.rand(DataType.FLOAT, 4, 768).muli(2).subi(1);
        INDArray fake = Nd4j.rand(DataType.FLOAT, 6, 768).subi(0.5);
        INDArray alpha = Nd4j.rand(DataType.FLOAT, 4, 1);
        agreesWithDl4j(critic, real, fake, alpha, 10, 1e-4);
        INDArray[] direct = ConvCriticStep.of(critic).scoresAndInputGradient(fake, 0.5f);
        MultiLayerNetwork twin = critic.convertDataType(DataType.DOUBLE);
        INDArray expected = CriticGradients.backprop(twin, fake.castTo(DataType.DOUBLE), Nd4j.valueArrayOf(new long[] {6, 1}, 0.5, DataType.DOUBLE))[1];
        assertTrue(direct[1].castTo(DataType.DOUBLE).sub(expected).norm2Number().doubleValue() <= 1e-5 * expected.norm2Number().doubleValue());
    }

    @Test
    void theGeneratorStepsInputGradientAndScores() {
        Nd4j.getRandom().setSeed(14);
        MultiLayerNetwork critic = Networks.cnnCritic(MNIST, 6, 3, 3, true, 1e-3, 6, DataType.FLOAT);
        INDArray fake = images(7, -1, 1);
        INDArray[] direct = ConvCriticStep.of(critic).scoresAndInputGradient(fake, (float) (-1.0 / 7));
        HandWrittenStepChecks.scoresAndInputGradientAgree(direct, critic, fake, -1.0 / 7);
    }

    @Test
    void generatorPassesBetweenCriticStepsChangeNothing() {
        // the critic's 3 x 8 rows and the generator's 8 keep separate buffers: the same critic step gives the same bits
        Nd4j.getRandom().setSeed(15);
        MultiLayerNetwork critic = Networks.cnnCritic(MNIST, 4, 3, 3, true, 1e-3, 7, DataType.FLOAT);
        INDArray real = images(8, -1, 1);
        INDArray fake = images(8, -1, 0.3);
        INDArray alpha = Nd4j.rand(DataType.FLOAT, 8, 1);
        double first = StepKernels.critic(critic, new CriticStep.Loss(false, 10, 1e-6), Kernels.AUTO).lossIntoGradientView(real, fake, alpha);
        INDArray gradient = critic.getFlattenedGradients().dup();
        ConvCriticStep step = ConvCriticStep.forCritic(critic, 10).orElseThrow();
        INDArray x = images(5, 0, 1);
        INDArray[] generatorPass = step.scoresAndInputGradient(x, -0.2f);
        assertEquals(first, StepKernels.critic(critic, new CriticStep.Loss(false, 10, 1e-6), Kernels.AUTO).lossIntoGradientView(real, fake, alpha));
        assertEquals(gradient, critic.getFlattenedGradients());
        INDArray[] again = step.scoresAndInputGradient(x, -0.2f);
        assertEquals(generatorPass[0], again[0]);
        assertEquals(generatorPass[1], again[1]);
    }

    @Test
    void onlyFloatConvolutionalCriticsTakeIt() {
        assertNull(ConvCriticStep.of(Networks.fcCritic(6, 8, 3, 1e-3, 1, DataType.FLOAT)));
        assertNull(ConvCriticStep.of(Networks.cnnCritic(MNIST, 3, 2, 3, true, 1e-3, 8, DataType.DOUBLE)));
        MultiLayerNetwork critic = Networks.cnnCritic(MNIST, 3, 2, 3, true, 1e-3, 8, DataType.FLOAT);
        ConvCriticStep step = ConvCriticStep.of(critic);
        assertTrue(step.isFor(critic));
        assertTrue(!step.isFor(Networks.cnnCritic(MNIST, 3, 2, 3, true, 1e-3, 8, DataType.FLOAT)));
    }
}
