package org.wganspark.train.step.cpu;

import java.nio.ByteBuffer;
import java.nio.FloatBuffer;
import java.util.Optional;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.wganspark.model.OffHeap;
import org.wganspark.train.objective.FcPenalty;

/**
 * The WGAN-GP critic gradient of a float, fully connected (Leaky)ReLU critic (the Fig. 5 / Fig. 6 critic), computed
 * by hand on buffers kept from step to step: every product is one OpenBLAS gemm of column-major operands
 * ({@link ColumnMajorGemm}) into a preallocated result or straight into the critic's gradient view, and the
 * elementwise work (bias, slopes, row scaling) is {@link LayerKernel} over the same memory. Host memory only (the CPU
 * backend); {@link #of} returns null otherwise. The arithmetic is that of DL4J's backprop plus {@link FcPenalty};
 * what goes is ND4J's per-operation cost (a fresh result array and a native call per operation), which on this
 * critic's shapes is of the order of the products themselves.
 *
 * <p>For sum_i e_i f(x_i) with pre-activations Z_l = A_{l-1} W_l + b_l, slopes S_l and A_l = Z_l .* S_l:
 * errors E_l = (E_{l+1} W_{l+1}^T) .* S_l, dW_l = A_{l-1}^T E_l, db_l = 1^T E_l; the penalty's parameter gradient
 * is {@link FcPenalty}'s, T_{l-1}^T (c .* Delta_l) with tangents T_l = (T_{l-1} W_l) .* S_l.
 */
public final class FcCriticStep extends HandWrittenCriticStep {


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
    private Pass joint;   // the loss's rows: real, fake and the penalty's interpolates
    private Pass inputs;  // the generator step's fake batch

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

    /**
     * This path for a float critic that {@link FcPenalty} takes (a chain of dense piecewise-linear layers) in host memory,
     * with penalty weight {@code lambda}; empty for any other critic.
     */
    public static Optional<FcCriticStep> forCritic(MultiLayerNetwork critic, double lambda) {
        FcCriticStep step = of(critic);
        if (step != null) {
            step.lambda = lambda;
        }
        return Optional.ofNullable(step);
    }

    /** The analysis of {@link #forCritic}: null when the critic is not a float dense chain in host memory. */
    static FcCriticStep of(MultiLayerNetwork critic) {
        FcPenalty chain = OffHeap.HOST_MEMORY && critic.params().dataType() == DataType.FLOAT ? FcPenalty.of(critic) : null;
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

    @Override
    boolean isFor(MultiLayerNetwork net) {
        return net == critic && net.params() == parameters && net.getFlattenedGradients() == gradients;
    }

    @Override
    MultiLayerNetwork network() {
        return critic;
    }

    /**
     * mean f(fake) - mean f(real) + lambda GP at x_hat = alpha real + (1 - alpha) fake (real row i with fake row i mod m),
     * its parameter gradient written into the critic's gradient view (overwritten), as
     * {@link CriticGradients#lossIntoGradientView} computes it.
     *
     * <p>One pass of n + m + n rows (real, fake, interpolates): the forward and the error chain of all three batches
     * share each product. Then the interpolates' rows are reused: their input rows take g = grad_x f and then u =
     * g / |g|, their activation rows the tangents T_l, their error rows c .* Delta_l, so that one product per layer,
     * A_{l-1}^T E_l over all rows, is the loss's weight gradient plus the penalty's. The Fig. 5 critic's step has 11
     * large products of 192-row operands instead of 19 of 128 and 64 rows.
     */
    @Override
    double lossIntoGradientView(INDArray real, INDArray fake, INDArray alpha, double lambda) {
        int n = real.rows();
        int m = fake.rows();
        int loss = n + m;
        int rows = lambda > 0 ? loss + n : loss;
        readBiases();
        joint = sized(joint, rows, false);
        joint.input.get(NDArrayIndex.interval(0, n), NDArrayIndex.all()).assign(real);  // column-major copies
        joint.input.get(NDArrayIndex.interval(n, loss), NDArrayIndex.all()).assign(fake);
        if (lambda > 0) {
            INDArray partner = n == m ? fake : fake.getRows(java.util.stream.IntStream.range(0, n).map(i -> i % m).toArray());
            joint.input.get(NDArrayIndex.interval(loss, rows), NDArrayIndex.all())
                    .assign(real.mulColumnVector(alpha).addi(partner.mulColumnVector(alpha.rsub(1))));
        }
        forward(joint);
        float[] f = new float[rows];
        OffHeap.floats(joint.activations[weights.length]).get(f);
        double meanReal = 0;
        double meanFake = 0;
        for (int i = 0; i < n; i++) {
            meanReal += f[i];
        }
        for (int i = n; i < loss; i++) {
            meanFake += f[i];
        }
        float[] outputErrors = new float[rows];
        java.util.Arrays.fill(outputErrors, 0, n, (float) (-1.0 / n));
        java.util.Arrays.fill(outputErrors, n, loss, (float) (1.0 / m));
        java.util.Arrays.fill(outputErrors, loss, rows, 1f);  // the interpolates: grad_x f
        errors(joint, outputErrors);
        double value = meanFake / m - meanReal / n;
        if (lambda > 0) {
            value += penaltyRows(joint, loss, n, lambda);
        }
        for (int l = 0; l < weights.length; l++) {
            ColumnMajorGemm.gemm(joint.activations[l], joint.errors[l], weightGradients[l], true, false, 0f);
            if (biasGradients[l] != null) {  // the penalty does not depend on the biases: the loss rows only
                biasGradients[l].assign(Nd4j.createFromArray(columnSums(joint.errors[l], rows, loss, width[l + 1])));
            }
        }
        return value;
    }

    /**
     * f(x) (a column) and d(e sum_i f(x_i))/dx (rows of x, row-major), one forward and one backward: what a
     * generator step of the WGAN loss needs from the critic. The critic's gradient view is left alone.
     */
    @Override
    INDArray[] scoresAndInputGradient(INDArray x, float e) {
        int n = x.rows();
        readBiases();
        inputs = sized(inputs, n, true);
        inputs.input.assign(x);
        forward(inputs);
        float[] f = new float[n];
        OffHeap.floats(inputs.activations[weights.length]).get(f);
        float[] errors = new float[n];
        java.util.Arrays.fill(errors, e);
        errors(inputs, errors);
        ColumnMajorGemm.gemm(inputs.errors[0], weights[0], inputs.inputGradient, false, true, 0f);
        return new INDArray[] {Nd4j.createFromArray(f).reshape(n, 1), inputs.inputGradient.dup('c')};
    }

    /**
     * lambda GP over the n interpolates at rows [first, first + n) of a pass whose forward and errors (output error 1
     * on these rows) are done; leaves u = g / |g| in their input rows, the tangents T_l in their activation rows and
     * c .* Delta_l in their error rows, so that A_{l-1}^T E_l carries the penalty's weight gradient T_{l-1}^T (c .* Delta_l).
     */
    private double penaltyRows(Pass pass, int first, int n, double lambda) {
        int rows = pass.rows;
        int d = width[0];
        ColumnMajorGemm.rows(pass.errors[0], first, weights[0], true, pass.input, first, n);  // g = Delta_0 W_0^T
        FloatBuffer g = OffHeap.floats(pass.input);
        double[] norm = new double[n];
        for (int k = 0; k < d; k++) {
            for (int i = 0; i < n; i++) {
                double x = g.get(k * rows + first + i);
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
        scaleRows(pass.input, inverseNorm, first, rows, d);  // u, the tangent below the first layer
        for (int l = 0; l < weights.length - 1; l++) {
            ColumnMajorGemm.rows(pass.activations[l], first, weights[l], false, pass.activations[l + 1], first, n);
            if (pass.slopes[l] != null) {
                multiplyRows(pass.activations[l + 1], pass.slopes[l], first, n, rows, width[l + 1]);
            }
        }
        for (int l = 0; l < weights.length; l++) {
            scaleRows(pass.errors[l], coefficient, first, rows, width[l + 1]);
        }
        return lambda * value / n;
    }

    /** The biases as they are now (Adam moved them since the last step). */
    private void readBiases() {
        for (int l = 0; l < weights.length; l++) {
            biases[l] = biasViews[l] == null ? null : biasViews[l].toFloatVector();
        }
    }

    /** {@code pass} when it has {@code rows} rows, else new buffers (with an input-gradient buffer when asked). */
    private Pass sized(Pass pass, int rows, boolean inputGradient) {
        return pass != null && pass.rows == rows ? pass : new Pass(rows, inputGradient);
    }

    /** Z_l = A_{l-1} W_l + b_l, S_l its slopes, A_l = Z_l .* S_l, for every layer. */
    private void forward(Pass pass) {
        int rows = pass.rows;
        for (int l = 0; l < weights.length; l++) {
            INDArray out = pass.activations[l + 1];
            ColumnMajorGemm.gemm(pass.activations[l], weights[l], out, false, false, 0f);
            ByteBuffer a = OffHeap.bytes(out);
            ByteBuffer s = pass.slopes[l] == null ? null : OffHeap.bytes(pass.slopes[l]);
            float[] b = biases[l];
            for (int j = 0; j < width[l + 1]; j++) {
                LayerKernel.BEST.biasAndSlope(a, s, j * rows, rows, b == null ? 0f : b[j], negativeSlope[l]);
            }
        }
    }

    /** Backprop of sum_i e_i f(x_i) down to the first layer: the errors E_l of every row. */
    private void errors(Pass pass, float[] outputErrors) {
        int rows = pass.rows;
        int last = weights.length - 1;
        FloatBuffer top = OffHeap.floats(pass.errors[last]);
        for (int i = 0; i < rows; i++) {
            top.put(i, outputErrors[i]);
        }
        if (pass.slopes[last] != null) {
            multiplyRows(pass.errors[last], pass.slopes[last], 0, rows, rows, 1);
        }
        for (int l = last; l > 0; l--) {
            ColumnMajorGemm.gemm(pass.errors[l], weights[l], pass.errors[l - 1], false, true, 0f);
            if (pass.slopes[l - 1] != null) {
                multiplyRows(pass.errors[l - 1], pass.slopes[l - 1], 0, rows, rows, width[l]);
            }
        }
    }

    /** Sums over rows [0, summed) of each column of a column-major matrix with {@code rows} rows. */
    private static float[] columnSums(INDArray matrix, int rows, int summed, int cols) {
        FloatBuffer e = OffHeap.floats(matrix);
        float[] sums = new float[cols];
        for (int j = 0; j < cols; j++) {
            double s = 0;
            for (int i = j * rows; i < j * rows + summed; i++) {
                s += e.get(i);
            }
            sums[j] = (float) s;
        }
        return sums;
    }

    /** target .*= factor on rows [first, first + count) of column-major matrices with {@code rows} rows and {@code cols} columns. */
    private static void multiplyRows(INDArray target, INDArray factor, int first, int count, int rows, int cols) {
        ByteBuffer t = OffHeap.bytes(target);
        ByteBuffer f = OffHeap.bytes(factor);
        for (int j = 0; j < cols; j++) {
            LayerKernel.BEST.multiply(t, f, j * rows + first, count);
        }
    }

    /** Row first + i of a column-major matrix with {@code rows} rows times c[i], in place, for i < c.length. */
    private static void scaleRows(INDArray matrix, float[] c, int first, int rows, int cols) {
        ByteBuffer x = OffHeap.bytes(matrix);
        for (int j = 0; j < cols; j++) {
            LayerKernel.BEST.scale(x, j * rows + first, c);
        }
    }

    /**
     * Column-major buffers of one batch size: activations (A_0 the input), slopes, errors and, for the generator's
     * passes, the input gradient. Arrays of this class are contiguous at offset 0.
     */
    private final class Pass {
        final int rows;
        final INDArray input;
        final INDArray[] activations;
        final INDArray[] slopes;
        final INDArray[] errors;
        final INDArray inputGradient;

        Pass(int rows, boolean withInputGradient) {
            this.rows = rows;
            int layers = weights.length;
            activations = new INDArray[layers + 1];
            slopes = new INDArray[layers];
            errors = new INDArray[layers];
            input = columnMajor(rows, width[0]);
            activations[0] = input;
            for (int l = 0; l < layers; l++) {
                activations[l + 1] = columnMajor(rows, width[l + 1]);
                slopes[l] = negativeSlope[l] == 1f ? null : columnMajor(rows, width[l + 1]);
                errors[l] = columnMajor(rows, width[l + 1]);
            }
            inputGradient = withInputGradient ? columnMajor(rows, width[0]) : null;
        }
    }

    private static INDArray columnMajor(int rows, int cols) {
        return Nd4j.create(DataType.FLOAT, new long[] {rows, cols}, 'f');
    }
}
