package org.wganspark.train.objective;

import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.activations.IActivation;
import org.nd4j.linalg.activations.impl.ActivationIdentity;
import org.nd4j.linalg.activations.impl.ActivationLReLU;
import org.nd4j.linalg.activations.impl.ActivationReLU;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * The gradient penalty of a fully connected (Leaky)ReLU critic and its exact parameter gradient, in the critic's own
 * precision. The network is piecewise linear, so with the activation pattern of x_hat fixed (its derivative is zero
 * almost everywhere) the directional derivative u . grad_x f(x_hat) is a linear network of the tangent u: slopes
 * s_l = sigma'(a_l) in place of the activations, no biases. Its weight gradient is an outer product,
 * <pre>
 *   d/dW_l sum_i c_i u_i . grad_x f(x_hat_i) = T_{l-1}^T (c .* Delta_l),   d/db_l = 0,
 * </pre>
 * with tangents T_0 = u, T_l = (T_{l-1} W_l) .* S_l forward and the errors Delta_l of the ordinary backprop of f at
 * x_hat, the same ones that give g = grad_x f. This is what a second-order autograd computes (Gulrajani et al. 2017's
 * penalty through double backprop), at the cost of one more forward and one more weight-gradient product per layer,
 * and with none of the finite differences' kink crossings.
 */
public final class FcPenalty {

    /** Per layer: the weight (nIn x nOut, a view of the network's parameters), the bias or null, the slope for negative inputs. */
    private final INDArray[] weights;
    private final INDArray[] biases;
    private final double[] negativeSlope;

    private FcPenalty(INDArray[] weights, INDArray[] biases, double[] negativeSlope) {
        this.weights = weights;
        this.biases = biases;
        this.negativeSlope = negativeSlope;
    }

    /** Layer l's weight (nIn x nOut, a view of the parameters), bias (or null) and slope below zero. */
    public INDArray weight(int l) {
        return weights[l];
    }

    public INDArray bias(int l) {
        return biases[l];
    }

    public double negativeSlope(int l) {
        return negativeSlope[l];
    }

    public int layers() {
        return weights.length;
    }

    /**
     * The critic as a chain of dense layers, or null when it is anything else (convolutions, dropout, weight noise,
     * layer normalization, preprocessors, an activation that is not ReLU, LeakyReLU or identity, a non-identity or
     * wider output), for which the caller falls back to finite differences.
     */
    public static FcPenalty of(MultiLayerNetwork critic) {
        int layers = critic.getnLayers();
        INDArray[] weights = new INDArray[layers];
        INDArray[] biases = new INDArray[layers];
        double[] negativeSlope = new double[layers];
        for (int l = 0; l < layers; l++) {
            if (!(critic.getLayer(l).conf().getLayer() instanceof DenseLayer dense) || dense.getIDropout() != null
                    || dense.getWeightNoise() != null || dense.hasLayerNorm() || critic.getLayerWiseConfigurations().getInputPreProcess(l) != null) {
                return null;
            }
            negativeSlope[l] = negativeSlope(dense.getActivationFn());
            if (Double.isNaN(negativeSlope[l]) || (l == layers - 1 && negativeSlope[l] != 1)) {
                return null;
            }
            weights[l] = critic.getLayer(l).getParam("W");
            biases[l] = dense.hasBias() ? critic.getLayer(l).getParam("b") : null;
        }
        return weights[layers - 1].columns() == 1 ? new FcPenalty(weights, biases, negativeSlope) : null;
    }

    /**
     * The slope of a piecewise-linear activation below zero: 1 for the identity, alpha for LeakyReLU (as a float:
     * libnd4j's leakyrelu takes it so, also in double), 0 for a plain ReLU; NaN for anything else.
     */
    public static double negativeSlope(IActivation activation) {
        if (activation instanceof ActivationIdentity) {
            return 1;
        }
        if (activation instanceof ActivationLReLU leaky) {
            return (float) leaky.getAlpha();
        }
        if (activation instanceof ActivationReLU relu && (relu.getMax() == null || Double.isInfinite(relu.getMax()))
                && (relu.getThreshold() == null || relu.getThreshold() == 0) && (relu.getNegativeSlope() == null || relu.getNegativeSlope() == 0)) {
            return 0;
        }
        return Double.NaN;
    }

    /** Where {@code signs} > 0 the slope 1, elsewhere {@code negativeSlope}; null for a linear layer (slope 1 everywhere). */
    public static INDArray slopes(INDArray signs, double negativeSlope) {
        return negativeSlope == 1 ? null : signs.gt(0).castTo(signs.dataType()).muli(1 - negativeSlope).addi(negativeSlope);
    }

    /**
     * What the exact gradient needs from the input gradients g (n x d) at x_hat: lambda GP = lambda mean_i
     * (|g_i| - 1)^2, the unit directions u = g / |g| and the coefficients c_i = 2 lambda (|g_i| - 1) / n.
     */
    public record Directions(double value, INDArray units, INDArray coefficients) {

        public static Directions of(INDArray g, double lambda) {
            long n = g.rows();
            INDArray norms = g.norm2(1).reshape(n, 1);
            INDArray excess = norms.castTo(DataType.DOUBLE).sub(1);  // castTo does not copy a double array
            double value = lambda * excess.mul(excess).meanNumber().doubleValue();
            return new Directions(value, g.divColumnVector(norms.add(1e-12)), excess.muli(2 * lambda / n).castTo(g.dataType()));
        }
    }

    /** lambda GP = lambda mean_i (|g_i| - 1)^2 at the rows x_hat, and its parameter gradient (flat, the parameters' layout). */
    CriticGradients.PenaltyGradient penaltyGradient(INDArray xhat, double lambda) {
        long size = 0;
        for (int l = 0; l < weights.length; l++) {
            size += weights[l].length() + (biases[l] == null ? 0 : biases[l].length());
        }
        INDArray gradient = Nd4j.zeros(weights[0].dataType(), size);
        return new CriticGradients.PenaltyGradient(addPenaltyGradient(xhat, lambda, gradient), gradient);
    }

    /**
     * Adds lambda GP's parameter gradient to {@code gradient} (flat, rank 1, the parameters' layout: per layer W
     * column-major, then b) and returns lambda GP. The weight products go straight into the gradient's views: an
     * allocated 1024 x 1024 result, or ND4J's mmul of a transposed view, costs 3 to 8 times the product itself.
     */
    double addPenaltyGradient(INDArray xhat, double lambda, INDArray gradient) {
        int layers = weights.length;
        long n = xhat.rows();
        DataType type = weights[0].dataType();
        INDArray[] slopes = new INDArray[layers];
        INDArray activation = xhat.castTo(type);
        for (int l = 0; l < layers; l++) {
            INDArray preActivation = activation.mmul(weights[l]);
            if (biases[l] != null) {
                preActivation.addiRowVector(biases[l]);
            }
            slopes[l] = slopes(preActivation, negativeSlope[l]);
            activation = slopes[l] == null ? preActivation : preActivation.muli(slopes[l]);
        }
        // backprop of sum_i f(x_hat_i): errors Delta_l at each layer's pre-activation, then g = grad_x f
        INDArray[] errors = new INDArray[layers];
        INDArray error = Nd4j.ones(type, n, 1);
        for (int l = layers - 1; l >= 0; l--) {
            errors[l] = slopes[l] == null ? error : error.mul(slopes[l]);
            error = errors[l].mmul(weights[l].transpose());
        }
        Directions directions = Directions.of(error, lambda);
        INDArray c = directions.coefficients();
        // tangents along u = g / |g| forward; W_l's gradient T_{l-1}^T (c .* Delta_l) added in place
        INDArray tangent = directions.units();
        long offset = 0;
        for (int l = 0; l < layers; l++) {
            long rows = weights[l].rows();
            long cols = weights[l].columns();
            INDArray weightGradient = gradient.get(NDArrayIndex.interval(offset, offset + rows * cols)).reshape('f', rows, cols);
            Nd4j.gemm(tangent, errors[l].mulColumnVector(c), weightGradient, true, false, 1.0, 1.0);
            offset += rows * cols + (biases[l] == null ? 0 : biases[l].length());
            if (l < layers - 1) {
                tangent = tangent.mmul(weights[l]);
                if (slopes[l] != null) {
                    tangent.muli(slopes[l]);
                }
            }
        }
        if (offset != gradient.length()) {
            throw new IllegalArgumentException("a gradient of " + gradient.length() + " entries for a critic of " + offset + " parameters");
        }
        return directions.value();
    }
}
