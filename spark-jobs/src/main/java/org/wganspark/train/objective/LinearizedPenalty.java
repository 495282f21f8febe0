package org.wganspark.train.objective;

import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.conf.InputPreProcessor;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.layers.BaseLayer;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.GlobalPoolingLayer;
import org.deeplearning4j.nn.conf.layers.PoolingType;
import org.deeplearning4j.nn.conf.preprocessor.CnnToFeedForwardPreProcessor;
import org.deeplearning4j.nn.conf.preprocessor.FeedForwardToCnnPreProcessor;
import org.deeplearning4j.nn.gradient.Gradient;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.nd4j.linalg.activations.impl.ActivationIdentity;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.wganspark.model.Networks;

/**
 * The exact gradient-penalty parameter gradient of any piecewise-linear critic made of dense and convolution layers
 * with (Leaky)ReLU or identity activations, average or sum global pooling and reshaping preprocessors: the CNN and
 * DCGAN critics. The same mathematics as {@link FcPenalty} (with the activation pattern of x_hat fixed, u . grad_x f
 * is a linear network of u, and its weight gradient pairs the tangents forward with the errors backward), run layer
 * by layer through DL4J's own layers, so convolutions need no code of ours: a twin of the critic with identity
 * activations and zero biases is that linear network. Per layer l with slopes S_l of x_hat:
 * <ul>
 *   <li>errors backward: Delta_l = S_l .* eps_l, eps_{l-1} = the twin layer's input epsilon for Delta_l (ending at g);</li>
 *   <li>tangents forward: T_l = S_l .* twin_l(T_{l-1}), T_0 = g / |g|;</li>
 *   <li>gradient: the twin layer's weight gradient for input T_{l-1} and epsilon c .* Delta_l; biases get zero.</li>
 * </ul>
 */
final class LinearizedPenalty {

    private static final LayerWorkspaceMgr NO_WORKSPACES = LayerWorkspaceMgr.noWorkspaces();

    private final MultiLayerNetwork critic;
    private final MultiLayerNetwork twin;
    private final double[] negativeSlope;  // per layer; 1 where the layer is linear

    private LinearizedPenalty(MultiLayerNetwork critic, MultiLayerNetwork twin, double[] negativeSlope) {
        this.critic = critic;
        this.twin = twin;
        this.negativeSlope = negativeSlope;
    }

    /**
     * The linearization of this critic, or null when some layer is not piecewise linear (or not one we know).
     *
     * @param prepare what the critic's steps do to a network they build (the CPU kernels install their convolution helper)
     */
    static LinearizedPenalty of(MultiLayerNetwork critic, java.util.function.UnaryOperator<MultiLayerNetwork> prepare) {
        double[] slopes = negativeSlopes(critic);
        if (slopes == null) {
            return null;
        }
        MultiLayerConfiguration linear = critic.getLayerWiseConfigurations().clone();
        for (int l = 0; l < critic.getnLayers(); l++) {
            if (linear.getConf(l).getLayer() instanceof BaseLayer layer) {
                layer.setActivationFn(new ActivationIdentity());
            }
        }
        MultiLayerNetwork twin = prepare.apply(Networks.built(linear));
        twin.initGradientsView();
        return new LinearizedPenalty(critic, twin, slopes);
    }

    /** Per layer the slope of its activation below zero (1: linear), or null if the critic is not supported. */
    private static double[] negativeSlopes(MultiLayerNetwork critic) {
        int layers = critic.getnLayers();
        double[] slopes = new double[layers];
        for (int l = 0; l < layers; l++) {
            InputPreProcessor pre = critic.getLayerWiseConfigurations().getInputPreProcess(l);
            if (pre != null && !(pre instanceof FeedForwardToCnnPreProcessor) && !(pre instanceof CnnToFeedForwardPreProcessor)) {
                return null;
            }
            org.deeplearning4j.nn.conf.layers.Layer layer = critic.getLayer(l).conf().getLayer();
            if (layer instanceof GlobalPoolingLayer pooling) {
                if (pooling.getPoolingType() != PoolingType.AVG && pooling.getPoolingType() != PoolingType.SUM) {
                    return null;
                }
                slopes[l] = 1;
                continue;
            }
            if (!(layer.getClass() == DenseLayer.class || layer.getClass() == ConvolutionLayer.class)) {
                return null;
            }
            BaseLayer base = (BaseLayer) layer;
            if (base.getIDropout() != null || base.getWeightNoise() != null || (base instanceof DenseLayer d && d.hasLayerNorm())) {
                return null;
            }
            slopes[l] = FcPenalty.negativeSlope(base.getActivationFn());
            if (Double.isNaN(slopes[l])) {
                return null;
            }
        }
        return slopes[layers - 1] == 1 ? slopes : null;
    }

    /** lambda GP at the rows x_hat and its parameter gradient (flat, rank 1, the parameters' layout). */
    CriticGradients.PenaltyGradient penaltyGradient(INDArray xhat, double lambda) {
        int layers = critic.getnLayers();
        int n = (int) xhat.rows();
        DataType type = critic.params().dataType();
        twin.params().assign(critic.params());
        for (int l = 0; l < layers; l++) {
            INDArray bias = twin.getLayer(l).paramTable().get("b");  // a pooling layer has no getParam
            if (bias != null) {
                bias.assign(0);
            }
        }
        // the pattern of x_hat: activations[l + 1] is layer l's output, positive exactly where its input is
        java.util.List<INDArray> activations = critic.feedForward(xhat.castTo(type), false);
        INDArray[] slopes = new INDArray[layers];
        for (int l = 0; l < layers; l++) {
            slopes[l] = FcPenalty.slopes(activations.get(l + 1), negativeSlope[l]);
        }
        // errors backward from a unit score, down to g = grad_x f(x_hat)
        INDArray[] errors = new INDArray[layers];
        INDArray epsilon = Nd4j.ones(type, n, 1);
        for (int l = layers - 1; l >= 0; l--) {
            errors[l] = slopes[l] == null ? epsilon : epsilon.mul(slopes[l]);
            Layer layer = twin.getLayer(l);
            INDArray in = preProcess(l, activations.get(l), n);
            // our convolutions give the input gradient alone (DL4J's layer would also run the forward pass and dW)
            PartialConvolution partial = PartialConvolution.of(layer);
            INDArray back = partial == null ? null
                    : partial.inputGradientOnly((org.deeplearning4j.nn.layers.convolution.ConvolutionLayer) layer, in, errors[l]);
            if (back == null) {
                layer.setInput(in, NO_WORKSPACES);
                back = layer.backpropGradient(errors[l], NO_WORKSPACES).getSecond();
            }
            epsilon = unPreProcess(l, back, n);
        }
        FcPenalty.Directions directions = FcPenalty.Directions.of(epsilon.reshape(n, xhat.columns()), lambda);
        INDArray c = directions.coefficients();
        // tangents forward, each layer's weight gradient for (tangent in, c .* errors)
        twin.getFlattenedGradients().assign(0);
        INDArray tangent = directions.units();
        for (int l = 0; l < layers; l++) {
            Layer layer = twin.getLayer(l);
            INDArray in = preProcess(l, tangent, n);
            INDArray scaled = errors[l].dup();
            scaled.muli(c.reshape(broadcastShape(c, scaled)));
            // our convolutions: one forward pass and dW on its columns, no input gradient (the bias part stays 0)
            PartialConvolution partial = PartialConvolution.of(layer);
            INDArray out = partial == null ? null
                    : partial.forwardAndWeightGradient((org.deeplearning4j.nn.layers.convolution.ConvolutionLayer) layer, in, scaled);
            if (out == null) {
                layer.setInput(in, NO_WORKSPACES);
                Gradient gradient = layer.backpropGradient(scaled, NO_WORKSPACES).getFirst();
                if (gradient.getGradientFor("b") != null) {
                    gradient.getGradientFor("b").assign(0);
                }
                if (l < layers - 1) {
                    out = layer.activate(in, false, NO_WORKSPACES);
                }
            }
            if (l < layers - 1) {
                tangent = slopes[l] != null ? out.mul(slopes[l]) : out;
            }
        }
        INDArray flat = twin.getFlattenedGradients();
        return new CriticGradients.PenaltyGradient(directions.value(), flat.reshape(flat.length()).dup());
    }

    /** c (n x 1) shaped to broadcast over rows of any rank: n x 1 x 1 x 1 against a feature map. */
    private static long[] broadcastShape(INDArray c, INDArray rows) {
        long[] shape = new long[rows.rank()];
        java.util.Arrays.fill(shape, 1);
        shape[0] = c.rows();
        return shape;
    }

    private INDArray preProcess(int l, INDArray input, int n) {
        InputPreProcessor pre = critic.getLayerWiseConfigurations().getInputPreProcess(l);
        return pre == null ? input : pre.preProcess(input, n, NO_WORKSPACES);
    }

    private INDArray unPreProcess(int l, INDArray epsilon, int n) {
        InputPreProcessor pre = critic.getLayerWiseConfigurations().getInputPreProcess(l);
        return pre == null ? epsilon : pre.backprop(epsilon, n, NO_WORKSPACES);
    }

}
