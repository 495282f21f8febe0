package org.wganspark.train.step;

import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;

/**
 * Applies a network's updater (Adam in our configurations) to the gradient that a backward pass left in its gradient
 * view, and updates its parameters. {@link StepKernels} picks DL4J's updater or the fused CPU loop.
 */
public interface Optimizer {

    /** One step at {@code iteration} (it drives Adam's bias correction). */
    void step(MultiLayerNetwork net, int iteration);
}
