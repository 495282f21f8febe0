package org.wganspark.train.step;

import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.ops.transforms.Transforms;
import org.wganspark.train.objective.CriticGradients;
import org.wganspark.train.objective.CriticObjective;

/**
 * A critic step through DL4J's own layers and ND4J's operations: any critic, any loss, any backend (what runs on
 * ND4J's CUDA backend). The loss and its penalty are {@link CriticObjective}'s.
 */
public final class PortableCriticStep implements CriticStep {

    private final MultiLayerNetwork critic;
    private final boolean nonSaturating;
    private final CriticObjective objective;

    /** @param prepare applied to the networks the penalty builds (identity for the portable kernels) */
    public PortableCriticStep(MultiLayerNetwork critic, Loss loss, java.util.function.UnaryOperator<MultiLayerNetwork> prepare) {
        this.critic = critic;
        this.nonSaturating = loss.nonSaturating();
        this.objective = new CriticObjective(critic, loss.nonSaturating(), loss.penalty(), loss.h(), prepare);
    }

    @Override
    public double lossIntoGradientView(INDArray real, INDArray fake, INDArray alpha) {
        return objective.lossIntoGradientView(real, fake, alpha);
    }

    @Override
    public GeneratorSignal generatorSignal(INDArray fake) {
        long m = fake.rows();
        INDArray f = critic.output(fake, false);
        // dL/df: -1/m, or -sigmoid(-f)/m for the logistic loss
        INDArray errors = nonSaturating ? Transforms.sigmoid(f.neg(), false).muli(-1.0 / m)
                : Nd4j.valueArrayOf(new long[] {m, 1}, -1.0 / m, fake.dataType());
        INDArray dx = CriticGradients.inputGradient(critic, fake, errors);
        double loss = nonSaturating ? Transforms.softPlus(f.neg(), false).meanNumber().doubleValue() : -f.meanNumber().doubleValue();
        return new GeneratorSignal(loss, dx);
    }
}
