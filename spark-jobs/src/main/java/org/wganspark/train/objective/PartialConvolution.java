package org.wganspark.train.objective;

import org.deeplearning4j.nn.layers.convolution.ConvolutionLayer;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * A convolution layer's helper that can run half of a backward pass, which the penalty's passes through a layer need
 * ({@link LinearizedPenalty}): DL4J's layer API always computes the forward pass and both gradients. The CPU path's
 * convolution helper implements it; without one, DL4J's layer runs the whole pass.
 */
public interface PartialConvolution {

    /** The layer's input gradient for errors delta at its pre-activation; null when this input is not supported. */
    INDArray inputGradientOnly(ConvolutionLayer layer, INDArray input, INDArray delta);

    /**
     * The layer's pre-activation W x + b and its weight gradient for errors delta, written into the layer's gradient view
     * (no input gradient); null, and nothing written, when this input is not supported.
     */
    INDArray forwardAndWeightGradient(ConvolutionLayer layer, INDArray input, INDArray delta);

    /** The layer's helper if it is one of these, else null. */
    static PartialConvolution of(org.deeplearning4j.nn.api.Layer layer) {
        return layer instanceof ConvolutionLayer conv && conv.getHelper() instanceof PartialConvolution partial ? partial : null;
    }
}
