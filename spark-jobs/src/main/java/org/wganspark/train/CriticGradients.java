package org.wganspark.train;

import org.deeplearning4j.nn.gradient.Gradient;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.nd4j.common.primitives.Pair;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.nd4j.linalg.ops.transforms.Transforms;

/**
 * Parameter and input gradients of a critic f for external errors dL/df, and the WGAN-GP critic gradient.
 * DL4J cannot differentiate twice (SameDiff's second order fails, jvm-stack.md section 9), so the penalty's
 * parameter gradient is a finite-difference Hessian-vector product: with g_i = grad_x f(xhat_i), u_i = g_i / |g_i|
 * held fixed and c_i = 2 lambda (|g_i| - 1) / N,
 * <pre>
 *   grad_theta lambda GP ~ [grad_theta sum_i c_i f(xhat_i + h u_i) - grad_theta sum_i c_i f(xhat_i - h u_i)] / (2h),
 * </pre>
 * exact inside a linear region of LeakyReLU. Two extra backprops instead of a second-order graph. Piecewise-linear
 * critics (all of ours) skip the differences: {@link FcPenalty} and {@link LinearizedPenalty} compute the same
 * gradient exactly; the differences remain for any other critic and as the tests' independent reference.
 */
public final class CriticGradients {

    private CriticGradients() {
    }

    /** d(sum_i e_i f(x_i))/dtheta (flat, params layout, a copy), d/dx (rows of x) and f(x) (train mode, a column). */
    public static INDArray[] backprop(MultiLayerNetwork critic, INDArray x, INDArray errors) {
        INDArray[] b = backpropIntoGradientView(critic, x, errors);
        return new INDArray[] {b[2].dup(), b[1].dup(), b[0]};
    }

    /** d(sum_i e_i f(x_i))/dx (rows of x) alone; the parameter gradient stays in the critic's gradient view, uncopied. */
    static INDArray inputGradient(MultiLayerNetwork critic, INDArray x, INDArray errors) {
        return backpropIntoGradientView(critic, x, errors)[1].dup();
    }

    /**
     * f(x) (train mode, a column), d(sum_i e_i f(x_i))/dx and d/dtheta, the last two DL4J's own arrays, not copies: the
     * parameter gradient is the critic's flattened gradient view (flat, rank 1), where the updater reads it.
     */
    private static INDArray[] backpropIntoGradientView(MultiLayerNetwork critic, INDArray x, INDArray errors) {
        critic.setInput(x);
        INDArray f = critic.feedForward(true, false).get(critic.getnLayers());
        Pair<Gradient, INDArray> p = critic.backpropGradient(errors, LayerWorkspaceMgr.noWorkspaces());
        return new INDArray[] {f, p.getSecond(), p.getFirst().gradient()};
    }

    /** A copy of the parameter gradient that the last backprop left in the network's gradient view (flat, rank 1). */
    static INDArray gradientCopy(MultiLayerNetwork net) {
        INDArray view = net.getFlattenedGradients();
        return view.reshape(view.length()).dup();
    }

    public static INDArray scores(MultiLayerNetwork critic, INDArray x) {
        return critic.output(x, false);
    }

    /** The penalty and its parts at interpolates xhat: GP = mean_i (|g_i| - 1)^2, and the norms |g_i|. */
    public record Penalty(double value, INDArray norms, INDArray gradients) {
    }

    /** lambda GP and its parameter gradient (flat, rank 1, the parameters' layout). */
    record PenaltyGradient(double value, INDArray gradient) {
    }

    public static Penalty penalty(MultiLayerNetwork critic, INDArray xhat) {
        long n = xhat.rows();
        INDArray ones = Nd4j.ones(xhat.dataType(), n, 1);
        INDArray g = backprop(critic, xhat, ones)[1];
        INDArray norms = g.norm2(1).reshape(n, 1);
        double value = norms.sub(1).muli(norms.sub(1)).meanNumber().doubleValue();
        return new Penalty(value, norms, g);
    }

    /**
     * grad_theta (lambda GP): exact for a fully connected critic ({@link FcPenalty}) and for any other piecewise-linear
     * one ({@link LinearizedPenalty}), otherwise the finite-difference Hessian-vector product with step h.
     */
    public static INDArray penaltyGradient(MultiLayerNetwork critic, INDArray xhat, double lambda, double h) {
        return penaltyAndGradient(critic, xhat, lambda, h).gradient();
    }

    /** grad_theta (lambda GP) by finite differences with step h, whatever the critic. */
    static INDArray differencePenaltyGradient(MultiLayerNetwork critic, INDArray xhat, double lambda, double h) {
        return differenceGradient(critic, differenceRows(xhat, penalty(critic, xhat), lambda, h));
    }

    private static PenaltyGradient penaltyAndGradient(MultiLayerNetwork critic, INDArray xhat, double lambda, double h) {
        FcPenalty exact = FcPenalty.of(critic);
        if (exact != null) {
            return exact.penaltyGradient(xhat, lambda);
        }
        LinearizedPenalty linearized = linearized(critic);
        if (linearized != null) {
            return linearized.penaltyGradient(xhat, lambda);
        }
        Penalty p = penalty(critic, xhat);
        return new PenaltyGradient(lambda * p.value(), differenceGradient(critic, differenceRows(xhat, p, lambda, h)));
    }

    /** This thread's linearization of the critic (its twin built once), or null for a critic that is not piecewise linear. */
    static LinearizedPenalty linearized(MultiLayerNetwork critic) {
        LinearizedPenalty cached = LINEARIZED.get();
        if (cached == null || !cached.isFor(critic)) {
            cached = LinearizedPenalty.of(critic);
            if (cached != null) {
                LINEARIZED.set(cached);
            }
        }
        return cached;
    }

    private static final ThreadLocal<LinearizedPenalty> LINEARIZED = new ThreadLocal<>();

    /** This thread's direct path for a float FC critic ({@link FcCriticStep}, its buffers kept), or null for any other critic. */
    static FcCriticStep fcStep(MultiLayerNetwork critic) {
        FcCriticStep cached = FC_STEP.get();
        if (cached == null || !cached.isFor(critic)) {
            cached = FcCriticStep.of(critic);
            FC_STEP.set(cached);
        }
        return cached;
    }

    private static final ThreadLocal<FcCriticStep> FC_STEP = new ThreadLocal<>();

    /** This thread's direct path for a float convolutional critic ({@link ConvCriticStep}), or null for any other critic. */
    static ConvCriticStep convStep(MultiLayerNetwork critic) {
        ConvCriticStep cached = CONV_STEP.get();
        if (cached == null || !cached.isFor(critic)) {
            cached = ConvCriticStep.of(critic);
            CONV_STEP.set(cached);
        }
        return cached;
    }

    private static final ThreadLocal<ConvCriticStep> CONV_STEP = new ThreadLocal<>();

    /**
     * The rows x_hat + h u and x_hat - h u (u the unit input gradient) and their errors +-c/(2h), c_i =
     * 2 lambda (|g_i| - 1)/n, in double: one backprop of them is the central difference (grad_theta(c.f)(x_hat + h u) -
     * grad_theta(c.f)(x_hat - h u)) / (2h), the penalty's parameter gradient.
     */
    private static INDArray[] differenceRows(INDArray xhat, Penalty p, double lambda, double h) {
        long n = xhat.rows();
        INDArray x = xhat.castTo(DataType.DOUBLE);
        INDArray u = p.gradients().castTo(DataType.DOUBLE).divColumnVector(p.norms().castTo(DataType.DOUBLE).add(1e-12)).muli(h);
        INDArray c = p.norms().castTo(DataType.DOUBLE).sub(1).muli(2 * lambda / n / (2 * h));
        return new INDArray[] {Nd4j.vstack(x.add(u), x.sub(u)), Nd4j.vstack(c, c.neg())};
    }

    /**
     * The difference rows' parameter gradient, through a double-precision twin of a float critic. The difference is
     * exact only while x_hat +- h u stay in one linear region of the (Leaky)ReLU network; a unit that changes sign
     * between them adds an O(|x| / h) error. In float, h must stay near 1e-2 for rounding (relative error about
     * 1e-7 |x| / h), and there most rows cross a kink: on the Fig. 5 critic at initialization 59 of 64 interpolates
     * did, and the gradient came out 4x too large. In double, h = 1e-6 leaves both errors negligible.
     */
    private static INDArray differenceGradient(MultiLayerNetwork critic, INDArray[] fd) {
        if (critic.params().dataType() == DataType.DOUBLE) {
            return backprop(critic, fd[0], fd[1])[0];
        }
        MultiLayerNetwork[] cached = TWIN.get();
        if (cached[0] != critic) {
            cached[0] = critic;
            cached[1] = critic.convertDataType(DataType.DOUBLE);
        }
        MultiLayerNetwork twin = cached[1];
        twin.params().assign(critic.params().castTo(DataType.DOUBLE));
        return backprop(twin, fd[0], fd[1])[0].castTo(critic.params().dataType());
    }

    /**
     * This thread's last float critic and its double twin. Matched by identity: DL4J's equals compares parameters,
     * and two workers' critics are equal right after an averaging round. Per thread, so no twin is shared.
     */
    private static final ThreadLocal<MultiLayerNetwork[]> TWIN = ThreadLocal.withInitial(() -> new MultiLayerNetwork[2]);

    /**
     * The WGAN-GP critic loss mean f(fake) - mean f(real) + lambda GP and its parameter gradient; one
     * interpolation coefficient per batch (the anchor's choice) or one per row. Interpolates pair real row i
     * with fake row i mod m.
     *
     * @param alpha interpolation coefficients, one per row (repeat one value for the per-batch variant)
     */
    public static INDArray[] wganGp(MultiLayerNetwork critic, INDArray real, INDArray fake, INDArray alpha, double lambda, double h) {
        double value = lossIntoGradientView(critic, real, fake, alpha, lambda, h, false);
        return new INDArray[] {gradientCopy(critic), Nd4j.scalar(real.dataType(), value)};
    }

    /**
     * The non-saturating GAN's critic loss, the logistic loss of real rows against label 1 and fake rows against 0,
     * mean softplus(-f(real)) + mean softplus(f(fake)), with the optional penalty; and its parameter gradient.
     */
    public static INDArray[] nonSaturating(MultiLayerNetwork critic, INDArray real, INDArray fake, INDArray alpha, double lambda, double h) {
        double value = lossIntoGradientView(critic, real, fake, alpha, lambda, h, true);
        return new INDArray[] {gradientCopy(critic), Nd4j.scalar(real.dataType(), value)};
    }

    /**
     * The critic loss of {@link #wganGp} or {@link #nonSaturating}, its parameter gradient left in the critic's own
     * gradient view, where DL4J's backprop writes it and the updater reads it (a training step's path: no copies of
     * the 3 M gradient entries, one pass less over memory for each).
     */
    static double lossIntoGradientView(MultiLayerNetwork critic, INDArray real, INDArray fake, INDArray alpha, double lambda, double h,
                                       boolean nonSaturating) {
        long n = real.rows();
        long m = fake.rows();
        if (!nonSaturating) {
            FcCriticStep direct = fcStep(critic);
            if (direct != null) {
                return direct.lossIntoGradientView(real, fake, alpha, lambda);
            }
            ConvCriticStep conv = convStep(critic);
            if (conv != null) {
                return conv.lossIntoGradientView(real, fake, alpha, lambda);
            }
            INDArray errors = Nd4j.vstack(Nd4j.valueArrayOf(new long[] {n, 1}, -1.0 / n, real.dataType()),
                    Nd4j.valueArrayOf(new long[] {m, 1}, 1.0 / m, real.dataType()));
            return lossIntoGradientView(critic, real, fake, alpha, lambda, h, errors, null);
        }
        INDArray f = critic.output(Nd4j.vstack(real, fake), false);
        INDArray fReal = f.get(NDArrayIndex.interval(0, n), NDArrayIndex.all());
        INDArray fFake = f.get(NDArrayIndex.interval(n, n + m), NDArrayIndex.all());
        // dL/df: -sigmoid(-f)/n on real rows, sigmoid(f)/m on fake rows
        INDArray errors = Nd4j.vstack(Transforms.sigmoid(fReal.neg(), false).muli(-1.0 / n), Transforms.sigmoid(fFake, true).muli(1.0 / m));
        double loss = Transforms.softPlus(fReal.neg(), false).meanNumber().doubleValue() + Transforms.softPlus(fFake, true).meanNumber().doubleValue();
        return lossIntoGradientView(critic, real, fake, alpha, lambda, h, errors, loss);
    }

    private static double lossIntoGradientView(MultiLayerNetwork critic, INDArray real, INDArray fake, INDArray alpha, double lambda, double h,
                                               INDArray errors, Double loss) {
        long n = real.rows();
        long m = fake.rows();
        INDArray[] b = backpropIntoGradientView(critic, Nd4j.vstack(real, fake), errors);
        INDArray f = b[0];
        INDArray gradient = b[2];
        double penaltyValue = 0;
        if (lambda > 0) {
            // real row i meets fake row i mod m (the anchor requires equal batch sizes; we allow different ones)
            INDArray partner = n == m ? fake : fake.getRows(java.util.stream.IntStream.range(0, (int) n).map(i -> (int) (i % m)).toArray());
            INDArray xhat = real.mulColumnVector(alpha).addi(partner.mulColumnVector(alpha.rsub(1)));
            FcPenalty exact = FcPenalty.of(critic);
            if (exact != null) {
                penaltyValue = exact.addPenaltyGradient(xhat, lambda, gradient);
            } else {
                // the difference fallback backpropagates through the critic itself, over its gradient view
                INDArray saved = linearized(critic) == null ? gradient.dup() : null;
                PenaltyGradient p = penaltyAndGradient(critic, xhat, lambda, h);
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
}
