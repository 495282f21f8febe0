package org.wganspark.train.step;

import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The critic's side of a GAN training step, for one critic network: its loss and parameter gradient, and what the
 * generator's step needs from it. Implementations: {@link PortableCriticStep} (DL4J's layers, any critic, any
 * backend) and the hand-written CPU paths of {@code train.step.cpu}; {@link StepKernels} picks one.
 */
public interface CriticStep {

    /**
     * The critic loss at a real and a fake batch, with the gradient penalty at x_hat = alpha real + (1 - alpha) fake
     * (real row i with fake row i mod m); its parameter gradient is left in the critic's gradient view (overwritten),
     * where the optimizer reads it.
     *
     * @param alpha interpolation coefficients, one per real row
     */
    double lossIntoGradientView(INDArray real, INDArray fake, INDArray alpha);

    /**
     * The generator's loss for a fake batch, -mean f(fake) (WGAN) or mean softplus(-f(fake)) (non-saturating), and its
     * gradient with respect to the fake rows; the critic's gradient view is left alone.
     */
    GeneratorSignal generatorSignal(INDArray fake);

    /** A generator loss and d loss / d fake (rows of the fake batch). */
    record GeneratorSignal(double loss, INDArray inputGradient) {
    }

    /**
     * The critic objective a step computes.
     *
     * @param nonSaturating the logistic GAN loss instead of the WGAN loss
     * @param penalty       the gradient penalty's weight lambda (0: none)
     * @param h             the finite-difference step of the penalty's gradient for critics that are not piecewise linear
     */
    record Loss(boolean nonSaturating, double penalty, double h) {
    }
}
