package org.wganspark.train.dist;

import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.wganspark.model.Networks;
import org.wganspark.model.OffHeap;
import org.wganspark.train.step.Kernels;
import org.wganspark.train.step.StepKernels;

/** Networks and the float arrays that carry them between the driver and the workers: parameters and optimizer state. */
public final class NetworkStates {

    private NetworkStates() {
    }

    /** The updater's state as floats; empty for a stateless one (plain SGD). */
    static float[] optimizerState(MultiLayerNetwork net) {
        INDArray state = net.getUpdater().getStateViewArray();
        return state == null ? new float[0] : OffHeap.toFloats(state);
    }

    /** Networks at a state: configuration from JSON, parameters and Adam state assigned (no critic JSON: no critic). */
    public static MultiLayerNetwork[] networksAt(TrainingSetup setup, TrainingState state) {
        Kernels kernels = setup.options().kernels();
        return new MultiLayerNetwork[] {StepKernels.prepared(networkAt(setup.generatorJson(), state.generator(), state.generatorAdam()), kernels),
            setup.criticJson() == null ? null : StepKernels.prepared(networkAt(setup.criticJson(), state.critic(), state.criticAdam()), kernels)};
    }

    /** One network from its configuration, with its parameters and optimizer state (empty: a stateless optimizer). */
    static MultiLayerNetwork networkAt(String json, float[] params, float[] optimizerState) {
        MultiLayerNetwork net = Networks.built(MultiLayerConfiguration.fromJson(json));
        return assign(net, params, optimizerState);
    }

    /** A network (of the right configuration) moved to the given parameters and optimizer state. */
    static MultiLayerNetwork assign(MultiLayerNetwork net, float[] params, float[] optimizerState) {
        OffHeap.assign(net.params(), params);
        if (optimizerState.length > 0) {
            OffHeap.assign(net.getUpdater().getStateViewArray(), optimizerState);
        }
        return net;
    }
}
