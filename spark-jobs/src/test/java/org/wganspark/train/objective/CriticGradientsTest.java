package org.wganspark.train.objective;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.wganspark.model.Networks;
import org.wganspark.train.local.LocalTrainer;
import org.wganspark.train.step.CriticStep;
import org.wganspark.train.step.Kernels;
import org.wganspark.train.step.StepKernels;

class CriticGradientsTest {

    @Test
    void penaltyGradientMatchesBruteForceDifferences() {
        Nd4j.getRandom().setSeed(1);
        MultiLayerNetwork critic = Networks.fcCritic(6, 16, 3, 1e-3, 7, DataType.DOUBLE);
        INDArray xhat = Nd4j.rand(DataType.DOUBLE, 5, 6).subi(0.5).muli(4);
        assertPenaltyGradientMatchesBruteForce(critic, xhat);  // the exact path
        INDArray differences = CriticGradients.differencePenaltyGradient(critic, xhat, 10, 1e-4);
        INDArray exact = CriticGradients.penaltyGradient(critic, xhat, 10, 1e-4);
        assertTrue(differences.sub(exact).norm2Number().doubleValue() < 1e-7 * exact.norm2Number().doubleValue());
    }

    @Test
    void penaltyGradientOfTheCnnPatchCriticMatchesBruteForceDifferences() {
        Nd4j.getRandom().setSeed(4);
        MultiLayerNetwork critic = Networks.cnnCritic(new org.wganspark.data.ImageShape(1, 9, 9), 3, 2, 3, true, 1e-3, 8, DataType.DOUBLE);
        assertPenaltyGradientMatchesBruteForce(critic, Nd4j.rand(DataType.DOUBLE, 4, 81).subi(0.5).muli(2));
    }

    @Test
    void penaltyGradientOfTheDcganCriticMatchesBruteForceDifferences() {
        Nd4j.getRandom().setSeed(5);
        MultiLayerNetwork critic = Networks.dcganCritic(new org.wganspark.data.ImageShape(1, 8, 8), 2, 1e-3, 9, DataType.DOUBLE);
        assertPenaltyGradientMatchesBruteForce(critic, Nd4j.rand(DataType.DOUBLE, 3, 64).subi(0.5).muli(2));
    }

    private static void assertPenaltyGradientMatchesBruteForce(MultiLayerNetwork critic, INDArray xhat) {
        double lambda = 10;
        INDArray fast = CriticGradients.penaltyGradient(critic, xhat, lambda, 1e-4);
        INDArray params = critic.params();  // a view: writing it moves the network
        double eps = 1e-6;
        double worst = 0;
        double scale = fast.norm2Number().doubleValue();
        for (long k = 0; k < params.length(); k++) {
            double keep = params.getDouble(k);
            params.putScalar(k, keep + eps);
            double up = lambda * CriticGradients.penalty(critic, xhat).value();
            params.putScalar(k, keep - eps);
            double down = lambda * CriticGradients.penalty(critic, xhat).value();
            params.putScalar(k, keep);
            double brute = (up - down) / (2 * eps);
            worst = Math.max(worst, Math.abs(brute - fast.getDouble(k)));
        }
        assertTrue(scale > 1e-3, "a penalty gradient that vanishes tests nothing: " + scale);
        assertTrue(worst / scale < 1e-6, "worst deviation " + worst + " against gradient norm " + scale);
    }

    @Test
    void theMergedPassEqualsTheLossAndPenaltyGradientsComputedApart() {
        Nd4j.getRandom().setSeed(6);
        MultiLayerNetwork critic = Networks.fcCritic(5, 12, 3, 1e-3, 4, DataType.DOUBLE);
        INDArray real = Nd4j.rand(DataType.DOUBLE, 6, 5);
        INDArray fake = Nd4j.rand(DataType.DOUBLE, 4, 5).subi(1);  // unequal batches: real row i meets fake row i mod 4
        INDArray alpha = Nd4j.rand(DataType.DOUBLE, 6, 1);
        INDArray[] merged = CriticGradients.wganGp(critic, real, fake, alpha, 10, 1e-4);
        INDArray errors = Nd4j.vstack(Nd4j.valueArrayOf(new long[] {6, 1}, -1.0 / 6, DataType.DOUBLE), Nd4j.valueArrayOf(new long[] {4, 1}, 0.25, DataType.DOUBLE));
        INDArray[] loss = CriticGradients.backprop(critic, Nd4j.vstack(real, fake), errors);
        INDArray partner = fake.getRows(0, 1, 2, 3, 0, 1);
        INDArray xhat = real.mulColumnVector(alpha).addi(partner.mulColumnVector(alpha.rsub(1)));
        INDArray apart = loss[0].add(CriticGradients.penaltyGradient(critic, xhat, 10, 1e-4));
        assertTrue(merged[0].sub(apart).norm2Number().doubleValue() < 1e-9 * apart.norm2Number().doubleValue(),
                merged[0] + " vs " + apart);
        double value = loss[2].get(org.nd4j.linalg.indexing.NDArrayIndex.interval(6, 10)).meanNumber().doubleValue()
                - loss[2].get(org.nd4j.linalg.indexing.NDArrayIndex.interval(0, 6)).meanNumber().doubleValue()
                + 10 * CriticGradients.penalty(critic, xhat).value();
        assertEquals(value, merged[1].getDouble(0), 1e-12);
    }

    @Test
    void theMergedPassKeepsTheLossGradientWhenThePenaltyTakesDifferences() {
        // a Tanh output is not piecewise linear: the penalty takes the differences, which backpropagate through this
        // double critic itself, over the gradient view that holds the loss's gradient meanwhile
        Nd4j.getRandom().setSeed(7);
        MultiLayerNetwork critic = Networks.fcGenerator(5, 12, 3, 1, 1e-3, 4, DataType.DOUBLE);
        assertTrue(FcPenalty.of(critic) == null && LinearizedPenalty.of(critic, java.util.function.UnaryOperator.identity()) == null);
        INDArray real = Nd4j.rand(DataType.DOUBLE, 6, 5);
        INDArray fake = Nd4j.rand(DataType.DOUBLE, 6, 5).subi(1);
        INDArray alpha = Nd4j.rand(DataType.DOUBLE, 6, 1);
        INDArray[] merged = CriticGradients.wganGp(critic, real, fake, alpha, 10, 1e-6);
        INDArray errors = Nd4j.vstack(Nd4j.valueArrayOf(new long[] {6, 1}, -1.0 / 6, DataType.DOUBLE), Nd4j.valueArrayOf(new long[] {6, 1}, 1.0 / 6, DataType.DOUBLE));
        INDArray loss = CriticGradients.backprop(critic, Nd4j.vstack(real, fake), errors)[0];
        INDArray xhat = real.mulColumnVector(alpha).addi(fake.mulColumnVector(alpha.rsub(1)));
        INDArray penalty = CriticGradients.differencePenaltyGradient(critic, xhat, 10, 1e-6);
        assertTrue(penalty.norm2Number().doubleValue() > 1e-3 * loss.norm2Number().doubleValue(), "a vanishing penalty gradient tests nothing");
        INDArray apart = loss.add(penalty.reshape(loss.shape()));
        assertTrue(merged[0].sub(apart).norm2Number().doubleValue() < 1e-12 * apart.norm2Number().doubleValue(), merged[0] + " vs " + apart);
    }

    @Test
    void theCriticLossGradientIsTheDerivativeOfTheLoss() {
        Nd4j.getRandom().setSeed(2);
        MultiLayerNetwork critic = Networks.fcCritic(4, 8, 3, 1e-3, 3, DataType.DOUBLE);
        INDArray real = Nd4j.rand(DataType.DOUBLE, 6, 4);
        INDArray fake = Nd4j.rand(DataType.DOUBLE, 6, 4).subi(1);
        INDArray alpha = Nd4j.valueArrayOf(new long[] {6, 1}, 0.3, DataType.DOUBLE);
        INDArray[] r = CriticGradients.wganGp(critic, real, fake, alpha, 10, 1e-4);
        INDArray params = critic.params();
        long k = 5;
        double keep = params.getDouble(k);
        params.putScalar(k, keep + 1e-6);
        double up = CriticGradients.wganGp(critic, real, fake, alpha, 10, 1e-4)[1].getDouble(0);
        params.putScalar(k, keep - 1e-6);
        double down = CriticGradients.wganGp(critic, real, fake, alpha, 10, 1e-4)[1].getDouble(0);
        params.putScalar(k, keep);
        assertEquals((up - down) / 2e-6, r[0].getDouble(k), 1e-6 * Math.max(1, Math.abs(r[0].getDouble(k))));
    }

    @Test
    void theGeneratorGradientIsTheDerivativeOfMinusTheMeanScore() {
        Nd4j.getRandom().setSeed(3);
        MultiLayerNetwork g = Networks.fcGenerator(3, 8, 3, 4, 1e-3, 5, DataType.DOUBLE);
        MultiLayerNetwork d = Networks.fcCritic(4, 8, 3, 1e-3, 6, DataType.DOUBLE);
        INDArray z = Nd4j.randn(DataType.DOUBLE, 7, 3);
        INDArray[] r = LocalTrainer.generatorGradient(g, d, z, Kernels.AUTO);
        double worst = worstDeviation(g.params(), r[0], 7, () -> -d.output(g.output(z)).meanNumber().doubleValue());
        assertTrue(worst < 1e-7, "worst deviation " + worst);
        assertEquals(-d.output(g.output(z)).meanNumber().doubleValue(), r[1].getDouble(0), 1e-12);
    }

    @Test
    void theNonSaturatingLossesGradientsAreTheirDerivatives() {
        Nd4j.getRandom().setSeed(5);
        MultiLayerNetwork critic = Networks.fcCritic(4, 8, 3, 1e-3, 9, DataType.DOUBLE);
        INDArray real = Nd4j.rand(DataType.DOUBLE, 6, 4);
        INDArray fake = Nd4j.rand(DataType.DOUBLE, 5, 4).subi(1);
        INDArray alpha = Nd4j.valueArrayOf(new long[] {6, 1}, 0.4, DataType.DOUBLE);
        INDArray[] r = CriticGradients.nonSaturating(critic, real, fake, alpha, 0, 1e-4);
        double worst = worstDeviation(critic.params(), r[0], 5,
                () -> CriticGradients.nonSaturating(critic, real, fake, alpha, 0, 1e-4)[1].getDouble(0));
        assertTrue(worst < 1e-7, "critic: worst deviation " + worst);
        // log 2 per row when the critic says 0 everywhere: a value check of the loss itself
        critic.params().assign(0);
        assertEquals(2 * Math.log(2), CriticGradients.nonSaturating(critic, real, fake, alpha, 0, 1e-4)[1].getDouble(0), 1e-12);

        MultiLayerNetwork g = Networks.fcGenerator(3, 8, 3, 4, 1e-3, 5, DataType.DOUBLE);
        MultiLayerNetwork d = Networks.fcCritic(4, 8, 3, 1e-3, 6, DataType.DOUBLE);
        INDArray z = Nd4j.randn(DataType.DOUBLE, 7, 3);
        INDArray[] gr = LocalTrainer.generatorGradient(g, StepKernels.critic(d, new CriticStep.Loss(true, 0, 0), Kernels.AUTO), z);
        worst = worstDeviation(g.params(), gr[0], 7,
                () -> org.nd4j.linalg.ops.transforms.Transforms.softPlus(d.output(g.output(z)).neg(), false).meanNumber().doubleValue());
        assertTrue(worst < 1e-7, "generator: worst deviation " + worst);
    }

    /** The largest |central difference - gradient| over every {@code stride}-th parameter (params is the network's view). */
    private static double worstDeviation(INDArray params, INDArray gradient, int stride, java.util.function.DoubleSupplier loss) {
        double worst = 0;
        for (long k = 0; k < params.length(); k += stride) {
            double keep = params.getDouble(k);
            params.putScalar(k, keep + 1e-6);
            double up = loss.getAsDouble();
            params.putScalar(k, keep - 1e-6);
            double down = loss.getAsDouble();
            params.putScalar(k, keep);
            worst = Math.max(worst, Math.abs((up - down) / 2e-6 - gradient.getDouble(k)));
        }
        return worst;
    }

    /**
     * A float critic of the Fig. 5 shape (narrower) on 32 interpolates in [-1, 1]^784: the exact penalty gradient
     * ({@link FcPenalty}, in float) equals the finite differences through the double twin at h = 1e-6, an independent
     * computation (DL4J's backprop), and its value equals DL4J's. The float differences at the old step 0.01 are far
     * off (kinks crossed).
     */
    @Test
    void theFloatCriticsExactPenaltyGradientAgreesWithDoubleDifferences() {
        Nd4j.getRandom().setSeed(21);
        MultiLayerNetwork critic = Networks.fcCritic(784, 256, 4, 1e-3, 21, DataType.FLOAT);
        INDArray xhat = Nd4j.rand(DataType.FLOAT, 32, 784).muli(2).subi(1);
        double lambda = 10;
        CriticGradients.PenaltyGradient exact = FcPenalty.of(critic).penaltyGradient(xhat, lambda);
        assertEquals(DataType.FLOAT, exact.gradient().dataType());
        assertEquals(lambda * CriticGradients.penalty(critic, xhat).value(), exact.value(), 1e-5 * exact.value());
        INDArray reference = CriticGradients.differencePenaltyGradient(critic, xhat, lambda, 1e-6).castTo(DataType.DOUBLE);
        INDArray ours = CriticGradients.penaltyGradient(critic, xhat, lambda, 1e-6).castTo(DataType.DOUBLE);
        double error = ours.sub(reference).norm2Number().doubleValue() / reference.norm2Number().doubleValue();
        assertTrue(error < 1e-4, "relative error " + error);

        // the float rows at h = 0.01 (what this class did before the double twin): kink crossings dominate
        CriticGradients.Penalty p = CriticGradients.penalty(critic, xhat);
        INDArray u = p.gradients().divColumnVector(p.norms()).muli(0.01);
        INDArray c = p.norms().sub(1).muli(2 * lambda / 32 / 0.02);
        INDArray floatRows = CriticGradients.backprop(critic, Nd4j.vstack(xhat.add(u), xhat.sub(u)), Nd4j.vstack(c, c.neg()))[0];
        double floatError = floatRows.castTo(DataType.DOUBLE).sub(reference).norm2Number().doubleValue() / reference.norm2Number().doubleValue();
        System.out.printf("[CriticGradientsTest] penalty gradient vs double differences at 1e-6: exact float %.2e, float rows h 0.01 %.2e%n",
                error, floatError);
        assertTrue(floatError > 10 * error, "float rows at h = 0.01: relative error " + floatError + ", ours " + error);
    }

    /**
     * The Fig. 7 CNN+GAP critic in float (28 x 28, three stride-2 3 x 3 convolutions, 64-128-256 channels, ReLU) and
     * the DCGAN critic: the linearized exact gradient equals the double differences at h = 1e-6.
     */
    @Test
    void theFloatConvolutionCriticsExactPenaltyGradientsAgreeWithDoubleDifferences() {
        Nd4j.getRandom().setSeed(22);
        org.wganspark.data.ImageShape shape = new org.wganspark.data.ImageShape(1, 28, 28);
        MultiLayerNetwork[] critics = {Networks.cnnCritic(shape, 64, 3, 3, true, 1e-3, 22, DataType.FLOAT),
            Networks.cnnCritic(shape, 16, 3, 3, false, 1e-3, 23, DataType.FLOAT), Networks.dcganCritic(shape, 16, 1e-3, 24, DataType.FLOAT),
            Networks.cnnCritic(shape, 16, 3, 3, 1, true, 1e-3, 25, DataType.FLOAT)};
        INDArray xhat = Nd4j.rand(DataType.FLOAT, 16, 784).muli(2).subi(1);
        for (MultiLayerNetwork critic : critics) {
            INDArray before = critic.output(xhat, false).dup();
            LinearizedPenalty linearized = LinearizedPenalty.of(critic, java.util.function.UnaryOperator.identity());
            assertTrue(linearized != null && FcPenalty.of(critic) == null);
            CriticGradients.PenaltyGradient exact = linearized.penaltyGradient(xhat, 10);
            assertEquals(DataType.FLOAT, exact.gradient().dataType());
            assertEquals(10 * CriticGradients.penalty(critic, xhat).value(), exact.value(), 1e-5 * exact.value());
            INDArray reference = CriticGradients.differencePenaltyGradient(critic, xhat, 10, 1e-6).castTo(DataType.DOUBLE);
            double error = exact.gradient().castTo(DataType.DOUBLE).sub(reference).norm2Number().doubleValue() / reference.norm2Number().doubleValue();
            System.out.printf("[CriticGradientsTest] %s critic: linearized penalty gradient vs double differences %.2e%n",
                    critic.getLayer(critic.getnLayers() - 2).getClass().getSimpleName(), error);
            assertTrue(error < 1e-4, "relative error " + error);
            // the twin's identity activations are its own: the critic computes what it did
            assertEquals(before, critic.output(xhat, false));
        }
    }

    @Test
    void theLinearizedPathEqualsTheDenseOneOnAnFcCritic() {
        Nd4j.getRandom().setSeed(23);
        MultiLayerNetwork critic = Networks.fcCritic(7, 9, 3, 1e-3, 2, DataType.DOUBLE);
        INDArray xhat = Nd4j.rand(DataType.DOUBLE, 5, 7).subi(0.5).muli(3);
        CriticGradients.PenaltyGradient dense = FcPenalty.of(critic).penaltyGradient(xhat, 10);
        CriticGradients.PenaltyGradient linearized = LinearizedPenalty.of(critic, java.util.function.UnaryOperator.identity()).penaltyGradient(xhat, 10);
        assertEquals(dense.value(), linearized.value(), 1e-12 * dense.value());
        assertTrue(dense.gradient().sub(linearized.gradient()).norm2Number().doubleValue() < 1e-12 * dense.gradient().norm2Number().doubleValue());
    }

    @Test
    void onlyPiecewiseLinearCriticsTakeAnExactPath() {
        assertTrue(FcPenalty.of(Networks.fcCritic(6, 8, 3, 1e-3, 1, DataType.FLOAT)) != null);
        assertTrue(FcPenalty.of(Networks.cnnCritic(new org.wganspark.data.ImageShape(1, 9, 9), 3, 2, 3, true, 1e-3, 8, DataType.FLOAT)) == null);
        assertTrue(FcPenalty.of(Networks.dcganCritic(new org.wganspark.data.ImageShape(1, 8, 8), 2, 1e-3, 9, DataType.FLOAT)) == null);
        // a generator's Tanh output is not piecewise linear
        assertTrue(FcPenalty.of(Networks.fcGenerator(3, 8, 3, 4, 1e-3, 5, DataType.FLOAT)) == null);
        assertTrue(LinearizedPenalty.of(Networks.fcGenerator(3, 8, 3, 4, 1e-3, 5, DataType.FLOAT), java.util.function.UnaryOperator.identity()) == null);
    }
}
