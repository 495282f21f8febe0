package org.wganspark.train;

import java.nio.FloatBuffer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * The WGAN-GP critic gradient of a float, fully connected (Leaky)ReLU critic (the Fig. 5 / Fig. 6 critic), computed
 * by hand on buffers kept from step to step: every product is one BLAS gemm of column-major operands into a
 * preallocated result or straight into the critic's gradient view, and the elementwise work (bias, slopes, row
 * scaling) is plain Java over the same memory. The arithmetic is that of DL4J's backprop plus {@link FcPenalty};
 * what goes is ND4J's per-operation cost: on the 784-1024x3-1 critic an mmul into a fresh array took twice the gemm
 * itself, and each elementwise operation on a 128 x 1024 batch 0.6 ms.
 *
 * <p>For sum_i e_i f(x_i) with pre-activations Z_l = A_{l-1} W_l + b_l, slopes S_l and A_l = Z_l .* S_l:
 * errors E_l = (E_{l+1} W_{l+1}^T) .* S_l, dW_l = A_{l-1}^T E_l, db_l = 1^T E_l; the penalty's parameter gradient
 * is {@link FcPenalty}'s, T_{l-1}^T (c .* Delta_l) with tangents T_l = (T_{l-1} W_l) .* S_l.
 */
final class FcCriticStep {

    private final MultiLayerNetwork critic;
    private final INDArray parameters;
    private final INDArray gradients;
    private final INDArray[] weights;
    private final float[][] biases;
    private final INDArray[] biasViews;
    private final float[] negativeSlope;
    private final INDArray[] weightGradients;
    private final INDArray[] biasGradients;
    private final int[] width;  // width[0] the input, width[l + 1] layer l's output
    private Pass scores;
    private Pass interpolates;

    private FcCriticStep(MultiLayerNetwork critic, INDArray[] weights, INDArray[] biasViews, float[] negativeSlope,
                         INDArray[] weightGradients, INDArray[] biasGradients) {
        this.critic = critic;
        this.parameters = critic.params();
        this.gradients = critic.getFlattenedGradients();
        this.weights = weights;
        this.biasViews = biasViews;
        this.biases = new float[weights.length][];
        this.negativeSlope = negativeSlope;
        this.weightGradients = weightGradients;
        this.biasGradients = biasGradients;
        this.width = new int[weights.length + 1];
        width[0] = weights[0].rows();
        for (int l = 0; l < weights.length; l++) {
            width[l + 1] = weights[l].columns();
        }
    }

    /** This path for a float critic that {@link FcPenalty} takes (a chain of dense piecewise-linear layers), else null. */
    static FcCriticStep of(MultiLayerNetwork critic) {
        FcPenalty chain = critic.params().dataType() == DataType.FLOAT ? FcPenalty.of(critic) : null;
        if (chain == null) {
            return null;
        }
        int layers = chain.layers();
        INDArray[] weights = new INDArray[layers];
        INDArray[] biases = new INDArray[layers];
        float[] slopes = new float[layers];
        INDArray[] weightGradients = new INDArray[layers];
        INDArray[] biasGradients = new INDArray[layers];
        if (critic.getFlattenedGradients() == null) {
            critic.initGradientsView();  // what DL4J's first backprop would do; the updater reads this view
        }
        INDArray flat = critic.getFlattenedGradients();
        flat = flat.reshape(flat.length());
        long offset = 0;  // per layer W (column-major), then b: the layout of the parameters and of their gradient
        for (int l = 0; l < layers; l++) {
            weights[l] = chain.weight(l);
            if (weights[l].ordering() != 'f') {
                return null;
            }
            slopes[l] = (float) chain.negativeSlope(l);
            long size = weights[l].length();
            weightGradients[l] = flat.get(NDArrayIndex.interval(offset, offset + size)).reshape('f', weights[l].rows(), weights[l].columns());
            offset += size;
            biases[l] = chain.bias(l);
            if (biases[l] != null) {
                biasGradients[l] = flat.get(NDArrayIndex.interval(offset, offset + biases[l].length()));
                offset += biases[l].length();
            }
        }
        return offset == flat.length() ? new FcCriticStep(critic, weights, biases, slopes, weightGradients, biasGradients) : null;
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
        int n = real.rows();
        int m = fake.rows();
        readBiases();
        scores = sized(scores, n + m, false);
        scores.input.get(NDArrayIndex.interval(0, n), NDArrayIndex.all()).assign(real);  // column-major copies
        scores.input.get(NDArrayIndex.interval(n, n + m), NDArrayIndex.all()).assign(fake);
        forward(scores);
        float[] f = new float[n + m];
        OffHeap.floats(scores.activations[weights.length]).get(f);
        double meanReal = 0;
        double meanFake = 0;
        for (int i = 0; i < n; i++) {
            meanReal += f[i];
        }
        for (int i = n; i < n + m; i++) {
            meanFake += f[i];
        }
        float[] outputErrors = new float[n + m];
        java.util.Arrays.fill(outputErrors, 0, n, (float) (-1.0 / n));
        java.util.Arrays.fill(outputErrors, n, n + m, (float) (1.0 / m));
        backward(scores, outputErrors, true);
        double value = meanFake / m - meanReal / n;
        if (lambda > 0) {
            value += penalty(real, fake, alpha, lambda);
        }
        return value;
    }

    /**
     * f(x) (a column) and d(e sum_i f(x_i))/dx (rows of x, row-major), one forward and one backward: what a
     * generator step of the WGAN loss needs from the critic. The critic's gradient view is left alone.
     */
    INDArray[] scoresAndInputGradient(INDArray x, float e) {
        int n = x.rows();
        readBiases();
        interpolates = sized(interpolates, n, true);
        interpolates.input.assign(x);
        forward(interpolates);
        float[] f = new float[n];
        OffHeap.floats(interpolates.activations[weights.length]).get(f);
        float[] errors = new float[n];
        java.util.Arrays.fill(errors, e);
        backward(interpolates, errors, false);
        return new INDArray[] {Nd4j.createFromArray(f).reshape(n, 1), interpolates.inputGradient.dup('c')};
    }

    /** lambda GP at the interpolates; adds its parameter gradient to the weight gradients (the biases get none). */
    private double penalty(INDArray real, INDArray fake, INDArray alpha, double lambda) {
        int n = real.rows();
        int m = fake.rows();
        interpolates = sized(interpolates, n, true);
        INDArray partner = n == m ? fake : fake.getRows(java.util.stream.IntStream.range(0, n).map(i -> i % m).toArray());
        interpolates.input.assign(real.mulColumnVector(alpha).addi(partner.mulColumnVector(alpha.rsub(1))));
        forward(interpolates);
        float[] ones = new float[n];
        java.util.Arrays.fill(ones, 1f);
        backward(interpolates, ones, false);  // errors Delta_l, and g = grad_x f in inputGradient
        int d = width[0];
        FloatBuffer g = OffHeap.floats(interpolates.inputGradient);
        double[] norm = new double[n];
        for (int k = 0; k < d; k++) {
            for (int i = 0; i < n; i++) {
                double x = g.get(k * n + i);
                norm[i] += x * x;
            }
        }
        double value = 0;
        float[] coefficient = new float[n];
        float[] inverseNorm = new float[n];
        for (int i = 0; i < n; i++) {
            norm[i] = Math.sqrt(norm[i]);
            double excess = norm[i] - 1;
            value += excess * excess;
            coefficient[i] = (float) (2 * lambda * excess / n);
            inverseNorm[i] = (float) (1 / (norm[i] + 1e-12));
        }
        // tangents from u = g / |g|, kept in the input-gradient buffer
        for (int k = 0; k < d; k++) {
            for (int i = 0; i < n; i++) {
                g.put(k * n + i, g.get(k * n + i) * inverseNorm[i]);
            }
        }
        INDArray tangent = interpolates.inputGradient;
        for (int l = 0; l < weights.length; l++) {
            INDArray scaled = interpolates.scratch[l];
            scaleRows(interpolates.errors[l], coefficient, scaled, n, width[l + 1]);
            ColumnMajorGemm.gemm(tangent, scaled, weightGradients[l], true, false, 1f);
            if (l < weights.length - 1) {
                INDArray next = interpolates.tangents[l];
                ColumnMajorGemm.gemm(tangent, weights[l], next, false, false, 0f);
                multiply(next, interpolates.slopes[l], n * width[l + 1]);
                tangent = next;
            }
        }
        return lambda * value / n;
    }

    /** The biases as they are now (Adam moved them since the last step). */
    private void readBiases() {
        for (int l = 0; l < weights.length; l++) {
            biases[l] = biasViews[l] == null ? null : biasViews[l].toFloatVector();
        }
    }

    /** {@code pass} when it has {@code rows} rows, else new buffers (with the penalty's tangents when asked). */
    private Pass sized(Pass pass, int rows, boolean penalty) {
        return pass != null && pass.rows == rows ? pass : new Pass(rows, penalty);
    }

    /** Z_l = A_{l-1} W_l + b_l, S_l its slopes, A_l = Z_l .* S_l, for every layer. */
    private void forward(Pass pass) {
        int rows = pass.rows;
        for (int l = 0; l < weights.length; l++) {
            INDArray out = pass.activations[l + 1];
            ColumnMajorGemm.gemm(pass.activations[l], weights[l], out, false, false, 0f);
            FloatBuffer a = OffHeap.floats(out);
            FloatBuffer s = pass.slopes[l] == null ? null : OffHeap.floats(pass.slopes[l]);
            float slope = negativeSlope[l];
            float[] b = biases[l];
            for (int j = 0; j < width[l + 1]; j++) {
                float bias = b == null ? 0f : b[j];
                int column = j * rows;
                for (int i = column; i < column + rows; i++) {
                    float z = a.get(i) + bias;
                    if (s != null) {
                        float sl = z > 0 ? 1f : slope;
                        s.put(i, sl);
                        z *= sl;
                    }
                    a.put(i, z);
                }
            }
        }
    }

    /**
     * Backprop of sum_i e_i f(x_i): the errors E_l; with {@code parameterGradients} dW_l and db_l into the gradient view
     * (overwritten), otherwise the input gradient E_0 W_0^T into {@code inputGradient}.
     */
    private void backward(Pass pass, float[] outputErrors, boolean parameterGradients) {
        int rows = pass.rows;
        int last = weights.length - 1;
        FloatBuffer top = OffHeap.floats(pass.errors[last]);
        for (int i = 0; i < rows; i++) {
            top.put(i, outputErrors[i]);
        }
        if (pass.slopes[last] != null) {
            multiply(pass.errors[last], pass.slopes[last], rows);
        }
        for (int l = last; l >= 0; l--) {
            if (parameterGradients) {
                ColumnMajorGemm.gemm(pass.activations[l], pass.errors[l], weightGradients[l], true, false, 0f);
                if (biasGradients[l] != null) {
                    biasGradients[l].assign(Nd4j.createFromArray(columnSums(pass.errors[l], rows, width[l + 1])));
                }
            }
            if (l > 0) {
                ColumnMajorGemm.gemm(pass.errors[l], weights[l], pass.errors[l - 1], false, true, 0f);
                if (pass.slopes[l - 1] != null) {
                    multiply(pass.errors[l - 1], pass.slopes[l - 1], rows * width[l]);
                }
            } else if (!parameterGradients) {
                ColumnMajorGemm.gemm(pass.errors[0], weights[0], pass.inputGradient, false, true, 0f);
            }
        }
    }

    private static float[] columnSums(INDArray matrix, int rows, int cols) {
        FloatBuffer e = OffHeap.floats(matrix);
        float[] sums = new float[cols];
        for (int j = 0; j < cols; j++) {
            double s = 0;
            for (int i = j * rows; i < (j + 1) * rows; i++) {
                s += e.get(i);
            }
            sums[j] = (float) s;
        }
        return sums;
    }

    /** target .*= factor over the first {@code count} entries (both contiguous, same layout). */
    private static void multiply(INDArray target, INDArray factor, int count) {
        FloatBuffer t = OffHeap.floats(target);
        FloatBuffer f = OffHeap.floats(factor);
        for (int k = 0; k < count; k++) {
            t.put(k, t.get(k) * f.get(k));
        }
    }

    /** out = diag(c) source for a column-major rows x cols source. */
    private static void scaleRows(INDArray source, float[] c, INDArray out, int rows, int cols) {
        FloatBuffer s = OffHeap.floats(source);
        FloatBuffer o = OffHeap.floats(out);
        for (int j = 0; j < cols; j++) {
            for (int i = 0; i < rows; i++) {
                o.put(j * rows + i, s.get(j * rows + i) * c[i]);
            }
        }
    }

    /**
     * Column-major buffers of one batch size: activations (A_0 the input), slopes, errors, the input gradient, and for
     * the interpolates the penalty's tangents and scaled errors. Arrays of this class are contiguous at offset 0.
     */
    private final class Pass {
        final int rows;
        final INDArray input;
        final INDArray[] activations;
        final INDArray[] slopes;
        final INDArray[] errors;
        final INDArray[] tangents;
        final INDArray[] scratch;
        final INDArray inputGradient;

        Pass(int rows, boolean penalty) {
            this.rows = rows;
            int layers = weights.length;
            activations = new INDArray[layers + 1];
            slopes = new INDArray[layers];
            errors = new INDArray[layers];
            tangents = new INDArray[layers];
            scratch = new INDArray[layers];
            input = columnMajor(rows, width[0]);
            activations[0] = input;
            for (int l = 0; l < layers; l++) {
                activations[l + 1] = columnMajor(rows, width[l + 1]);
                slopes[l] = negativeSlope[l] == 1f ? null : columnMajor(rows, width[l + 1]);
                errors[l] = columnMajor(rows, width[l + 1]);
                tangents[l] = penalty ? columnMajor(rows, width[l + 1]) : null;
                scratch[l] = penalty ? columnMajor(rows, width[l + 1]) : null;
            }
            inputGradient = columnMajor(rows, width[0]);
        }
    }

    private static INDArray columnMajor(int rows, int cols) {
        return Nd4j.create(DataType.FLOAT, new long[] {rows, cols}, 'f');
    }
}
