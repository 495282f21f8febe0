package org.wganspark.train.objective;

import org.deeplearning4j.nn.gradient.Gradient;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.nd4j.common.primitives.Pair;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Parameter and input gradients of a critic f for external errors dL/df, and the WGAN-GP critic gradient.
 * DL4J cannot differentiate twice (its SameDiff graphs do not take a second derivative here), so the penalty's
 * parameter gradient is a finite-difference Hessian-vector product: with g_i = grad_x f(xhat_i), u_i = g_i / |g_i|
 * held fixed and c_i = 2 lambda (|g_i| - 1) / N,
 * <pre>
 *   grad_theta lambda GP ~ [grad_theta sum_i c_i f(xhat_i + h u_i) - grad_theta sum_i c_i f(xhat_i - h u_i)] / (2h),
 * </pre>
 * exact inside a linear region of LeakyReLU. Two extra backprops instead of a second-order graph. Piecewise-linear
 * critics (all of ours) skip the differences: {@link FcPenalty} and {@link LinearizedPenalty} compute the same
 * gradient exactly; the differences remain for any other critic and as the tests' independent reference. The loss of a
 * training step, with the penalty's helpers kept for one critic, is {@link CriticObjective}.
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
    public static INDArray inputGradient(MultiLayerNetwork critic, INDArray x, INDArray errors) {
        return backpropIntoGradientView(critic, x, errors)[1].dup();
    }

    /**
     * f(x) (train mode, a column), d(sum_i e_i f(x_i))/dx and d/dtheta, the last two DL4J's own arrays, not copies: the
     * parameter gradient is the critic's flattened gradient view (flat, rank 1), where the updater reads it.
     */
    public static INDArray[] backpropIntoGradientView(MultiLayerNetwork critic, INDArray x, INDArray errors) {
        critic.setInput(x);
        INDArray f = critic.feedForward(true, false).get(critic.getnLayers());
        Pair<Gradient, INDArray> p = critic.backpropGradient(errors, LayerWorkspaceMgr.noWorkspaces());
        return new INDArray[] {f, p.getSecond(), p.getFirst().gradient()};
    }

    /** A copy of the parameter gradient that the last backprop left in the network's gradient view (flat, rank 1). */
    public static INDArray gradientCopy(MultiLayerNetwork net) {
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
    public record PenaltyGradient(double value, INDArray gradient) {
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
        return new CriticObjective(critic, false, lambda, h).penaltyAndGradient(xhat).gradient();
    }

    /** grad_theta (lambda GP) by finite differences with step h, whatever the critic. */
    public static INDArray differencePenaltyGradient(MultiLayerNetwork critic, INDArray xhat, double lambda, double h) {
        return new CriticObjective(critic, false, lambda, h).differencePenaltyGradient(xhat);
    }

    /**
     * The WGAN-GP critic loss mean f(fake) - mean f(real) + lambda GP and its parameter gradient (a copy), through DL4J's
     * layers; one interpolation coefficient per batch (repeat one value) or one per row. Interpolates pair real row i
     * with fake row i mod m.
     *
     * @param alpha interpolation coefficients, one per row
     */
    public static INDArray[] wganGp(MultiLayerNetwork critic, INDArray real, INDArray fake, INDArray alpha, double lambda, double h) {
        double value = new CriticObjective(critic, false, lambda, h).lossIntoGradientView(real, fake, alpha);
        return new INDArray[] {gradientCopy(critic), Nd4j.scalar(real.dataType(), value)};
    }

    /**
     * The non-saturating GAN's critic loss, the logistic loss of real rows against label 1 and fake rows against 0,
     * mean softplus(-f(real)) + mean softplus(f(fake)), with the optional penalty; and its parameter gradient.
     */
    public static INDArray[] nonSaturating(MultiLayerNetwork critic, INDArray real, INDArray fake, INDArray alpha, double lambda, double h) {
        double value = new CriticObjective(critic, true, lambda, h).lossIntoGradientView(real, fake, alpha);
        return new INDArray[] {gradientCopy(critic), Nd4j.scalar(real.dataType(), value)};
    }

    /**
     * The rows x_hat + h u and x_hat - h u (u the unit input gradient) and their errors +-c/(2h), c_i =
     * 2 lambda (|g_i| - 1)/n, in double: one backprop of them is the central difference (grad_theta(c.f)(x_hat + h u) -
     * grad_theta(c.f)(x_hat - h u)) / (2h), the penalty's parameter gradient.
     */
    static INDArray[] differenceRows(INDArray xhat, Penalty p, double lambda, double h) {
        long n = xhat.rows();
        INDArray x = xhat.castTo(DataType.DOUBLE);
        INDArray u = p.gradients().castTo(DataType.DOUBLE).divColumnVector(p.norms().castTo(DataType.DOUBLE).add(1e-12)).muli(h);
        INDArray c = p.norms().castTo(DataType.DOUBLE).sub(1).muli(2 * lambda / n / (2 * h));
        return new INDArray[] {Nd4j.vstack(x.add(u), x.sub(u)), Nd4j.vstack(c, c.neg())};
    }
}
