package org.wganspark.train;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.util.Map;
import org.bytedeco.openblas.global.openblas_nolapack;
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
 * fully connected one. Every feature map is stored channel-major, [channel, image, y, x]: then a convolution's product
 * Z = W X^T over the column matrix X^T [taps, (image, position)] (Chellapilla, Puri and Simard 2006) is already the
 * next layer's input, and no map is ever reordered. The critic must be: (Leaky)ReLU or identity convolutions (NCHW,
 * Truncate or Strict, no dilation), then average or sum global pooling or a flatten, then one linear score.
 *
 * <p>One pass of n + m + n rows (real, fake, interpolates), as in {@link FcCriticStep}: the forward pass and the
 * errors of all rows share each product (the interpolates' output error 1 gives g = grad_x f); then the
 * interpolates' maps are overwritten by the tangents T_l = S_l .* (W_l * T_{l-1}), T_0 = g / |g|, and their errors
 * scaled by c = 2 lambda (|g| - 1) / n, so that one product per layer, Delta_l X_l over all rows, is the loss's
 * weight gradient plus the penalty's ({@link LinearizedPenalty} has the mathematics). Biases get the loss rows' part
 * only: the penalty does not depend on them.
 */
final class ConvCriticStep {


    /** {@code -Dwgan.conv-step=false} leaves these critics to DL4J's layers (and {@link GemmConvolution}). */
    static final boolean ENABLED = Boolean.parseBoolean(System.getProperty("wgan.conv-step", "true"));
    private static final int ROW_MAJOR = 101;
    private static final int NO_TRANS = 111;
    private static final int TRANS = 112;

    /** One convolution's sizes, per image. */
    private record Conv(int channels, int height, int width, int outChannels, int kh, int kw, int sy, int sx, int py, int px, int outHeight,
                        int outWidth, float negativeSlope) {
        int taps() {
            return channels * kh * kw;
        }

        int positions() {
            return outHeight * outWidth;
        }

        int plane() {
            return height * width;
        }

        int paddedWidth() {
            return width + 2 * px;
        }

        int paddedPlane() {
            return (height + 2 * py) * paddedWidth();
        }
    }

    private final MultiLayerNetwork critic;
    private final INDArray parameters;
    private final INDArray gradients;
    private final Conv[] convs;
    private final INDArray[] weights;          // [O, C, kh, kw], views of the parameters
    private final INDArray[] biases;           // or null
    private final INDArray[] weightGradients;  // views of the gradient, the weights' layout
    private final INDArray[] biasGradients;
    private final INDArray head;               // the score's weights, one per feature
    private final INDArray headBias;
    private final INDArray headGradient;
    private final INDArray headBiasGradient;
    private final float poolScale;             // features: the last map's channels times this (pooling), or the whole map (0)

    /**
     * Buffers of the current batch size (the critic's n + m + n rows, or a generator step's m): maps[l] is conv l's
     * input (maps[L] the last output), slopes[l] maps[l]'s. Those of the other size wait in {@code spare}.
     */
    private Buffers spare;
    private int batch = -1;
    private float[][] maps;
    private float[][] slopes;
    private float[][] deltas;       // errors at conv l's pre-activation, the layout of maps[l + 1]
    private int[][][] readIndex;    // per layer, tap and column of X^T: the pixel it reads (see readIndex)
    private float[] heapRow;        // one row of X^T or dX^T on the heap
    private float[] paddedMap;      // a padded copy of a map, or of an input gradient
    private FloatBuffer[] columns;  // X^T per layer, native, for the products (kept for the weight gradient)
    private FloatBuffer product;    // Z, or dX^T
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
    }

    /** This path for a float critic of the shape above on the CPU backend, else null (DL4J's layers take it). */
    static ConvCriticStep of(MultiLayerNetwork critic) {
        if (!OffHeap.HOST_MEMORY || !ENABLED || critic.params().dataType() != DataType.FLOAT || critic.getnLayers() < 2) {
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
        int d = convs[0].channels() * convs[0].plane();
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
        java.util.Arrays.fill(outputErrors, 0, n, (float) (-1.0 / n));
        java.util.Arrays.fill(outputErrors, n, loss, (float) (1.0 / m));
        java.util.Arrays.fill(outputErrors, loss, rows, 1f);  // the interpolates: grad_x f
        float[] lossFeatures = java.util.Arrays.copyOf(features, features.length);
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
        OffHeap.at(headGradient).put(0, headGrad, 0, width);
        if (headBiasGradient != null) {
            double sum = 0;
            for (int i = 0; i < loss; i++) {
                sum += outputErrors[i];
            }
            headBiasGradient.assign(sum);
        }
        for (int l = 0; l < convs.length; l++) {
            weightGradient(l, loss, coefficient);
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
        putRows(OffHeap.heapFloats(x), 0, n);
        float[] scores = forward();
        float[] outputErrors = new float[n];
        java.util.Arrays.fill(outputErrors, e);
        backward(outputErrors, 0);
        return new INDArray[] {Nd4j.createFromArray(scores).reshape(n, 1), Nd4j.createFromArray(getRows(inputGradient, 0, n)).reshape(n, x.columns())};
    }

    /** Rows of images (NCHW flattened) into maps[0] at images [first, first + count). */
    private void putRows(float[] rows, int first, int count) {
        Conv c0 = convs[0];
        int plane = c0.plane();
        for (int c = 0; c < c0.channels(); c++) {
            for (int i = 0; i < count; i++) {
                System.arraycopy(rows, (i * c0.channels() + c) * plane, maps[0], (c * batch + first + i) * plane, plane);
            }
        }
    }

    /** Images [first, first + count) of a map laid out as maps[0], as rows (NCHW flattened). */
    private float[] getRows(float[] map, int first, int count) {
        Conv c0 = convs[0];
        int plane = c0.plane();
        float[] rows = new float[count * c0.channels() * plane];
        for (int c = 0; c < c0.channels(); c++) {
            for (int i = 0; i < count; i++) {
                System.arraycopy(map, (c * batch + first + i) * plane, rows, (i * c0.channels() + c) * plane, plane);
            }
        }
        return rows;
    }

    /** All layers for all images: maps and slopes, then the score layer's features; returns the scores. */
    private float[] forward() {
        for (int l = 0; l < convs.length; l++) {
            Conv g = convs[l];
            buildColumns(l, 0, batch);
            int positions = batch * g.positions();
            openblas_nolapack.cblas_sgemm(ROW_MAJOR, NO_TRANS, NO_TRANS, g.outChannels(), positions, g.taps(), 1f, OffHeap.at(weights[l]), g.taps(),
                    columns[l], positions, 0f, product, positions);
            float[] out = maps[l + 1];
            float[] slope = slopes[l + 1];
            product.get(0, out, 0, g.outChannels() * positions);
            float[] b = biases[l] == null ? new float[g.outChannels()] : biases[l].toFloatVector();
            for (int o = 0; o < g.outChannels(); o++) {
                LayerKernel.BEST.biasAndSlope(out, slope, o * positions, positions, b[o], g.negativeSlope());
            }
        }
        computeFeatures(0, batch);
        int width = features.length / batch;
        float[] v = OffHeap.heapFloats(head);
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

    /** The score layer's input for images [first, to) from the last map: its channels pooled, or all of it. */
    private void computeFeatures(int first, int to) {
        Conv last = convs[convs.length - 1];
        float[] map = maps[convs.length];
        int channels = last.outChannels();
        int positions = last.positions();
        int width = features.length / batch;
        for (int c = 0; c < channels; c++) {
            for (int i = first; i < to; i++) {
                int from = (c * batch + i) * positions;
                if (poolScale != 0) {
                    double sum = 0;
                    for (int p = 0; p < positions; p++) {
                        sum += map[from + p];
                    }
                    features[i * width + c] = (float) sum * poolScale;
                } else {
                    System.arraycopy(map, from, features, i * width + c * positions, positions);
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
        float[] v = OffHeap.heapFloats(head);
        float[] delta = deltas[top];
        float[] slope = slopes[top + 1];
        int positions = last.positions();
        for (int c = 0; c < last.outChannels(); c++) {
            for (int i = 0; i < batch; i++) {
                int from = (c * batch + i) * positions;
                for (int p = 0; p < positions; p++) {
                    float dFeature = poolScale != 0 ? v[c] * poolScale : v[c * positions + p];
                    delta[from + p] = outputErrors[i] * dFeature * slope[from + p];
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
            int all = batch * g.positions();
            errors.put(0, deltas[l], 0, g.outChannels() * all);
            // dX^T = W^T Delta over the images' columns, then summed back onto their pixels
            openblas_nolapack.cblas_sgemm(ROW_MAJOR, TRANS, NO_TRANS, g.taps(), count * g.positions(), g.outChannels(), 1f, OffHeap.at(weights[l]),
                    g.taps(), slice(errors, first * g.positions()), all, 0f, slice(product, first * g.positions()), all);
            float[] into = l == 0 ? inputGradient : deltas[l - 1];
            scatter(l, first, into);
            if (l > 0) {
                LayerKernel.BEST.multiply(into, slopes[l], 0, g.channels() * batch * g.plane());
            }
        }
    }

    /**
     * lambda GP over the interpolates (images [first, first + n)), whose input gradients g are in inputGradient: their
     * input maps become u = g / |g| and are run forward as tangents through the linear layers (the slopes of x_hat),
     * their errors are scaled by c, and c goes into {@code coefficient}.
     */
    private double penalty(int first, int n, double lambda, float[] coefficient) {
        Conv c0 = convs[0];
        int plane = c0.plane();
        double[] norm = new double[n];
        for (int c = 0; c < c0.channels(); c++) {
            for (int i = 0; i < n; i++) {
                int from = (c * batch + first + i) * plane;
                double sum = 0;
                for (int p = 0; p < plane; p++) {
                    double x = inputGradient[from + p];
                    sum += x * x;
                }
                norm[i] += sum;
            }
        }
        double value = 0;
        float[] inverse = new float[n];
        for (int i = 0; i < n; i++) {
            norm[i] = Math.sqrt(norm[i]);
            double excess = norm[i] - 1;
            value += excess * excess;
            coefficient[first + i] = (float) (2 * lambda * excess / n);
            inverse[i] = (float) (1 / (norm[i] + 1e-12));
        }
        for (int c = 0; c < c0.channels(); c++) {
            for (int i = 0; i < n; i++) {
                int from = (c * batch + first + i) * plane;
                float scale = inverse[i];
                for (int p = 0; p < plane; p++) {
                    maps[0][from + p] = inputGradient[from + p] * scale;
                }
            }
        }
        for (int l = 0; l < convs.length; l++) {
            Conv g = convs[l];
            buildColumns(l, first, first + n);
            int all = batch * g.positions();
            int offset = first * g.positions();
            openblas_nolapack.cblas_sgemm(ROW_MAJOR, NO_TRANS, NO_TRANS, g.outChannels(), n * g.positions(), g.taps(), 1f, OffHeap.at(weights[l]),
                    g.taps(), slice(columns[l], offset), all, 0f, slice(product, offset), all);
            float[] out = maps[l + 1];
            float[] slope = slopes[l + 1];
            int length = n * g.positions();
            for (int o = 0; o < g.outChannels(); o++) {
                int from = o * all + offset;
                product.get(from, out, from, length);
                LayerKernel.BEST.multiply(out, slope, from, length);
            }
            float[] delta = deltas[l];
            for (int o = 0; o < g.outChannels(); o++) {
                for (int i = 0; i < n; i++) {
                    int from = o * all + (first + i) * g.positions();
                    float scale = coefficient[first + i];
                    for (int p = 0; p < g.positions(); p++) {
                        delta[from + p] *= scale;
                    }
                }
            }
        }
        computeFeatures(first, first + n);
        return lambda * value / n;
    }

    /** dW_l = Delta_l X_l over all images into the gradient view; the bias gradient from the loss rows [0, loss). */
    private void weightGradient(int l, int loss, float[] coefficient) {
        Conv g = convs[l];
        int all = batch * g.positions();
        float[] delta = deltas[l];
        errors.put(0, delta, 0, g.outChannels() * all);
        openblas_nolapack.cblas_sgemm(ROW_MAJOR, NO_TRANS, TRANS, g.outChannels(), g.taps(), all, 1f, errors, all, columns[l], all, 0f,
                OffHeap.at(weightGradients[l]), g.taps());
        if (biasGradients[l] != null) {
            float[] sums = new float[g.outChannels()];
            for (int o = 0; o < g.outChannels(); o++) {
                double sum = 0;
                for (int k = o * all, end = k + loss * g.positions(); k < end; k++) {
                    sum += delta[k];
                }
                sums[o] = (float) sum;
            }
            OffHeap.at(biasGradients[l]).put(0, sums, 0, sums.length);
        }
    }

    /**
     * X^T of conv l for images [first, to): row (c, ky, kx), column (image, oy, ox) holds the pixel it reads (0 outside).
     * Built one row segment at a time in a small heap array (it stays in cache) and copied to the native columns.
     */
    private void buildColumns(int l, int first, int to) {
        Conv g = convs[l];
        int[][] reads = readIndex[l];
        int positions = g.positions();
        int all = batch * positions;
        int plane = g.py() > 0 || g.px() > 0 ? g.paddedPlane() : g.plane();
        float[] source = g.py() > 0 || g.px() > 0 ? pad(maps[l], g, first, to) : maps[l];
        float[] row = heapRow;
        int from = first * positions;
        int end = to * positions;
        for (int c = 0; c < g.channels(); c++) {
            int base = c * batch * plane;
            for (int tap = 0; tap < reads.length; tap++) {
                int[] read = reads[tap];
                for (int j = from; j < end; j++) {
                    row[j] = source[base + read[j]];
                }
                columns[l].put((c * reads.length + tap) * all + from, row, from, end - from);
            }
        }
    }

    /** Images [first, to) of a map with py zero rows above and below and px zero columns either side of every plane. */
    private float[] pad(float[] map, Conv g, int first, int to) {
        int wide = g.paddedWidth();
        int plane = g.paddedPlane();
        for (int c = 0; c < g.channels(); c++) {
            for (int i = first; i < to; i++) {
                int into = (c * batch + i) * plane;
                java.util.Arrays.fill(paddedMap, into, into + plane, 0f);
                for (int y = 0; y < g.height(); y++) {
                    System.arraycopy(map, (c * batch + i) * g.plane() + y * g.width(), paddedMap, into + (y + g.py()) * wide + g.px(), g.width());
                }
            }
        }
        return paddedMap;
    }

    /** The input gradient of conv l for images [first, batch) from dX^T in {@code product}, summed onto their pixels in {@code into}. */
    private void scatter(int l, int first, float[] into) {
        Conv g = convs[l];
        int[][] reads = readIndex[l];
        int positions = g.positions();
        int all = batch * positions;
        boolean padded = g.py() > 0 || g.px() > 0;
        int plane = padded ? g.paddedPlane() : g.plane();
        float[] target = padded ? paddedMap : into;
        java.util.Arrays.fill(target, 0, g.channels() * batch * plane, 0f);  // (images before first are not read)
        float[] row = heapRow;
        int from = first * positions;
        int end = batch * positions;
        for (int c = 0; c < g.channels(); c++) {
            int base = c * batch * plane;
            for (int tap = 0; tap < reads.length; tap++) {
                int[] read = reads[tap];
                product.get((c * reads.length + tap) * all + from, row, from, end - from);
                for (int j = from; j < end; j++) {
                    target[base + read[j]] += row[j];
                }
            }
        }
        if (padded) {
            for (int c = 0; c < g.channels(); c++) {
                for (int i = first; i < batch; i++) {
                    int at = (c * batch + i) * plane;
                    for (int y = 0; y < g.height(); y++) {
                        System.arraycopy(paddedMap, at + (y + g.py()) * g.paddedWidth() + g.px(), into, (c * batch + i) * g.plane() + y * g.width(), g.width());
                    }
                }
            }
        }
    }

    /**
     * Per tap (ky, kx) and column (image, oy, ox) of one channel's rows of X^T: the pixel that column reads, from the
     * channel's first (padded) plane: image * plane + (oy sy + ky) * padded width + ox sx + kx.
     */
    private static int[][] readIndex(Conv g, int images) {
        int plane = g.py() > 0 || g.px() > 0 ? g.paddedPlane() : g.plane();
        int[][] index = new int[g.kh() * g.kw()][images * g.positions()];
        for (int ky = 0; ky < g.kh(); ky++) {
            for (int kx = 0; kx < g.kw(); kx++) {
                int[] read = index[ky * g.kw() + kx];
                for (int i = 0, j = 0; i < images; i++) {
                    for (int oy = 0; oy < g.outHeight(); oy++) {
                        for (int ox = 0; ox < g.outWidth(); ox++) {
                            read[j++] = i * plane + (oy * g.sy() + ky) * g.paddedWidth() + ox * g.sx() + kx;
                        }
                    }
                }
            }
        }
        return index;
    }

    /** The buffers for {@code rows} images: the current ones, the spare ones, or new ones. */
    private void sized(int rows) {
        if (rows == batch) {
            return;
        }
        Buffers wanted = spare != null && spare.batch() == rows ? spare : allocate(rows);
        spare = batch < 0 ? null : new Buffers(batch, maps, slopes, deltas, readIndex, heapRow, paddedMap, columns, product, errors, inputGradient,
                features);
        batch = wanted.batch();
        maps = wanted.maps();
        slopes = wanted.slopes();
        deltas = wanted.deltas();
        readIndex = wanted.readIndex();
        heapRow = wanted.heapRow();
        paddedMap = wanted.paddedMap();
        columns = wanted.columns();
        product = wanted.product();
        errors = wanted.errors();
        inputGradient = wanted.inputGradient();
        features = wanted.features();
    }

    /** The buffers of one batch size (see the fields of the same names). */
    private record Buffers(int batch, float[][] maps, float[][] slopes, float[][] deltas, int[][][] readIndex, float[] heapRow, float[] paddedMap,
                           FloatBuffer[] columns, FloatBuffer product, FloatBuffer errors, float[] inputGradient, float[] features) {
    }

    private Buffers allocate(int rows) {
        int layers = convs.length;
        float[][] maps = new float[layers + 1][];
        float[][] slopes = new float[layers + 1][];
        float[][] deltas = new float[layers][];
        FloatBuffer[] columns = new FloatBuffer[layers];
        int[][][] readIndex = new int[layers][][];
        int padded = 0;
        int row = 0;
        long largest = 0;
        maps[0] = new float[convs[0].channels() * rows * convs[0].plane()];
        for (int l = 0; l < layers; l++) {
            Conv g = convs[l];
            int out = g.outChannels() * rows * g.positions();
            maps[l + 1] = new float[out];
            slopes[l + 1] = new float[out];
            deltas[l] = new float[out];
            int size = g.taps() * rows * g.positions();
            columns[l] = direct(size);
            readIndex[l] = readIndex(g, rows);
            padded = Math.max(padded, g.channels() * rows * g.paddedPlane());
            row = Math.max(row, rows * g.positions());
            largest = Math.max(largest, Math.max(size, out));
        }
        Conv last = convs[layers - 1];
        float[] features = new float[rows * (poolScale != 0 ? last.outChannels() : last.outChannels() * last.positions())];
        return new Buffers(rows, maps, slopes, deltas, readIndex, new float[row], new float[padded], columns, direct(largest), direct(largest),
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
