package org.wganspark.train.objective;

import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.nd4j.linalg.ops.transforms.Transforms;

/**
 * The critic loss of a training step and its parameter gradient, through DL4J's layers, for one critic: the WGAN loss
 * mean f(fake) - mean f(real) or the non-saturating GAN's logistic loss, plus lambda GP at the interpolates. The
 * penalty's parameter gradient is exact for piecewise-linear critics ({@link FcPenalty} for dense chains,
 * {@link LinearizedPenalty} for convolutional ones) and a finite-difference Hessian-vector product through a
 * double-precision twin otherwise; those helpers are built once, on first use, for this critic. Only ND4J and DL4J
 * operations: this is what every backend runs.
 */
public final class CriticObjective {

    private final MultiLayerNetwork critic;
    private final boolean nonSaturating;
    private final double lambda;
    private final double h;
    private FcPenalty exact;
    private LinearizedPenalty linearized;
    private boolean helpersChecked;
    /** The double-precision twin of a float critic, for the finite differences (built on first use). */
    private MultiLayerNetwork twin;
    private final java.util.function.UnaryOperator<MultiLayerNetwork> prepare;

    /**
     * @param nonSaturating the logistic GAN loss instead of the WGAN loss
     * @param lambda        the penalty's weight (0: none)
     * @param h             the finite-difference step for critics that are not piecewise linear
     */
    public CriticObjective(MultiLayerNetwork critic, boolean nonSaturating, double lambda, double h) {
        this(critic, nonSaturating, lambda, h, java.util.function.UnaryOperator.identity());
    }

    /** @param prepare applied to the networks this objective builds for its penalty (the step's kernels may add helpers) */
    public CriticObjective(MultiLayerNetwork critic, boolean nonSaturating, double lambda, double h,
                           java.util.function.UnaryOperator<MultiLayerNetwork> prepare) {
        this.critic = critic;
        this.nonSaturating = nonSaturating;
        this.lambda = lambda;
        this.h = h;
        this.prepare = prepare;
    }

    /**
     * The loss at (real, fake) with the penalty at x_hat = alpha real + (1 - alpha) fake, real row i meeting fake row
     * i mod m; its parameter gradient is left in the critic's gradient view, where DL4J's backprop writes it and the
     * updater reads it (no copies of the gradient).
     */
    public double lossIntoGradientView(INDArray real, INDArray fake, INDArray alpha) {
        long n = real.rows();
        long m = fake.rows();
        INDArray errors;
        Double loss = null;
        if (!nonSaturating) {
            errors = Nd4j.vstack(Nd4j.valueArrayOf(new long[] {n, 1}, -1.0 / n, real.dataType()),
                    Nd4j.valueArrayOf(new long[] {m, 1}, 1.0 / m, real.dataType()));
        } else {
            INDArray f = critic.output(Nd4j.vstack(real, fake), false);
            INDArray fReal = f.get(NDArrayIndex.interval(0, n), NDArrayIndex.all());
            INDArray fFake = f.get(NDArrayIndex.interval(n, n + m), NDArrayIndex.all());
            // dL/df: -sigmoid(-f)/n on real rows, sigmoid(f)/m on fake rows
            errors = Nd4j.vstack(Transforms.sigmoid(fReal.neg(), false).muli(-1.0 / n), Transforms.sigmoid(fFake, true).muli(1.0 / m));
            loss = Transforms.softPlus(fReal.neg(), false).meanNumber().doubleValue() + Transforms.softPlus(fFake, true).meanNumber().doubleValue();
        }
        INDArray[] b = CriticGradients.backpropIntoGradientView(critic, Nd4j.vstack(real, fake), errors);
        INDArray f = b[0];
        INDArray gradient = b[2];
        double penaltyValue = 0;
        if (lambda > 0) {
            // real row i meets fake row i mod m (the paper's code requires equal batch sizes; we allow different ones)
            INDArray partner = n == m ? fake : fake.getRows(java.util.stream.IntStream.range(0, (int) n).map(i -> (int) (i % m)).toArray());
            INDArray xhat = real.mulColumnVector(alpha).addi(partner.mulColumnVector(alpha.rsub(1)));
            helpers();
            if (exact != null) {
                penaltyValue = exact.addPenaltyGradient(xhat, lambda, gradient);
            } else {
                // the other penalties backpropagate through the critic itself, over its gradient view
                INDArray saved = linearized == null ? gradient.dup() : null;
                CriticGradients.PenaltyGradient p = penaltyAndGradient(xhat);
                penaltyValue = p.value();
                if (saved != null) {
                    gradient.assign(saved);
                }
                gradient.addi(p.gradient().reshape(gradient.shape()));
            }
        }
        double value = loss != null ? loss
                : f.get(NDArrayIndex.interval(n, n + m)).meanNumber().doubleValue() - f.get(NDArrayIndex.interval(0, n)).meanNumber().doubleValue();
        return value + penaltyValue;
    }

    /** lambda GP at x_hat and its parameter gradient: exact for piecewise-linear critics, by finite differences otherwise. */
    CriticGradients.PenaltyGradient penaltyAndGradient(INDArray xhat) {
        helpers();
        if (exact != null) {
            return exact.penaltyGradient(xhat, lambda);
        }
        if (linearized != null) {
            return linearized.penaltyGradient(xhat, lambda);
        }
        CriticGradients.Penalty p = CriticGradients.penalty(critic, xhat);
        return new CriticGradients.PenaltyGradient(lambda * p.value(), differenceGradient(CriticGradients.differenceRows(xhat, p, lambda, h)));
    }

    /** grad_theta (lambda GP) by finite differences, whatever the critic. */
    INDArray differencePenaltyGradient(INDArray xhat) {
        return differenceGradient(CriticGradients.differenceRows(xhat, CriticGradients.penalty(critic, xhat), lambda, h));
    }

    private void helpers() {
        if (!helpersChecked) {
            exact = FcPenalty.of(critic);
            linearized = exact == null ? LinearizedPenalty.of(critic, prepare) : null;
            helpersChecked = true;
        }
    }

    /**
     * The difference rows' parameter gradient, through a double-precision twin of a float critic. The difference is
     * exact only while x_hat +- h u stay in one linear region of the (Leaky)ReLU network; a unit that changes sign
     * between them adds an O(|x| / h) error. In float, h must stay near 1e-2 for rounding (relative error about
     * 1e-7 |x| / h), and there most rows cross a kink (59 of 64 interpolates on the Fig. 5 critic at initialization,
     * a gradient 4x too large). In double, h = 1e-6 leaves both errors negligible.
     */
    private INDArray differenceGradient(INDArray[] fd) {
        if (critic.params().dataType() == DataType.DOUBLE) {
            return CriticGradients.backprop(critic, fd[0], fd[1])[0];
        }
        if (twin == null) {
            twin = critic.convertDataType(DataType.DOUBLE);
        }
        twin.params().assign(critic.params().castTo(DataType.DOUBLE));
        return CriticGradients.backprop(twin, fd[0], fd[1])[0].castTo(critic.params().dataType());
    }
}
