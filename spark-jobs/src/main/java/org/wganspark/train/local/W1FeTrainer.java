package org.wganspark.train.local;

import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.wganspark.model.OffHeap;
import org.wganspark.model.Prior;
import org.wganspark.train.objective.W1Fe;
import org.wganspark.train.step.Optimizer;
import org.wganspark.train.step.StepKernels;

/**
 * W1-FE in one JVM. An outer step: {@code criticSteps} WGAN critic steps (the engine's own, GP and/or clipping),
 * then fixed Euler targets on a fresh latent batch (the whole table for a discrete prior whose size is the batch),
 * then K regression steps of the generator on them ({@link W1Fe}). All draws come from one seeded generator.
 */
public final class W1FeTrainer {

    private final MultiLayerNetwork generator;
    private final MultiLayerNetwork critic;
    private final Prior prior;
    private final W1Fe.Options options;
    private final LocalTrainer criticTrainer;
    private final Optimizer generatorOptimizer;
    private final DataType type;
    private int regressionSteps;
    private double lastRegressionLoss = Double.NaN;

    /**
     * @param criticOptions the critic's WGAN options; their generator schedule is ignored (W1-FE moves G itself)
     */
    public W1FeTrainer(MultiLayerNetwork generator, MultiLayerNetwork critic, Prior prior, LocalTrainer.Options criticOptions,
                       W1Fe.Options options, long seed) {
        this.generator = generator;
        this.critic = critic;
        this.prior = prior;
        this.options = options;
        this.criticTrainer = new LocalTrainer(generator, critic, prior, criticOptions.withGeneratorEvery(0), seed);
        this.generatorOptimizer = StepKernels.optimizer(generator, criticOptions.kernels());
        this.type = critic.params().dataType();
    }

    /** One outer step; returns the regression losses before each of the K steps. */
    public double[] step(INDArray data) {
        for (int c = 0; c < options.criticSteps(); c++) {
            criticTrainer.criticStep(data);
        }
        INDArray z = prior.sample(options.batch(), criticTrainer.random(), type);
        INDArray y = W1Fe.targets(generator, critic, z, options.dt());
        double[] losses = regress(generator, z, y, options.persistency(), regressionSteps, generatorOptimizer);
        regressionSteps += options.persistency();
        lastRegressionLoss = losses[losses.length - 1];
        return losses;
    }

    /**
     * {@code steps} optimizer steps of the generator toward the fixed targets, the first at optimizer iteration
     * {@code iteration} (Adam's bias correction counts them). Returns the loss before each step.
     */
    public static double[] regress(MultiLayerNetwork generator, INDArray z, INDArray y, int steps, int iteration, Optimizer optimizer) {
        double[] losses = new double[steps];
        for (int k = 0; k < steps; k++) {
            OffHeap.collectIfGrown();
            INDArray[] g = W1Fe.regressionGradient(generator, z, y);
            losses[k] = g[1].getDouble(0);
            ((org.deeplearning4j.nn.updater.MultiLayerUpdater) generator.getUpdater()).getFlattenedGradientsView().assign(g[0]);
            optimizer.step(generator, iteration + k);
        }
        return losses;
    }

    public INDArray generate(INDArray z) {
        return generator.output(z, false);
    }

    public int criticSteps() {
        return criticTrainer.criticSteps();
    }

    public double lastRegressionLoss() {
        return lastRegressionLoss;
    }
}
