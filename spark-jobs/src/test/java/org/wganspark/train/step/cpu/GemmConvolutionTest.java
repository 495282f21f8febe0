package org.wganspark.train.step.cpu;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.deeplearning4j.nn.conf.ConvolutionMode;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.gradient.Gradient;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.params.ConvolutionParamInitializer;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.nd4j.common.primitives.Pair;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.wganspark.model.Networks;

class GemmConvolutionTest {

    private static final LayerWorkspaceMgr NO_WORKSPACES = LayerWorkspaceMgr.noWorkspaces();

    private static MultiLayerNetwork network(int channels, int side, int outChannels, int kernel, int stride, int padding, boolean bias) {
        MultiLayerConfiguration conf = new NeuralNetConfiguration.Builder().dataType(DataType.FLOAT).seed(7).list()
                .layer(new ConvolutionLayer.Builder(kernel, kernel).stride(stride, stride).padding(padding, padding)
                        .convolutionMode(ConvolutionMode.Truncate).nIn(channels).nOut(outChannels).hasBias(bias).activation(Activation.LEAKYRELU).build())
                .setInputType(InputType.convolutional(side, side, channels)).build();
        MultiLayerNetwork net = Networks.built(conf);
        GemmConvolution.install(net);
        net.initGradientsView();
        return net;
    }

    /** DL4J's own im2col path, the reference: the same network with no helper on its layer. */
    private static void removeHelper(MultiLayerNetwork net) throws ReflectiveOperationException {
        java.lang.reflect.Field helper = org.deeplearning4j.nn.layers.convolution.ConvolutionLayer.class.getDeclaredField("helper");
        helper.setAccessible(true);
        helper.set(net.getLayer(0), null);
    }

    private static void assertClose(INDArray expected, INDArray actual, String what) {
        assertEquals(java.util.Arrays.toString(expected.shape()), java.util.Arrays.toString(actual.shape()), what);
        double scale = expected.amaxNumber().doubleValue();
        double error = expected.sub(actual).amaxNumber().doubleValue();
        assertTrue(scale > 0, what + " is all zeros: the comparison would prove nothing");
        assertTrue(error <= 1e-5 * scale, what + ": largest difference " + error + " against a largest entry " + scale);
    }

    @ParameterizedTest
    @CsvSource({
        "1, 28, 8, 3, 2, 0, true, 5",   // the Fig. 7 critic's first layer
        "6, 13, 12, 3, 2, 0, true, 4",  // its second (odd side: the last row and column reach no output)
        "3, 16, 5, 4, 2, 1, false, 3",  // a DCGAN critic layer: k 4, s 2, padding 1, no bias
        "4, 9, 7, 3, 1, 1, true, 2"     // stride 1, padding 1
    })
    void forwardAndBackwardMatchDl4jsOwnConvolution(int channels, int side, int outChannels, int kernel, int stride, int padding, boolean bias,
                                                    int batch) throws ReflectiveOperationException {
        MultiLayerNetwork ours = network(channels, side, outChannels, kernel, stride, padding, bias);
        assertInstanceOf(GemmConvolution.class, ((org.deeplearning4j.nn.layers.convolution.ConvolutionLayer) ours.getLayer(0)).getHelper());
        MultiLayerNetwork reference = network(channels, side, outChannels, kernel, stride, padding, bias);
        removeHelper(reference);
        Nd4j.getRandom().setSeed(11);
        INDArray params = Nd4j.randn(DataType.FLOAT, 1, ours.numParams());
        ours.setParams(params);
        reference.setParams(params.dup());
        INDArray x = Nd4j.randn(DataType.FLOAT, batch, channels, side, side);
        INDArray a = forward(ours, x);
        INDArray b = forward(reference, x);
        assertClose(b, a, "activations");
        INDArray epsilon = Nd4j.randn(DataType.FLOAT, a.shape());
        Pair<Gradient, INDArray> ga = ours.getLayer(0).backpropGradient(epsilon.dup(), NO_WORKSPACES);
        Pair<Gradient, INDArray> gb = reference.getLayer(0).backpropGradient(epsilon.dup(), NO_WORKSPACES);
        assertClose(gb.getSecond(), ga.getSecond(), "input gradient");
        assertClose(gb.getFirst().getGradientFor(ConvolutionParamInitializer.WEIGHT_KEY),
                ga.getFirst().getGradientFor(ConvolutionParamInitializer.WEIGHT_KEY), "weight gradient");
        if (bias) {
            assertClose(gb.getFirst().getGradientFor(ConvolutionParamInitializer.BIAS_KEY),
                    ga.getFirst().getGradientFor(ConvolutionParamInitializer.BIAS_KEY), "bias gradient");
        }
        // the weight gradient lands in the network's flattened gradient view (a convolution's bias comes first), where
        // the updater reads it
        INDArray view = ours.getGradientsViewArray();
        long first = bias ? outChannels : 0;
        assertNotEquals(0.0, view.amaxNumber().doubleValue());
        assertClose(gb.getFirst().getGradientFor(ConvolutionParamInitializer.WEIGHT_KEY).reshape(1, -1),
                view.get(org.nd4j.linalg.indexing.NDArrayIndex.point(0),
                        org.nd4j.linalg.indexing.NDArrayIndex.interval(first, first + (long) outChannels * channels * kernel * kernel)).reshape(1, -1),
                "the gradient view's weights");
    }

    @org.junit.jupiter.api.Test
    void aForwardPassIsReusedOnlyWhileTheInputAndTheWeightsAreUnchanged() throws ReflectiveOperationException {
        MultiLayerNetwork ours = network(3, 12, 4, 3, 2, 0, true);
        MultiLayerNetwork reference = network(3, 12, 4, 3, 2, 0, true);
        removeHelper(reference);
        Nd4j.getRandom().setSeed(5);
        ours.setParams(Nd4j.randn(DataType.FLOAT, 1, ours.numParams()));
        reference.setParams(ours.params().dup());
        INDArray x = Nd4j.randn(DataType.FLOAT, 2, 3, 12, 12);
        assertClose(forward(reference, x), forward(ours, x), "first pass");
        // an optimizer step changes the weights in place, and a caller may refill its input array in place
        float[] shifted = ours.params().toFloatVector();
        for (int k = 4; k < shifted.length; k++) {
            shifted[k] += 0.5f;  // the weights only (the 4 biases come first): the bias check alone cannot notice
        }
        INDArray updated = Nd4j.createFromArray(shifted).reshape(1, shifted.length);
        ours.setParams(updated);
        reference.setParams(updated.dup());
        assertClose(forward(reference, x), forward(ours, x), "after a weight update");
        x.muli(-2);
        assertClose(forward(reference, x), forward(ours, x), "after the input changed in place");
        GemmConvolution helper = (GemmConvolution) ((org.deeplearning4j.nn.layers.convolution.ConvolutionLayer) ours.getLayer(0)).getHelper();
        assertEquals(0, helper.reusedPasses, "every pass so far had new weights or a new input");
        INDArray again = forward(ours, x);
        assertEquals(1, helper.reusedPasses, "the same input and weights again: the product is reused");
        assertClose(forward(reference, x), again, "the same pass twice");
        // a backward pass (which recomputes the forward one first) leaves the product for the next forward pass
        INDArray epsilon = Nd4j.randn(DataType.FLOAT, again.shape());
        ours.getLayer(0).backpropGradient(epsilon, NO_WORKSPACES);
        assertEquals(2, helper.reusedPasses, "the backward pass's own forward pass reuses the product");
        assertClose(forward(reference, x), forward(ours, x), "a forward pass after a backward one");
        assertEquals(3, helper.reusedPasses, "and so does the forward pass after it");
    }

    private static INDArray forward(MultiLayerNetwork net, INDArray x) {
        net.getLayer(0).setInput(x, NO_WORKSPACES);
        return net.getLayer(0).activate(true, NO_WORKSPACES);
    }
}
