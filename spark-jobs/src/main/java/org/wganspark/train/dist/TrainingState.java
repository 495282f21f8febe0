package org.wganspark.train.dist;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.wganspark.model.OffHeap;
import org.wganspark.train.local.LocalTrainer;

/**
 * Everything a round starts from and ends with, and the critic's last loss (the workers' mean; NaN before the
 * first round), which tells a diverging run. Under spectral normalization {@code critic} holds the raw weights and
 * {@code criticSpectral} the power-iteration vectors (empty otherwise).
 */
public record TrainingState(float[] generator, float[] generatorAdam, float[] critic, float[] criticAdam, int criticSteps, int generatorSteps,
                    double criticLoss, float[] criticSpectral) implements Serializable {

    public TrainingState(float[] generator, float[] generatorAdam, float[] critic, float[] criticAdam, int criticSteps, int generatorSteps) {
        this(generator, generatorAdam, critic, criticAdam, criticSteps, generatorSteps, Double.NaN, new float[0]);
    }

    /** Whether {@code other} has the same parameter counts, network by network (a checkpoint fits these networks). */
    public boolean sameShapeAs(TrainingState other) {
        return generator.length == other.generator.length && critic.length == other.critic.length;
    }

    public TrainingState withCriticLoss(double loss) {
        return new TrainingState(generator, generatorAdam, critic, criticAdam, criticSteps, generatorSteps, loss, criticSpectral);
    }

    /** The first parameter that is NaN or infinite, as "generator" or "critic", or null when all are finite. */
    public String firstNonFinite() {
        for (float v : generator) {
            if (!Float.isFinite(v)) {
                return "generator";
            }
        }
        for (float v : critic) {
            if (!Float.isFinite(v)) {
                return "critic";
            }
        }
        return null;
    }

    /** The state of both networks; a run without a critic (direct minimization) holds empty critic arrays. */
    public static TrainingState of(MultiLayerNetwork generator, MultiLayerNetwork critic, int criticSteps, int generatorSteps) {
        return new TrainingState(OffHeap.toFloats(generator.params()), NetworkStates.optimizerState(generator),
                critic == null ? new float[0] : OffHeap.toFloats(critic.params()), critic == null ? new float[0] : NetworkStates.optimizerState(critic),
                criticSteps, generatorSteps);
    }

    /** A worker's state after its local steps (the critic's raw weights under spectral normalization). */
    static TrainingState after(LocalTrainer trainer, MultiLayerNetwork generator, MultiLayerNetwork critic) {
        return new TrainingState(OffHeap.toFloats(generator.params()), NetworkStates.optimizerState(generator),
                critic == null ? new float[0] : trainer.criticParameters(), critic == null ? new float[0] : NetworkStates.optimizerState(critic),
                trainer.criticSteps(), trainer.generatorSteps(), trainer.lastCriticLoss(), trainer.spectralVectors());
    }

    /** A run stops at a state whose parameters are not finite or whose critic loss is beyond the bound. */
    public boolean stops(double maxLoss) {
        return firstNonFinite() != null || !(Math.abs(criticLoss) <= maxLoss);
    }

    /** Element-wise mean in partition order (a fixed order: the same bits whatever the task placement). */
    static TrainingState average(List<TrainingState> parts) {
        if (parts.size() == 1) {
            return parts.get(0);  // the mean of one: the same bits
        }
        List<float[][]> fields = new ArrayList<>(parts.size());
        for (TrainingState p : parts) {
            fields.add(new float[][] {p.generator(), p.generatorAdam(), p.critic(), p.criticAdam(), p.criticSpectral()});
        }
        float[][] mean = Averages.meanIntoFirst(fields);
        TrainingState first = parts.get(0);
        double loss = 0;
        for (TrainingState p : parts) {
            loss += p.criticLoss();
        }
        return new TrainingState(mean[0], mean[1], mean[2], mean[3], first.criticSteps(), first.generatorSteps(), loss / parts.size(), mean[4]);
    }
}
