package org.wganspark.train.step.cpu;

import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.wganspark.train.step.CriticStep;

/**
 * What the hand-written critic steps share: the penalty weight they were built with, the check that the network's
 * parameter and gradient arrays are still the ones their views point into, and the generator's signal from one
 * forward and one backward pass.
 */
abstract class HandWrittenCriticStep implements CriticStep {

    /** The penalty's weight of the training loss. */
    double lambda;

    /** The network this step was built for. */
    abstract MultiLayerNetwork network();

    /** Built for this network, whose parameter and gradient arrays (that the views here point into) are still the same. */
    abstract boolean isFor(MultiLayerNetwork net);

    /**
     * mean f(fake) - mean f(real) + lambda GP at x_hat = alpha real + (1 - alpha) fake (real row i with fake row i mod m),
     * its parameter gradient written into the critic's gradient view (overwritten).
     */
    abstract double lossIntoGradientView(INDArray real, INDArray fake, INDArray alpha, double lambda);

    /**
     * f(x) (a column) and d(e sum_i f(x_i))/dx (rows of x), one forward and one backward: what a generator step of the
     * WGAN loss needs from the critic. The critic's gradient view is left alone.
     */
    abstract INDArray[] scoresAndInputGradient(INDArray x, float e);

    @Override
    public final double lossIntoGradientView(INDArray real, INDArray fake, INDArray alpha) {
        requireSameArrays();
        return lossIntoGradientView(real, fake, alpha, lambda);
    }

    @Override
    public final GeneratorSignal generatorSignal(INDArray fake) {
        requireSameArrays();
        INDArray[] scoreAndGradient = scoresAndInputGradient(fake, (float) (-1.0 / fake.rows()));
        return new GeneratorSignal(-scoreAndGradient[0].meanNumber().doubleValue(), scoreAndGradient[1]);
    }

    private void requireSameArrays() {
        if (!isFor(network())) {
            throw new IllegalStateException("the critic's parameter or gradient arrays were replaced after its step was built");
        }
    }
}
