package org.wganspark.train;

import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.WorkspaceMode;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.weights.WeightInit;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.activations.impl.ActivationLReLU;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.learning.config.IUpdater;
import org.nd4j.linalg.lossfunctions.impl.LossL2;

/**
 * The anchor's fully connected networks as DL4J MultiLayerNetworks (anchor-discretegans.md, section 2). No
 * output layer: the last layer is a DenseLayer, so gradients come from external errors (jvm-stack.md, 8).
 * Workspaces off: the critic is evaluated several times per step at different inputs.
 */
public final class Networks {

    private Networks() {
    }

    /** The anchor's optimizer: Adam with betas (0.5, 0.9). */
    public static IUpdater adam(double lr) {
        return new Adam(lr, 0.5, 0.9, 1e-8);
    }

    /** FC generator: z -> nf (LeakyReLU 0.2) -> ... -> out (Tanh), {@code depth} linear layers in all. */
    public static MultiLayerNetwork fcGenerator(int zDim, int nf, int depth, int out, double lr, long seed, DataType type) {
        return fcGenerator(zDim, nf, depth, out, adam(lr), false, seed, type);
    }

    /**
     * FC generator with any optimizer. With {@code regressionHead} the last layer is an {@link OutputLayer} with the
     * squared-error loss (1/m) sum_i |G(z_i) - y_i|^2, so that DL4J's own fit (and ParameterAveragingTrainingMaster)
     * can regress it onto targets; the parameter layout is the same as without it.
     */
    public static MultiLayerNetwork fcGenerator(int zDim, int nf, int depth, int out, IUpdater updater, boolean regressionHead, long seed,
                                                DataType type) {
        return build(zDim, nf, depth, out, Activation.TANH, updater, regressionHead, seed, type);
    }

    /** FC critic: in -> nf (LeakyReLU 0.2) -> ... -> 1 (identity), {@code depth} linear layers in all. */
    public static MultiLayerNetwork fcCritic(int in, int nf, int depth, double lr, long seed, DataType type) {
        return build(in, nf, depth, 1, Activation.IDENTITY, adam(lr), false, seed, type);
    }

    private static MultiLayerNetwork build(int in, int nf, int depth, int out, Activation last, IUpdater updater, boolean regressionHead,
                                           long seed, DataType type) {
        if (depth < 2) {
            throw new IllegalArgumentException("an FC network needs depth >= 2, found " + depth);
        }
        NeuralNetConfiguration.ListBuilder list = new NeuralNetConfiguration.Builder()
                .seed(seed)
                .dataType(type)
                .weightInit(WeightInit.XAVIER)
                .updater(updater)
                .trainingWorkspaceMode(WorkspaceMode.NONE)
                .inferenceWorkspaceMode(WorkspaceMode.NONE)
                .list();
        int width = in;
        for (int layer = 0; layer < depth - 1; layer++) {
            list.layer(new DenseLayer.Builder().nIn(width).nOut(nf).activation(new ActivationLReLU(0.2)).build());
            width = nf;
        }
        // LossL2 sums the squared errors over a row; DL4J averages over the minibatch in the updater
        list.layer(regressionHead ? new OutputLayer.Builder(new LossL2()).nIn(width).nOut(out).activation(last).build()
                : new DenseLayer.Builder().nIn(width).nOut(out).activation(last).build());
        MultiLayerConfiguration conf = list.build();
        MultiLayerNetwork net = new MultiLayerNetwork(conf);
        net.init();
        // DL4J's own initialization is not repeatable here (two nets from one configuration seed differed, also
        // with ND4J's generator seeded first), so the weights are drawn again from our seeded generator: Xavier
        // normal, std sqrt(2 / (fan in + fan out)), zero biases
        java.util.SplittableRandom random = new java.util.SplittableRandom(seed);
        for (int layer = 0; layer < depth; layer++) {
            org.nd4j.linalg.api.ndarray.INDArray w = net.getParam(layer + "_W");
            double std = Math.sqrt(2.0 / (w.size(0) + w.size(1)));
            double[] values = new double[(int) w.length()];
            for (int k = 0; k < values.length; k++) {
                values[k] = std * random.nextGaussian();
            }
            w.assign(org.nd4j.linalg.factory.Nd4j.createFromArray(values).reshape('c', w.size(0), w.size(1)).castTo(w.dataType()));
            net.getParam(layer + "_b").assign(0);
        }
        return net;
    }
}
