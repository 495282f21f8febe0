package org.wganspark.train.step.cpu;

import java.nio.FloatBuffer;
import java.util.Arrays;
import java.util.Optional;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.wganspark.model.OffHeap;
import org.wganspark.ot.Blas;

/**
 * The WGAN-GP critic gradient of a float convolutional critic (the CNN critics of Fig. 7, with average pooling or
 * flatten, and the DCGAN critic; {@link ConvCritic} says which), by hand on buffers kept from step to step, as
 * {@link FcCriticStep} does for the fully connected one. Every feature map is stored channels-last, as a matrix
 * [(image, y, x), channel]: a convolution is then Z = X K^T over the column matrix X [(image, position), (ky, kx,
 * channel)] ({@link ChannelsLastColumns}), and Z is already the next layer's input.
 *
 * <p>One pass of n + m + n rows (real, fake, interpolates), as in {@link FcCriticStep}: the forward pass and the
 * errors of all rows share each product (the interpolates' output error 1 gives g = grad_x f); then the
 * interpolates' maps are overwritten by the tangents T_l = S_l .* (W_l * T_{l-1}), T_0 = g / |g|, and their errors
 * scaled by c = 2 lambda (|g| - 1) / n, so that one product per layer, Delta_l^T X_l over all rows, is the loss's
 * weight gradient plus the penalty's ({@code LinearizedPenalty} has the mathematics). Biases get the loss rows' part
 * only: the penalty does not depend on them.
 */
public final class ConvCriticStep extends HandWrittenCriticStep {

    private final ConvCritic critic;
    private final ConvGeometry[] convs;
    private final ChannelsLastColumns[] columnMaps;
    /** K_l [O, (ky, kx, c)], native, and b_l (0 without a bias): the parameters as they were at the start of the pass. */
    private final FloatBuffer[] kernels;
    private final float[][] bias;
    private final float[] headWeights;
    private float headBias;
    private final FloatBuffer kernelGradient;  // dK_l [O, (ky, kx, c)]
    /** The buffers of the current batch size (the critic's n + m + n rows, or a generator step's m), and of the other. */
    private ConvBuffers b;
    private ConvBuffers spare;

    private ConvCriticStep(ConvCritic critic) {
        this.critic = critic;
        this.convs = critic.convs;
        int layers = convs.length;
        columnMaps = new ChannelsLastColumns[layers];
        kernels = new FloatBuffer[layers];
        bias = new float[layers][];
        int largest = 0;
        for (int l = 0; l < layers; l++) {
            columnMaps[l] = new ChannelsLastColumns(convs[l]);
            kernels[l] = ConvBuffers.direct((long) convs[l].outChannels() * convs[l].taps());
            bias[l] = new float[convs[l].outChannels()];
            largest = Math.max(largest, convs[l].outChannels() * convs[l].taps());
        }
        kernelGradient = ConvBuffers.direct(largest);
        headWeights = new float[critic.featureWidth()];
    }

    /**
     * This path for a float critic of the shape {@link ConvCritic} describes, on the CPU backend, with penalty weight
     * {@code lambda}; empty for any other critic (DL4J's layers take it).
     */
    public static Optional<ConvCriticStep> forCritic(MultiLayerNetwork critic, double lambda) {
        ConvCriticStep step = of(critic);
        if (step != null) {
            step.lambda = lambda;
        }
        return Optional.ofNullable(step);
    }

    /** The step of {@link #forCritic} without a penalty weight yet: null for a critic of any other shape. */
    static ConvCriticStep of(MultiLayerNetwork network) {
        ConvCritic critic = ConvCritic.of(network);
        return critic == null ? null : new ConvCriticStep(critic);
    }

    @Override
    boolean isFor(MultiLayerNetwork net) {
        return critic.isFor(net);
    }

    @Override
    MultiLayerNetwork network() {
        return critic.network;
    }

    /**
     * mean f(fake) - mean f(real) + lambda GP at x_hat = alpha real + (1 - alpha) fake (real row i with fake row i mod m),
     * its parameter gradient written into the critic's gradient view (overwritten), as
     * {@code CriticGradients.lossIntoGradientView} computes it.
     */
    @Override
    double lossIntoGradientView(INDArray real, INDArray fake, INDArray alpha, double lambda) {
        int n = (int) real.rows();
        int m = (int) fake.rows();
        int loss = n + m;
        int rows = lambda > 0 ? loss + n : loss;
        sized(rows);
        headBias = critic.readKernels(kernels, bias, headWeights);
        float[] realRows = OffHeap.heapFloats(real);
        float[] fakeRows = OffHeap.heapFloats(fake);
        putRows(realRows, 0, n);
        putRows(fakeRows, n, m);
        if (lambda > 0) {
            putRows(interpolates(realRows, fakeRows, OffHeap.heapFloats(alpha), n, m), loss, n);
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
        float[] lossFeatures = Arrays.copyOf(b.features, b.features.length);
        backward(outputErrors, loss);
        double value = meanFake / m - meanReal / n;
        float[] coefficient = new float[rows];  // c on the interpolates' rows, 0 elsewhere
        if (lambda > 0) {
            value += penalty(loss, n, lambda, coefficient);
        }
        headGradient(outputErrors, lossFeatures, coefficient, loss, rows);
        for (int l = 0; l < convs.length; l++) {
            weightGradient(l, loss);
        }
        return value;
    }

    /** x_hat_i = alpha_i real_i + (1 - alpha_i) fake_(i mod m), as ND4J's mul, mul, add rounds it. */
    private float[] interpolates(float[] realRows, float[] fakeRows, float[] alpha, int n, int m) {
        int d = convs[0].imageFloats();
        float[] mixed = new float[n * d];
        for (int i = 0; i < n; i++) {
            float ai = alpha[i];
            float bi = 1 - ai;
            int partner = (i % m) * d;
            for (int k = 0; k < d; k++) {
                mixed[i * d + k] = realRows[i * d + k] * ai + fakeRows[partner + k] * bi;
            }
        }
        return mixed;
    }

    /** The score layer: the sum over loss rows of e_i features_i and over the interpolates of c_i tangent features_i. */
    private void headGradient(float[] outputErrors, float[] lossFeatures, float[] coefficient, int loss, int rows) {
        float[] features = b.features;
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
        double biasSum = 0;
        for (int i = 0; i < loss; i++) {
            biasSum += outputErrors[i];
        }
        critic.writeHeadGradient(headGrad, biasSum);
    }

    /**
     * f(x) (a column) and d(e sum_i f(x_i))/dx (rows of x, NCHW flattened), one forward and one backward: what a
     * generator step of the WGAN loss needs from the critic. The critic's gradient view is left alone.
     */
    @Override
    INDArray[] scoresAndInputGradient(INDArray x, float e) {
        int n = (int) x.rows();
        sized(n);
        headBias = critic.readKernels(kernels, bias, headWeights);
        putRows(OffHeap.heapFloats(x), 0, n);
        float[] scores = forward();
        float[] outputErrors = new float[n];
        Arrays.fill(outputErrors, e);
        backward(outputErrors, 0);
        return new INDArray[] {Nd4j.createFromArray(scores).reshape(n, 1), Nd4j.createFromArray(getRows(b.inputGradient, 0, n)).reshape(n, x.columns())};
    }

    /** Rows of images (NCHW flattened) into maps[0] (channels-last) at images [first, first + count). */
    private void putRows(float[] rows, int first, int count) {
        ConvGeometry c0 = convs[0];
        int plane = c0.height() * c0.width();
        int channels = c0.channels();
        int d = c0.imageFloats();
        float[] map = b.maps[0];
        if (channels == 1) {
            System.arraycopy(rows, 0, map, first * d, count * d);
            return;
        }
        for (int i = 0; i < count; i++) {
            int into = (first + i) * d;
            for (int c = 0; c < channels; c++) {
                for (int p = 0; p < plane; p++) {
                    map[into + p * channels + c] = rows[i * d + c * plane + p];
                }
            }
        }
    }

    /** Images [first, first + count) of a map laid out as maps[0], as rows (NCHW flattened). */
    private float[] getRows(float[] map, int first, int count) {
        ConvGeometry c0 = convs[0];
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
        int batch = b.batch;
        for (int l = 0; l < convs.length; l++) {
            ConvGeometry g = convs[l];
            columnMaps[l].build(b.maps[l], 0, batch, b.chunk, b.columns[l]);
            int rows = batch * g.positions();
            Blas.sgemm(Blas.Order.ROW_MAJOR, false, true, rows, g.outChannels(), g.taps(), 1f, b.columns[l], g.taps(), kernels[l], g.taps(),
                    0f, b.product, g.outChannels());
            float[] out = b.maps[l + 1];
            b.product.get(0, out, 0, rows * g.outChannels());
            LayerKernel.BEST.biasRowsAndSlope(out, b.slopes[l + 1], 0, rows, bias[l], critic.negativeSlopes[l]);
        }
        computeFeatures(0, batch);
        float[] features = b.features;
        int width = features.length / batch;
        float[] scores = new float[batch];
        for (int i = 0; i < batch; i++) {
            double sum = 0;
            for (int k = 0; k < width; k++) {
                sum += (double) headWeights[k] * features[i * width + k];
            }
            scores[i] = (float) sum + headBias;
        }
        return scores;
    }

    /** The score layer's input for images [first, to) from the last map: its channels pooled, or all of it in DL4J's order. */
    private void computeFeatures(int first, int to) {
        ConvGeometry last = convs[convs.length - 1];
        float[] map = b.maps[convs.length];
        float[] features = b.features;
        int channels = last.outChannels();
        int positions = last.positions();
        int width = features.length / b.batch;
        float poolScale = critic.poolScale;
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
        int batch = b.batch;
        int top = convs.length - 1;
        ConvGeometry last = convs[top];
        float[] delta = b.deltas[top];
        float[] slope = b.slopes[top + 1];
        int positions = last.positions();
        int channels = last.outChannels();
        float poolScale = critic.poolScale;
        for (int i = 0, k = 0; i < batch; i++) {
            for (int p = 0; p < positions; p++) {
                for (int c = 0; c < channels; c++, k++) {
                    float dFeature = poolScale != 0 ? headWeights[c] * poolScale : headWeights[c * positions + p];
                    delta[k] = outputErrors[i] * dFeature * slope[k];
                }
            }
        }
        for (int l = top; l >= 0; l--) {
            ConvGeometry g = convs[l];
            int first = l == 0 ? gradientFrom : 0;
            int count = batch - first;
            if (count == 0) {
                continue;  // conv 0 and no image wants its input gradient
            }
            int outChannels = g.outChannels();
            int from = first * g.positions();
            b.errors.put(from * outChannels, b.deltas[l], from * outChannels, count * g.positions() * outChannels);
            // dX = Delta K over the images' rows, then summed back onto their pixels
            Blas.sgemm(Blas.Order.ROW_MAJOR, false, false, count * g.positions(), g.taps(), outChannels, 1f,
                    slice(b.errors, from * outChannels), outChannels, kernels[l], g.taps(), 0f, slice(b.product, from * g.taps()), g.taps());
            float[] into = l == 0 ? b.inputGradient : b.deltas[l - 1];
            columnMaps[l].scatter(b.product, first, batch, b.chunk, into);
            if (l > 0) {
                LayerKernel.BEST.multiply(into, b.slopes[l], 0, batch * g.imageFloats());
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
        float[] inputGradient = b.inputGradient;
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
                b.maps[0][k] = inputGradient[k] * scale;
            }
        }
        for (int l = 0; l < convs.length; l++) {
            ConvGeometry g = convs[l];
            columnMaps[l].build(b.maps[l], first, first + n, b.chunk, b.columns[l]);
            int outChannels = g.outChannels();
            int row = first * g.positions();
            int rows = n * g.positions();
            Blas.sgemm(Blas.Order.ROW_MAJOR, false, true, rows, outChannels, g.taps(), 1f, slice(b.columns[l], row * g.taps()), g.taps(),
                    kernels[l], g.taps(), 0f, slice(b.product, row * outChannels), outChannels);
            float[] out = b.maps[l + 1];
            b.product.get(row * outChannels, out, row * outChannels, rows * outChannels);
            LayerKernel.BEST.multiply(out, b.slopes[l + 1], row * outChannels, rows * outChannels);
            float[] delta = b.deltas[l];
            int image = g.outputFloats();
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
        ConvGeometry g = convs[l];
        int rows = b.batch * g.positions();
        int outChannels = g.outChannels();
        int taps = g.taps();
        float[] delta = b.deltas[l];
        b.errors.put(0, delta, 0, rows * outChannels);
        Blas.sgemm(Blas.Order.ROW_MAJOR, true, false, outChannels, taps, rows, 1f, b.errors, outChannels, b.columns[l], taps, 0f,
                kernelGradient, taps);
        critic.writeKernelGradient(l, kernelGradient);
        if (critic.hasBias(l)) {
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
            float[] gradient = new float[outChannels];
            for (int o = 0; o < outChannels; o++) {
                gradient[o] = (float) sums[o];
            }
            critic.writeBiasGradient(l, gradient);
        }
    }

    /** The buffers for {@code rows} images: the current ones, the spare ones, or new ones. */
    private void sized(int rows) {
        if (b != null && b.batch == rows) {
            return;
        }
        ConvBuffers wanted = spare != null && spare.batch == rows ? spare : new ConvBuffers(critic, rows);
        spare = b;
        b = wanted;
    }

    private static FloatBuffer slice(FloatBuffer buffer, int from) {
        return buffer.slice(from, buffer.capacity() - from);
    }
}
