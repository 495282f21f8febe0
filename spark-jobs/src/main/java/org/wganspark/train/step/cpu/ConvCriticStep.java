package org.wganspark.train.step.cpu;

import org.wganspark.ot.Blas;

import org.wganspark.train.objective.FcPenalty;
import java.util.Optional;
import org.wganspark.model.OffHeap;
import org.wganspark.train.step.CriticStep;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.util.Arrays;
import java.util.Map;
import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.conf.CNN2DFormat;
import org.deeplearning4j.nn.conf.ConvolutionMode;
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
import org.nd4j.linalg.factory.Nd4j;

/**
 * The WGAN-GP critic gradient of a float convolutional critic (the CNN critics of Fig. 7, with average pooling or
 * flatten, and the DCGAN critic), by hand on buffers kept from step to step, as {@link FcCriticStep} does for the
 * fully connected one. Every feature map is stored channels-last, as a matrix [(image, y, x), channel]: a
 * convolution is then Z = X K^T over the column matrix X [(image, position), (ky, kx, channel)] (Chellapilla, Puri
 * and Simard 2006), whose rows are runs of whole pixels (channel vectors) copied from the input map, and Z is already
 * the next layer's input. The kernels K [out channel, (ky, kx, channel)] are DL4J's weights [O, C, kh, kw] reordered
 * before each pass, and their gradient is reordered back. The critic must be: (Leaky)ReLU or identity convolutions
 * (NCHW, Truncate or Strict, no dilation), then average or sum global pooling or a flatten, then one linear score.
 *
 * <p>One pass of n + m + n rows (real, fake, interpolates), as in {@link FcCriticStep}: the forward pass and the
 * errors of all rows share each product (the interpolates' output error 1 gives g = grad_x f); then the
 * interpolates' maps are overwritten by the tangents T_l = S_l .* (W_l * T_{l-1}), T_0 = g / |g|, and their errors
 * scaled by c = 2 lambda (|g| - 1) / n, so that one product per layer, Delta_l^T X_l over all rows, is the loss's
 * weight gradient plus the penalty's ({@link LinearizedPenalty} has the mathematics). Biases get the loss rows' part
 * only: the penalty does not depend on them.
 */
public final class ConvCriticStep implements CriticStep {

    /** The penalty's weight of the training loss ({@link #forCritic}). */
    private double lambda;


    /** Floats of X built on the heap before one bulk copy to native memory: a few hundred KB, so they stay in cache. */
    private static final int CHUNK_FLOATS = 1 << 16;

    /** One convolution's sizes, per image. */
    private record Conv(int channels, int height, int width, int outChannels, int kh, int kw, int sy, int sx, int py, int px, int outHeight,
                        int outWidth, float negativeSlope) {
        int taps() {
            return channels * kh * kw;
        }

        int positions() {
            return outHeight * outWidth;
        }

        /** Floats of one image's input map. */
        int imageFloats() {
            return channels * height * width;
        }

        /**
         * Per output position p and kernel tap t = ky kw + kx: where in an image's input map (channels-last) the
         * channel vector it reads starts, or -1 in the zero padding.
         */
        int[] tapOffsets() {
            int[] offsets = new int[positions() * kh * kw];
            for (int oy = 0, p = 0; oy < outHeight; oy++) {
                for (int ox = 0; ox < outWidth; ox++, p++) {
                    for (int ky = 0; ky < kh; ky++) {
                        for (int kx = 0; kx < kw; kx++) {
                            int y = oy * sy + ky - py;
                            int x = ox * sx + kx - px;
                            boolean inside = y >= 0 && y < height && x >= 0 && x < width;
                            offsets[p * kh * kw + ky * kw + kx] = inside ? (y * width + x) * channels : -1;
                        }
                    }
                }
            }
            return offsets;
        }
    }

    private final MultiLayerNetwork critic;
    private final INDArray parameters;
    private final INDArray gradients;
    private final Conv[] convs;
    private final int[][] tapOffsets;          // per layer, Conv.tapOffsets
    private final INDArray[] weights;          // [O, C, kh, kw], views of the parameters
    private final INDArray[] biases;           // or null
    private final INDArray[] weightGradients;  // views of the gradient, the weights' layout
    private final INDArray[] biasGradients;
    private final INDArray head;               // the score's weights, one per feature (DL4J's order: channel, then position)
    private final INDArray headBias;
    private final INDArray headGradient;
    private final INDArray headBiasGradient;
    private final float poolScale;             // features: the last map's channels times this (pooling), or the whole map (0)
    private final FloatBuffer[] kernels;       // K_l [O, (ky, kx, c)], native, refreshed from the weights before each pass
    private final float[][] bias;              // b_l, read with the kernels (0 without a bias)
    private final float[] reordered;           // one layer's kernel, or its kernel gradient, on the heap
    private final float[] dl4jLayout;          // the same in DL4J's [O, C, kh, kw] order
    private final FloatBuffer kernelGradient;  // dK_l [O, (ky, kx, c)]
    // the arrays above as buffers over their native memory, made once (a view per call was 2 % of a step)
    private final FloatBuffer[] weightData;
    private final FloatBuffer[] biasData;
    private final FloatBuffer[] weightGradientData;
    private final FloatBuffer[] biasGradientData;
    private final FloatBuffer headData;
    private final FloatBuffer headGradientData;
    private final float[] headWeights;

    /**
     * Buffers of the current batch size (the critic's n + m + n rows, or a generator step's m): maps[l] is conv l's
     * input (maps[L] the last output), slopes[l] maps[l]'s. Those of the other size wait in {@code spare}.
     */
    private Buffers spare;
    private int batch = -1;
    private float[][] maps;
    private float[][] slopes;
    private float[][] deltas;       // errors at conv l's pre-activation, the layout of maps[l + 1]
    private float[] chunk;          // rows of X or dX on the heap
    private FloatBuffer[] columns;  // X per layer, native, for the products (kept for the weight gradient)
    private FloatBuffer product;    // Z, or dX
    private FloatBuffer errors;     // Delta for a product
    private float[] inputGradient;  // conv 0's input gradient, the layout of maps[0]
    private float[] features;       // per image the score layer's input (pooled or flat), then the tangents'

    private ConvCriticStep(MultiLayerNetwork critic, Conv[] convs, INDArray[] weights, INDArray[] biases, INDArray[] weightGradients,
                           INDArray[] biasGradients, INDArray head, INDArray headBias, INDArray headGradient, INDArray headBiasGradient,
                           float poolScale) {
        this.critic = critic;
        this.parameters = critic.params();
        this.gradients = critic.getFlattenedGradients();
        this.convs = convs;
        this.weights = weights;
        this.biases = biases;
        this.weightGradients = weightGradients;
        this.biasGradients = biasGradients;
        this.head = head;
        this.headBias = headBias;
        this.headGradient = headGradient;
        this.headBiasGradient = headBiasGradient;
        this.poolScale = poolScale;
        int layers = convs.length;
        tapOffsets = new int[layers][];
        kernels = new FloatBuffer[layers];
        bias = new float[layers][];
        int largest = 0;
        for (int l = 0; l < layers; l++) {
            tapOffsets[l] = convs[l].tapOffsets();
            kernels[l] = direct((long) convs[l].outChannels() * convs[l].taps());
            bias[l] = new float[convs[l].outChannels()];
            largest = Math.max(largest, convs[l].outChannels() * convs[l].taps());
        }
        reordered = new float[largest];
        dl4jLayout = new float[largest];
        kernelGradient = direct(largest);
        weightData = new FloatBuffer[layers];
        biasData = new FloatBuffer[layers];
        weightGradientData = new FloatBuffer[layers];
        biasGradientData = new FloatBuffer[layers];
        for (int l = 0; l < layers; l++) {
            weightData[l] = OffHeap.at(weights[l]);
            biasData[l] = biases[l] == null ? null : OffHeap.at(biases[l]);
            weightGradientData[l] = OffHeap.at(weightGradients[l]);
            biasGradientData[l] = biasGradients[l] == null ? null : OffHeap.at(biasGradients[l]);
        }
        headData = OffHeap.at(head);
        headGradientData = OffHeap.at(headGradient);
        headWeights = new float[(int) head.length()];
    }

    /**
     * This path for a float critic of the shape above on the CPU backend, with penalty weight {@code lambda}; empty for any
     * other critic (DL4J's layers take it).
     */
    public static Optional<ConvCriticStep> forCritic(MultiLayerNetwork critic, double lambda) {
        ConvCriticStep step = of(critic);
        if (step != null) {
            step.lambda = lambda;
        }
        return Optional.ofNullable(step);
    }

    /** The analysis of {@link #forCritic}: null for a critic of any other shape. */
    static ConvCriticStep of(MultiLayerNetwork critic) {
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
        Conv[] convs = new Conv[convCount];
        INDArray[] weights = new INDArray[convCount];
        INDArray[] biases = new INDArray[convCount];
        INDArray[] weightGradients = new INDArray[convCount];
        INDArray[] biasGradients = new INDArray[convCount];
        int channels = (int) input.getNumChannels();
        int height = (int) input.getInputHeight();
        int width = (int) input.getInputWidth();
        for (int l = 0; l < convCount; l++) {
            Layer layer = critic.getLayer(l);
            ConvolutionLayer conf = (ConvolutionLayer) layer.conf().getLayer();
            double slope = FcPenalty.negativeSlope(conf.getActivationFn());
            int[] k = conf.getKernelSize();
            int[] s = conf.getStride();
            int[] p = conf.getPadding();
            int[] dilation = conf.getDilation();
            if (Double.isNaN(slope) || (l > 0 && critic.getLayerWiseConfigurations().getInputPreProcess(l) != null)
                    || conf.getIDropout() != null || conf.getWeightNoise() != null || conf.getCnn2dDataFormat() != CNN2DFormat.NCHW
                    || (conf.getConvolutionMode() != ConvolutionMode.Truncate && conf.getConvolutionMode() != ConvolutionMode.Strict)
                    || (dilation != null && (dilation[0] != 1 || dilation[1] != 1)) || conf.getNIn() != channels) {
                return null;
            }
            int outHeight = (height + 2 * p[0] - k[0]) / s[0] + 1;
            int outWidth = (width + 2 * p[1] - k[1]) / s[1] + 1;
            convs[l] = new Conv(channels, height, width, (int) conf.getNOut(), k[0], k[1], s[0], s[1], p[0], p[1], outHeight, outWidth, (float) slope);
            Map<String, INDArray> grads = gradientViews(layer);
            weights[l] = layer.getParam("W");
            biases[l] = conf.hasBias() ? layer.getParam("b") : null;
            weightGradients[l] = grads.get("W");
            biasGradients[l] = conf.hasBias() ? grads.get("b") : null;
            if (!contiguous(weights[l]) || !contiguous(weightGradients[l]) || outHeight < 1 || outWidth < 1) {
                return null;
            }
            channels = convs[l].outChannels();
            height = outHeight;
            width = outWidth;
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
        Map<String, INDArray> headGrads = gradientViews(last);
        INDArray headWeights = last.getParam("W");
        if (!contiguous(headWeights) || !contiguous(headGrads.get("W"))) {
            return null;
        }
        return new ConvCriticStep(critic, convs, weights, biases, weightGradients, biasGradients, headWeights,
                dense.hasBias() ? last.getParam("b") : null, headGrads.get("W"), dense.hasBias() ? headGrads.get("b") : null, poolScale);
    }

    private static Map<String, INDArray> gradientViews(Layer layer) {
        return layer.conf().getLayer().initializer().getGradientsFromFlattened(layer.conf(), layer.getGradientsViewArray());
    }

    /** Built for this network, whose parameter and gradient arrays (that the views here point into) are still the same. */
    boolean isFor(MultiLayerNetwork net) {
        return net == critic && net.params() == parameters && net.getFlattenedGradients() == gradients;
    }

    @Override
    public double lossIntoGradientView(INDArray real, INDArray fake, INDArray alpha) {
        requireSameArrays();
        return lossIntoGradientView(real, fake, alpha, lambda);
    }

    @Override
    public GeneratorSignal generatorSignal(INDArray fake) {
        requireSameArrays();
        INDArray[] scoreAndGradient = scoresAndInputGradient(fake, (float) (-1.0 / fake.rows()));
        return new GeneratorSignal(-scoreAndGradient[0].meanNumber().doubleValue(), scoreAndGradient[1]);
    }

    private void requireSameArrays() {
        if (!isFor(critic)) {
            throw new IllegalStateException("the critic's parameter or gradient arrays were replaced after its step was built");
        }
    }

    /**
     * mean f(fake) - mean f(real) + lambda GP at x_hat = alpha real + (1 - alpha) fake (real row i with fake row i mod m),
     * its parameter gradient written into the critic's gradient view (overwritten), as
     * {@link CriticGradients#lossIntoGradientView} computes it.
     */
    double lossIntoGradientView(INDArray real, INDArray fake, INDArray alpha, double lambda) {
        int n = (int) real.rows();
        int m = (int) fake.rows();
        int loss = n + m;
        int rows = lambda > 0 ? loss + n : loss;
        sized(rows);
        readKernels();
        int d = convs[0].imageFloats();
        float[] realRows = OffHeap.heapFloats(real);
        float[] fakeRows = OffHeap.heapFloats(fake);
        putRows(realRows, 0, n);
        putRows(fakeRows, n, m);
        if (lambda > 0) {
            float[] a = OffHeap.heapFloats(alpha);
            float[] mixed = new float[n * d];
            for (int i = 0; i < n; i++) {
                float ai = a[i];
                float bi = 1 - ai;
                int partner = (i % m) * d;
                for (int k = 0; k < d; k++) {
                    mixed[i * d + k] = realRows[i * d + k] * ai + fakeRows[partner + k] * bi;  // as ND4J's mul, mul, add
                }
            }
            putRows(mixed, loss, n);
        }
        float[] scores = forward();
        double meanReal = 0;
        double meanFake = 0;
        for (int i = 0; i < n; i++) {
            meanReal += scores[i];
        }
        for (int i = n; i < loss; i++) {
            meanFake += scores[i];
        }
        float[] outputErrors = new float[rows];
        Arrays.fill(outputErrors, 0, n, (float) (-1.0 / n));
        Arrays.fill(outputErrors, n, loss, (float) (1.0 / m));
        Arrays.fill(outputErrors, loss, rows, 1f);  // the interpolates: grad_x f
        float[] lossFeatures = Arrays.copyOf(features, features.length);
        backward(outputErrors, loss);
        double value = meanFake / m - meanReal / n;
        float[] coefficient = new float[rows];  // c on the interpolates' rows, 0 elsewhere
        if (lambda > 0) {
            value += penalty(loss, n, lambda, coefficient);
        }
        // the score layer: sum over loss rows of e_i features_i, over the interpolates of c_i tangent features_i
        int width = features.length / rows;
        float[] headGrad = new float[width];
        for (int k = 0; k < width; k++) {
            double sum = 0;
            for (int i = 0; i < loss; i++) {
                sum += outputErrors[i] * lossFeatures[i * width + k];
            }
            for (int i = loss; i < rows; i++) {
                sum += coefficient[i] * features[i * width + k];
            }
            headGrad[k] = (float) sum;
        }
        headGradientData.put(0, headGrad, 0, width);
        if (headBiasGradient != null) {
            double sum = 0;
            for (int i = 0; i < loss; i++) {
                sum += outputErrors[i];
            }
            headBiasGradient.assign(sum);
        }
        for (int l = 0; l < convs.length; l++) {
            weightGradient(l, loss);
        }
        return value;
    }

    /**
     * f(x) (a column) and d(e sum_i f(x_i))/dx (rows of x, NCHW flattened), one forward and one backward: what a
     * generator step of the WGAN loss needs from the critic. The critic's gradient view is left alone.
     */
    INDArray[] scoresAndInputGradient(INDArray x, float e) {
        int n = (int) x.rows();
        sized(n);
        readKernels();
        putRows(OffHeap.heapFloats(x), 0, n);
        float[] scores = forward();
        float[] outputErrors = new float[n];
        Arrays.fill(outputErrors, e);
        backward(outputErrors, 0);
        return new INDArray[] {Nd4j.createFromArray(scores).reshape(n, 1), Nd4j.createFromArray(getRows(inputGradient, 0, n)).reshape(n, x.columns())};
    }

    /** K_l = W_l reordered to [O, (ky, kx, c)], and the biases, as the parameters are now (Adam moved them since the last pass). */
    private void readKernels() {
        headData.get(0, headWeights);
        for (int l = 0; l < convs.length; l++) {
            Conv g = convs[l];
            int kk = g.kh() * g.kw();
            int taps = g.taps();
            float[] w = dl4jLayout;
            weightData[l].get(0, w, 0, g.outChannels() * taps);
            for (int o = 0; o < g.outChannels(); o++) {
                for (int c = 0; c < g.channels(); c++) {
                    for (int t = 0; t < kk; t++) {
                        reordered[o * taps + t * g.channels() + c] = w[(o * g.channels() + c) * kk + t];
                    }
                }
            }
            kernels[l].put(0, reordered, 0, g.outChannels() * taps);
            if (biases[l] != null) {
                biasData[l].get(0, bias[l]);
            }
        }
    }

    /** Rows of images (NCHW flattened) into maps[0] (channels-last) at images [first, first + count). */
    private void putRows(float[] rows, int first, int count) {
        Conv c0 = convs[0];
        int plane = c0.height() * c0.width();
        int channels = c0.channels();
        int d = c0.imageFloats();
        if (channels == 1) {
            System.arraycopy(rows, 0, maps[0], first * d, count * d);
            return;
        }
        for (int i = 0; i < count; i++) {
            int into = (first + i) * d;
            for (int c = 0; c < channels; c++) {
                for (int p = 0; p < plane; p++) {
                    maps[0][into + p * channels + c] = rows[i * d + c * plane + p];
                }
            }
        }
    }

    /** Images [first, first + count) of a map laid out as maps[0], as rows (NCHW flattened). */
    private float[] getRows(float[] map, int first, int count) {
        Conv c0 = convs[0];
        int plane = c0.height() * c0.width();
        int channels = c0.channels();
        int d = c0.imageFloats();
        float[] rows = new float[count * d];
        if (channels == 1) {
            System.arraycopy(map, first * d, rows, 0, count * d);
            return rows;
        }
        for (int i = 0; i < count; i++) {
            int from = (first + i) * d;
            for (int c = 0; c < channels; c++) {
                for (int p = 0; p < plane; p++) {
                    rows[i * d + c * plane + p] = map[from + p * channels + c];
                }
            }
        }
        return rows;
    }

    /** All layers for all images: maps and slopes, then the score layer's features; returns the scores. */
    private float[] forward() {
        for (int l = 0; l < convs.length; l++) {
            Conv g = convs[l];
            buildColumns(l, 0, batch);
            int rows = batch * g.positions();
            Blas.sgemm(Blas.Order.ROW_MAJOR, false, true, rows, g.outChannels(), g.taps(), 1f, columns[l], g.taps(), kernels[l], g.taps(),
                    0f, product, g.outChannels());
            float[] out = maps[l + 1];
            product.get(0, out, 0, rows * g.outChannels());
            LayerKernel.BEST.biasRowsAndSlope(out, slopes[l + 1], 0, rows, bias[l], g.negativeSlope());
        }
        computeFeatures(0, batch);
        int width = features.length / batch;
        float[] v = headWeights;
        float shift = headBias == null ? 0f : headBias.getFloat(0);
        float[] scores = new float[batch];
        for (int i = 0; i < batch; i++) {
            double sum = 0;
            for (int k = 0; k < width; k++) {
                sum += (double) v[k] * features[i * width + k];
            }
            scores[i] = (float) sum + shift;
        }
        return scores;
    }

    /** The score layer's input for images [first, to) from the last map: its channels pooled, or all of it in DL4J's order. */
    private void computeFeatures(int first, int to) {
        Conv last = convs[convs.length - 1];
        float[] map = maps[convs.length];
        int channels = last.outChannels();
        int positions = last.positions();
        int width = features.length / batch;
        if (poolScale != 0) {
            double[] sums = new double[channels];
            for (int i = first; i < to; i++) {
                Arrays.fill(sums, 0);
                for (int p = 0, k = i * positions * channels; p < positions; p++) {
                    for (int c = 0; c < channels; c++, k++) {
                        sums[c] += map[k];
                    }
                }
                for (int c = 0; c < channels; c++) {
                    features[i * width + c] = (float) sums[c] * poolScale;
                }
            }
            return;
        }
        for (int i = first; i < to; i++) {
            for (int p = 0, k = i * positions * channels; p < positions; p++) {
                for (int c = 0; c < channels; c++, k++) {
                    features[i * width + c * positions + p] = map[k];
                }
            }
        }
    }

    /**
     * Errors of sum_i e_i f(x_i) back to every convolution's pre-activation (all images), and conv 0's input gradient
     * for images [gradientFrom, batch).
     */
    private void backward(float[] outputErrors, int gradientFrom) {
        int top = convs.length - 1;
        Conv last = convs[top];
        float[] v = headWeights;
        float[] delta = deltas[top];
        float[] slope = slopes[top + 1];
        int positions = last.positions();
        int channels = last.outChannels();
        for (int i = 0, k = 0; i < batch; i++) {
            for (int p = 0; p < positions; p++) {
                for (int c = 0; c < channels; c++, k++) {
                    float dFeature = poolScale != 0 ? v[c] * poolScale : v[c * positions + p];
                    delta[k] = outputErrors[i] * dFeature * slope[k];
                }
            }
        }
        for (int l = top; l >= 0; l--) {
            Conv g = convs[l];
            int first = l == 0 ? gradientFrom : 0;
            int count = batch - first;
            if (count == 0) {
                continue;  // conv 0 and no image wants its input gradient
            }
            int outChannels = g.outChannels();
            int from = first * g.positions();
            errors.put(from * outChannels, deltas[l], from * outChannels, count * g.positions() * outChannels);
            // dX = Delta K over the images' rows, then summed back onto their pixels
            Blas.sgemm(Blas.Order.ROW_MAJOR, false, false, count * g.positions(), g.taps(), outChannels, 1f,
                    slice(errors, from * outChannels), outChannels, kernels[l], g.taps(), 0f, slice(product, from * g.taps()), g.taps());
            float[] into = l == 0 ? inputGradient : deltas[l - 1];
            scatter(l, first, into);
            if (l > 0) {
                LayerKernel.BEST.multiply(into, slopes[l], 0, batch * g.imageFloats());
            }
        }
    }

    /**
     * lambda GP over the interpolates (images [first, first + n)), whose input gradients g are in inputGradient: their
     * input maps become u = g / |g| and are run forward as tangents through the linear layers (the slopes of x_hat),
     * their errors are scaled by c, and c goes into {@code coefficient}.
     */
    private double penalty(int first, int n, double lambda, float[] coefficient) {
        int d = convs[0].imageFloats();
        double value = 0;
        for (int i = 0; i < n; i++) {
            int from = (first + i) * d;
            double sum = 0;
            for (int k = from; k < from + d; k++) {
                double x = inputGradient[k];
                sum += x * x;
            }
            double norm = Math.sqrt(sum);
            double excess = norm - 1;
            value += excess * excess;
            coefficient[first + i] = (float) (2 * lambda * excess / n);
            float scale = (float) (1 / (norm + 1e-12));
            for (int k = from; k < from + d; k++) {
                maps[0][k] = inputGradient[k] * scale;
            }
        }
        for (int l = 0; l < convs.length; l++) {
            Conv g = convs[l];
            buildColumns(l, first, first + n);
            int outChannels = g.outChannels();
            int row = first * g.positions();
            int rows = n * g.positions();
            Blas.sgemm(Blas.Order.ROW_MAJOR, false, true, rows, outChannels, g.taps(), 1f, slice(columns[l], row * g.taps()), g.taps(),
                    kernels[l], g.taps(), 0f, slice(product, row * outChannels), outChannels);
            float[] out = maps[l + 1];
            product.get(row * outChannels, out, row * outChannels, rows * outChannels);
            LayerKernel.BEST.multiply(out, slopes[l + 1], row * outChannels, rows * outChannels);
            float[] delta = deltas[l];
            int image = g.positions() * outChannels;
            for (int i = 0; i < n; i++) {
                float scale = coefficient[first + i];
                for (int k = (first + i) * image, end = k + image; k < end; k++) {
                    delta[k] *= scale;
                }
            }
        }
        computeFeatures(first, first + n);
        return lambda * value / n;
    }

    /** dW_l = Delta_l^T X_l over all images into the gradient view (reordered); the bias gradient from the loss rows [0, loss). */
    private void weightGradient(int l, int loss) {
        Conv g = convs[l];
        int rows = batch * g.positions();
        int outChannels = g.outChannels();
        int taps = g.taps();
        float[] delta = deltas[l];
        errors.put(0, delta, 0, rows * outChannels);
        Blas.sgemm(Blas.Order.ROW_MAJOR, true, false, outChannels, taps, rows, 1f, errors, outChannels, columns[l], taps, 0f,
                kernelGradient, taps);
        kernelGradient.get(0, reordered, 0, outChannels * taps);
        float[] dW = dl4jLayout;
        int kk = g.kh() * g.kw();
        for (int o = 0, k = 0; o < outChannels; o++) {
            for (int t = 0; t < kk; t++) {
                for (int c = 0; c < g.channels(); c++, k++) {
                    dW[(o * g.channels() + c) * kk + t] = reordered[k];
                }
            }
        }
        weightGradientData[l].put(0, dW, 0, outChannels * taps);
        if (biasGradients[l] != null) {
            // float sums over blocks of 64 rows (vector adds), the blocks summed in double
            double[] sums = new double[outChannels];
            float[] block = new float[outChannels];
            for (int r0 = 0, end = loss * g.positions(); r0 < end; r0 += 64) {
                Arrays.fill(block, 0f);
                for (int r = r0, last = Math.min(end, r0 + 64); r < last; r++) {
                    LayerKernel.BEST.addTo(block, 0, delta, r * outChannels, outChannels);
                }
                for (int o = 0; o < outChannels; o++) {
                    sums[o] += block[o];
                }
            }
            float[] b = new float[outChannels];
            for (int o = 0; o < outChannels; o++) {
                b[o] = (float) sums[o];
            }
            biasGradientData[l].put(0, b, 0, outChannels);
        }
    }

    /**
     * Rows of X of conv l for images [first, to): row (image, oy, ox) holds, per tap (ky, kx), the channel vector of
     * the pixel it reads (zeros in the padding). Built a chunk of rows at a time on the heap, copied to native memory.
     */
    private void buildColumns(int l, int first, int to) {
        Conv g = convs[l];
        int[] offsets = tapOffsets[l];
        int positions = g.positions();
        int kk = g.kh() * g.kw();
        int channels = g.channels();
        int taps = g.taps();
        int imageFloats = g.imageFloats();
        float[] source = maps[l];
        int chunkRows = Math.max(1, CHUNK_FLOATS / taps);
        for (int r0 = first * positions, end = to * positions; r0 < end; r0 += chunkRows) {
            int r1 = Math.min(end, r0 + chunkRows);
            for (int r = r0, at = 0; r < r1; r++) {
                int base = (r / positions) * imageFloats;
                int tap0 = (r % positions) * kk;
                for (int t = 0; t < kk; t++, at += channels) {
                    int offset = offsets[tap0 + t];
                    if (offset < 0) {
                        Arrays.fill(chunk, at, at + channels, 0f);
                    } else if (channels == 1) {
                        chunk[at] = source[base + offset];
                    } else {
                        System.arraycopy(source, base + offset, chunk, at, channels);
                    }
                }
            }
            columns[l].put(r0 * taps, chunk, 0, (r1 - r0) * taps);
        }
    }

    /** The input gradient of conv l for images [first, batch) from dX in {@code product}, summed onto their pixels in {@code into}. */
    private void scatter(int l, int first, float[] into) {
        Conv g = convs[l];
        int[] offsets = tapOffsets[l];
        int positions = g.positions();
        int kk = g.kh() * g.kw();
        int channels = g.channels();
        int taps = g.taps();
        int imageFloats = g.imageFloats();
        Arrays.fill(into, first * imageFloats, batch * imageFloats, 0f);
        int chunkRows = Math.max(1, CHUNK_FLOATS / taps);
        for (int r0 = first * positions, end = batch * positions; r0 < end; r0 += chunkRows) {
            int r1 = Math.min(end, r0 + chunkRows);
            product.get(r0 * taps, chunk, 0, (r1 - r0) * taps);
            for (int r = r0, at = 0; r < r1; r++) {
                int base = (r / positions) * imageFloats;
                int tap0 = (r % positions) * kk;
                for (int t = 0; t < kk; t++, at += channels) {
                    int offset = offsets[tap0 + t];
                    if (offset < 0) {
                        continue;
                    }
                    if (channels < 8) {
                        for (int c = 0, k = base + offset; c < channels; c++, k++) {
                            into[k] += chunk[at + c];
                        }
                    } else {
                        LayerKernel.BEST.addTo(into, base + offset, chunk, at, channels);
                    }
                }
            }
        }
    }

    /** The buffers for {@code rows} images: the current ones, the spare ones, or new ones. */
    private void sized(int rows) {
        if (rows == batch) {
            return;
        }
        Buffers wanted = spare != null && spare.batch() == rows ? spare : allocate(rows);
        spare = batch < 0 ? null : new Buffers(batch, maps, slopes, deltas, chunk, columns, product, errors, inputGradient, features);
        batch = wanted.batch();
        maps = wanted.maps();
        slopes = wanted.slopes();
        deltas = wanted.deltas();
        chunk = wanted.chunk();
        columns = wanted.columns();
        product = wanted.product();
        errors = wanted.errors();
        inputGradient = wanted.inputGradient();
        features = wanted.features();
    }

    /** The buffers of one batch size (see the fields of the same names). */
    private record Buffers(int batch, float[][] maps, float[][] slopes, float[][] deltas, float[] chunk, FloatBuffer[] columns, FloatBuffer product,
                           FloatBuffer errors, float[] inputGradient, float[] features) {
    }

    private Buffers allocate(int rows) {
        int layers = convs.length;
        float[][] maps = new float[layers + 1][];
        float[][] slopes = new float[layers + 1][];
        float[][] deltas = new float[layers][];
        FloatBuffer[] columns = new FloatBuffer[layers];
        long largestProduct = 0;
        long largestErrors = 0;
        int chunk = 0;
        maps[0] = new float[rows * convs[0].imageFloats()];
        for (int l = 0; l < layers; l++) {
            Conv g = convs[l];
            long positions = (long) rows * g.positions();
            int out = Math.toIntExact(positions * g.outChannels());
            maps[l + 1] = new float[out];
            slopes[l + 1] = new float[out];
            deltas[l] = new float[out];
            columns[l] = direct(positions * g.taps());
            largestProduct = Math.max(largestProduct, positions * Math.max(g.taps(), g.outChannels()));
            largestErrors = Math.max(largestErrors, out);
            chunk = Math.max(chunk, Math.max(1, CHUNK_FLOATS / g.taps()) * g.taps());
        }
        Conv last = convs[layers - 1];
        float[] features = new float[rows * (poolScale != 0 ? last.outChannels() : last.outChannels() * last.positions())];
        return new Buffers(rows, maps, slopes, deltas, new float[chunk], columns, direct(largestProduct), direct(largestErrors),
                new float[maps[0].length], features);
    }

    private static FloatBuffer direct(long floats) {
        if (floats * Float.BYTES > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("a buffer of " + floats + " floats is too large for one batch; use smaller batches");
        }
        return ByteBuffer.allocateDirect((int) (floats * Float.BYTES)).order(ByteOrder.nativeOrder()).asFloatBuffer();
    }

    private static FloatBuffer slice(FloatBuffer buffer, int from) {
        return buffer.slice(from, buffer.capacity() - from);
    }

    private static boolean contiguous(INDArray a) {
        return a != null && a.dataType() == DataType.FLOAT && a.elementWiseStride() == 1 && (a.ordering() == 'c' || a.isVector());
    }
}
