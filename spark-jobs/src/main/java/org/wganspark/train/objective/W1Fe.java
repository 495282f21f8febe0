package org.wganspark.train.objective;

import java.io.Serializable;
import org.deeplearning4j.nn.gradient.Gradient;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.nd4j.common.primitives.Pair;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The two halves of a W1-FE step (Malik and Huang, "A Differential Equation Approach for Wasserstein GANs and
 * Beyond", arXiv 2405.16351): forward Euler on the W1 gradient flow dY/dt = grad f(Y), with f the critic. The
 * targets Y_i = G(z_i) + dt grad_x f(G(z_i)) are fixed, then the generator takes K optimizer steps on the
 * regression loss L = (1/m) sum_i |G(z_i) - Y_i|^2 (persistency level K).
 *
 * <p>At the current parameters grad L = -2 dt grad (mean_i f(G(z_i))), so one plain-SGD step of rate eta on L is
 * one WGAN generator step of rate 2 eta dt: K = 1 is WGAN (a test). Adam does not see the constant 2 dt.
 */
public final class W1Fe {

    /**
     * @param criticSteps critic steps per outer step
     * @param persistency K, regression steps on one set of targets
     * @param dt          the Euler step
     * @param batch       latent codes per outer step (for a discrete prior of size M, M means the whole table)
     */
    public record Options(int criticSteps, int persistency, double dt, int batch) implements Serializable {

        public Options {
            if (criticSteps < 1 || persistency < 1 || !(dt > 0) || batch < 1) {
                throw new IllegalArgumentException("w1fe: expected critic-steps >= 1, k >= 1, dt > 0 and batch >= 1, found " + criticSteps
                        + ", " + persistency + ", " + dt + ", " + batch);
            }
        }
    }

    private W1Fe() {
    }

    /** Y = G(z) + dt grad_x f(G(z)), one row per latent code; a new array, never changed afterwards. */
    public static INDArray targets(MultiLayerNetwork generator, MultiLayerNetwork critic, INDArray z, double dt) {
        INDArray x = generator.output(z, false);
        INDArray ones = Nd4j.ones(x.dataType(), x.rows(), 1);  // error 1 per row: row i's input gradient is grad f(x_i)
        INDArray gradF = CriticGradients.backprop(critic, x, ones)[1];
        return x.addi(gradF.muli(dt));
    }

    /** d/d(theta_G) of (1/m) sum_i |G(z_i) - y_i|^2 (flat, params layout, a copy) and the loss itself. */
    public static INDArray[] regressionGradient(MultiLayerNetwork generator, INDArray z, INDArray y) {
        long m = z.rows();
        generator.setInput(z);
        INDArray out = generator.feedForward(true, false).get(generator.getnLayers());
        INDArray residual = out.sub(y);
        double loss = residual.mul(residual).sumNumber().doubleValue() / m;
        Pair<Gradient, INDArray> p = generator.backpropGradient(residual.muli(2.0 / m), LayerWorkspaceMgr.noWorkspaces());
        return new INDArray[] {p.getFirst().gradient().dup(), Nd4j.scalar(out.dataType(), loss)};
    }
}
