package org.wganspark.train.step.cpu;

import java.nio.FloatBuffer;
import java.util.Map;
import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.conf.CNN2DFormat;
import org.deeplearning4j.nn.conf.InputPreProcessor;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.GlobalPoolingLayer;
import org.deeplearning4j.nn.conf.layers.PoolingType;
import org.deeplearning4j.nn.conf.preprocessor.CnnToFeedForwardPreProcessor;
import org.deeplearning4j.nn.conf.preprocessor.FeedForwardToCnnPreProcessor;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.wganspark.model.OffHeap;
import org.wganspark.train.objective.FcPenalty;

/**
 * A convolutional critic as {@link ConvCriticStep} computes it, read once from the DL4J network: (Leaky)ReLU or
 * identity convolutions (NCHW, Truncate or Strict, no dilation), then average or sum global pooling or a flatten,
 * then one linear score. It holds each convolution's geometry and negative slope, and views of DL4J's parameter and
 * gradient arrays; {@link #readKernels} and {@link #writeKernelGradient} translate between DL4J's weight layout
 * [O, C, kh, kw] and the channels-last kernels [O, (ky, kx, c)] the products use.
 */
final class ConvCritic {

    final MultiLayerNetwork network;
    final ConvGeometry[] convs;
    final float[] negativeSlopes;
    /** Features of one image: the last map's channels times this (pooling), or the whole map (0: flatten). */
    final float poolScale;
    private final INDArray parameters;
    private final INDArray gradients;
    private final FloatBuffer[] weights;           // [O, C, kh, kw], over the parameters
    private final FloatBuffer[] biases;            // or null
    private final FloatBuffer[] weightGradients;   // over the gradient view, the weights' layout
    private final FloatBuffer[] biasGradients;     // or null
    private final FloatBuffer head;                // the score's weights, one per feature (DL4J's order: channel, then position)
    private final INDArray headBias;               // or null
    private final FloatBuffer headGradient;
    private final INDArray headBiasGradient;       // or null
    private final float[] reordered;               // one layer's kernel, or its gradient, channels-last
    private final float[] dl4jLayout;              // the same in DL4J's order

    private ConvCritic(MultiLayerNetwork network, ConvGeometry[] convs, float[] negativeSlopes, float poolScale, Layer[] layers, Layer last) {
        this.network = network;
        this.convs = convs;
        this.negativeSlopes = negativeSlopes;
        this.poolScale = poolScale;
        this.parameters = network.params();
        this.gradients = network.getFlattenedGradients();
        int count = convs.length;
        weights = new FloatBuffer[count];
        biases = new FloatBuffer[count];
        weightGradients = new FloatBuffer[count];
        biasGradients = new FloatBuffer[count];
        int largest = 0;
        for (int l = 0; l < count; l++) {
            Map<String, INDArray> views = gradientViews(layers[l]);
            boolean hasBias = ((ConvolutionLayer) layers[l].conf().getLayer()).hasBias();
            weights[l] = OffHeap.at(layers[l].getParam("W"));
            biases[l] = hasBias ? OffHeap.at(layers[l].getParam("b")) : null;
            weightGradients[l] = OffHeap.at(views.get("W"));
            biasGradients[l] = hasBias ? OffHeap.at(views.get("b")) : null;
            largest = Math.max(largest, convs[l].outChannels() * convs[l].taps());
        }
        Map<String, INDArray> headViews = gradientViews(last);
        boolean headHasBias = ((DenseLayer) last.conf().getLayer()).hasBias();
        head = OffHeap.at(last.getParam("W"));
        headBias = headHasBias ? last.getParam("b") : null;
        headGradient = OffHeap.at(headViews.get("W"));
        headBiasGradient = headHasBias ? headViews.get("b") : null;
        reordered = new float[largest];
        dl4jLayout = new float[largest];
    }

    /** The critic as described above, on the CPU backend in float; null for a network of any other shape. */
    static ConvCritic of(MultiLayerNetwork critic) {
        if (!OffHeap.HOST_MEMORY || critic.params().dataType() != DataType.FLOAT || critic.getnLayers() < 2) {
            return null;
        }
        int layers = critic.getnLayers();
        int convCount = 0;
        while (convCount < layers && critic.getLayer(convCount).conf().getLayer().getClass() == ConvolutionLayer.class) {
            convCount++;
        }
        boolean pooled = convCount == layers - 2;
        if (convCount == 0 || (convCount != layers - 1 && !pooled)
                || !(critic.getLayerWiseConfigurations().getInputPreProcess(0) instanceof FeedForwardToCnnPreProcessor input)) {
            return null;
        }
        if (critic.getFlattenedGradients() == null) {
            critic.initGradientsView();  // what DL4J's first backprop would do; the updater reads this view
        }
        ConvGeometry[] convs = new ConvGeometry[convCount];
        float[] slopes = new float[convCount];
        Layer[] convLayers = new Layer[convCount];
        int channels = (int) input.getNumChannels();
        int height = (int) input.getInputHeight();
        int width = (int) input.getInputWidth();
        for (int l = 0; l < convCount; l++) {
            Layer layer = critic.getLayer(l);
            ConvolutionLayer conf = (ConvolutionLayer) layer.conf().getLayer();
            double slope = FcPenalty.negativeSlope(conf.getActivationFn());
            if (Double.isNaN(slope) || (l > 0 && critic.getLayerWiseConfigurations().getInputPreProcess(l) != null)
                    || conf.getIDropout() != null || conf.getWeightNoise() != null || conf.getCnn2dDataFormat() != CNN2DFormat.NCHW
                    || !ConvGeometry.supported(conf.getConvolutionMode(), conf.getDilation(), conf.getCnn2dDataFormat())
                    || conf.getNIn() != channels) {
                return null;
            }
            convs[l] = ConvGeometry.of(channels, height, width, (int) conf.getNOut(), conf.getKernelSize(), conf.getStride(), conf.getPadding());
            Map<String, INDArray> views = gradientViews(layer);
            if (convs[l] == null || !contiguous(layer.getParam("W")) || !contiguous(views.get("W"))) {
                return null;
            }
            slopes[l] = (float) slope;
            convLayers[l] = layer;
            channels = convs[l].outChannels();
            height = convs[l].outHeight();
            width = convs[l].outWidth();
        }
        float poolScale = 0;
        if (pooled) {
            if (!(critic.getLayer(convCount).conf().getLayer() instanceof GlobalPoolingLayer pooling)
                    || (pooling.getPoolingType() != PoolingType.AVG && pooling.getPoolingType() != PoolingType.SUM)
                    || critic.getLayerWiseConfigurations().getInputPreProcess(convCount) != null
                    || critic.getLayerWiseConfigurations().getInputPreProcess(layers - 1) != null) {
                return null;
            }
            poolScale = pooling.getPoolingType() == PoolingType.AVG ? 1f / (height * width) : 1f;
        } else {
            InputPreProcessor flatten = critic.getLayerWiseConfigurations().getInputPreProcess(layers - 1);
            if (!(flatten instanceof CnnToFeedForwardPreProcessor f) || f.getFormat() != CNN2DFormat.NCHW) {
                return null;
            }
        }
        Layer last = critic.getLayer(layers - 1);
        if (last.conf().getLayer().getClass() != DenseLayer.class) {
            return null;
        }
        DenseLayer dense = (DenseLayer) last.conf().getLayer();
        long features = pooled ? channels : (long) channels * height * width;
        if (dense.getNOut() != 1 || dense.getNIn() != features || FcPenalty.negativeSlope(dense.getActivationFn()) != 1 || dense.hasLayerNorm()
                || dense.getIDropout() != null || dense.getWeightNoise() != null) {
            return null;
        }
        if (!contiguous(last.getParam("W")) || !contiguous(gradientViews(last).get("W"))) {
            return null;
        }
        return new ConvCritic(critic, convs, slopes, poolScale, convLayers, last);
    }

    private static Map<String, INDArray> gradientViews(Layer layer) {
        return layer.conf().getLayer().initializer().getGradientsFromFlattened(layer.conf(), layer.getGradientsViewArray());
    }

    private static boolean contiguous(INDArray a) {
        return a != null && a.dataType() == DataType.FLOAT && a.elementWiseStride() == 1 && (a.ordering() == 'c' || a.isVector());
    }

    /** True while the network's parameter and gradient arrays (that the views here point into) are still the ones read. */
    boolean isFor(MultiLayerNetwork net) {
        return net == network && net.params() == parameters && net.getFlattenedGradients() == gradients;
    }

    /** Floats of one image's features, the score layer's input. */
    int featureWidth() {
        ConvGeometry last = convs[convs.length - 1];
        return poolScale != 0 ? last.outChannels() : last.outputFloats();
    }

    /**
     * The parameters as they are now (the optimizer moved them since the last pass): K_l [O, (ky, kx, c)] into
     * {@code kernels}, b_l into {@code bias} (left 0 without a bias), the score's weights into {@code headWeights};
     * returns the score's bias.
     */
    float readKernels(FloatBuffer[] kernels, float[][] bias, float[] headWeights) {
        head.get(0, headWeights);
        for (int l = 0; l < convs.length; l++) {
            ConvGeometry g = convs[l];
            int area = g.kernelArea();
            int taps = g.taps();
            weights[l].get(0, dl4jLayout, 0, g.outChannels() * taps);
            for (int o = 0; o < g.outChannels(); o++) {
                for (int c = 0; c < g.channels(); c++) {
                    for (int t = 0; t < area; t++) {
                        reordered[o * taps + t * g.channels() + c] = dl4jLayout[(o * g.channels() + c) * area + t];
                    }
                }
            }
            kernels[l].put(0, reordered, 0, g.outChannels() * taps);
            if (biases[l] != null) {
                biases[l].get(0, bias[l]);
            }
        }
        return headBias == null ? 0f : headBias.getFloat(0);
    }

    /** dK_l [O, (ky, kx, c)] (its first O taps floats) into the gradient view, in DL4J's layout. */
    void writeKernelGradient(int l, FloatBuffer kernelGradient) {
        ConvGeometry g = convs[l];
        int outChannels = g.outChannels();
        int taps = g.taps();
        int area = g.kernelArea();
        kernelGradient.get(0, reordered, 0, outChannels * taps);
        for (int o = 0, k = 0; o < outChannels; o++) {
            for (int t = 0; t < area; t++) {
                for (int c = 0; c < g.channels(); c++, k++) {
                    dl4jLayout[(o * g.channels() + c) * area + t] = reordered[k];
                }
            }
        }
        weightGradients[l].put(0, dl4jLayout, 0, outChannels * taps);
    }

    /** True when conv l has a bias. */
    boolean hasBias(int l) {
        return biasGradients[l] != null;
    }

    /** The bias gradient of conv l. */
    void writeBiasGradient(int l, float[] gradient) {
        biasGradients[l].put(0, gradient, 0, gradient.length);
    }

    /** The score layer's weight gradient, and its bias gradient where it has a bias. */
    void writeHeadGradient(float[] weightGradient, double biasGradient) {
        headGradient.put(0, weightGradient, 0, weightGradient.length);
        if (headBiasGradient != null) {
            headBiasGradient.assign(biasGradient);
        }
    }
}
