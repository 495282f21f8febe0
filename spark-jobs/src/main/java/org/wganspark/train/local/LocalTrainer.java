package org.wganspark.train.local;

import java.util.SplittableRandom;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.updater.MultiLayerUpdater;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.wganspark.model.Networks;
import org.wganspark.model.OffHeap;
import org.wganspark.model.Prior;
import org.wganspark.model.SpectralNorm;
import org.wganspark.train.objective.CriticGradients;
import org.wganspark.train.objective.DirectLoss;
import org.wganspark.train.step.CriticStep;
import org.wganspark.train.step.Kernels;
import org.wganspark.train.step.Optimizer;
import org.wganspark.train.step.StepKernels;

/**
 * WGAN-GP training in one JVM: the reference trajectory that the distributed engine must reproduce with one
 * worker. Per real batch t: a critic step; every {@code generatorEvery} critic steps a generator step on a
 * fresh fake batch (the paper's code: G_step_every 5). All randomness (latent draws, real batches, interpolation
 * coefficients) comes from one seeded generator.
 */
public final class LocalTrainer {

    /**
     * @param gp             gradient-penalty weight (0: none)
     * @param clip           weight clipping bound after each critic step (0: none)
     * @param generatorEvery a generator step after every this many critic steps; 0: critic steps only (W1-FE
     *                       trains its generator itself)
     * @param alphaPerSample one interpolation coefficient per row instead of one per batch (the paper's)
     * @param h              step of the finite-difference Hessian-vector product
     * @param nonSaturating  the non-saturating GAN loss (critic: logistic loss, real 1 and fake 0; generator: logistic
     *                       loss of its fakes against 1) instead of the WGAN loss; the penalty and clipping apply to both
     * @param direct         a metric the generator minimizes directly, without a critic (null: a GAN); every step is
     *                       then one generator step
     * @param spectralNorm   the critic's weights spectrally normalized ({@link SpectralNorm}), with or without a penalty
     * @param kernels        which code runs the steps ({@link StepKernels})
     */
    public record Options(double gp, double clip, int generatorEvery, int realBatch, int fakeBatch, boolean alphaPerSample, double h,
                          boolean nonSaturating, DirectLoss direct, boolean spectralNorm, Kernels kernels) implements java.io.Serializable {

        /** The WGAN loss, the hand-written kernels where they apply. */
        public Options(double gp, double clip, int generatorEvery, int realBatch, int fakeBatch, boolean alphaPerSample, double h) {
            this(gp, clip, generatorEvery, realBatch, fakeBatch, alphaPerSample, h, false, null, false, Kernels.AUTO);
        }

        /** The same options with another generator schedule (0: critic steps only). */
        public Options withGeneratorEvery(int every) {
            return new Options(gp, clip, every, realBatch, fakeBatch, alphaPerSample, h, nonSaturating, direct, spectralNorm, kernels);
        }

        /** The same options with spectral normalization of the critic on or off. */
        public Options withSpectralNorm(boolean on) {
            return new Options(gp, clip, generatorEvery, realBatch, fakeBatch, alphaPerSample, h, nonSaturating, direct, on, kernels);
        }

        /** The same options with other kernels. */
        public Options withKernels(Kernels other) {
            return new Options(gp, clip, generatorEvery, realBatch, fakeBatch, alphaPerSample, h, nonSaturating, direct, spectralNorm, other);
        }

        /** The critic objective these options ask for. */
        public CriticStep.Loss criticLoss() {
            return new CriticStep.Loss(nonSaturating, gp, h);
        }
    }

    private final MultiLayerNetwork generator;
    private final MultiLayerNetwork critic;
    /** What runs the critic's part of a step and the two networks' optimizer steps (null critic step: no critic). */
    private final CriticStep criticStep;
    private final Optimizer criticOptimizer;
    private final Optimizer generatorOptimizer;
    private final Prior prior;
    private final Options options;
    private SplittableRandom random;
    private final DataType type;
    private final SpectralNorm spectral;
    private int criticSteps;
    private int generatorSteps;
    private double lastCriticLoss = Double.NaN;
    private double lastGeneratorLoss = Double.NaN;
    /** The last critic step's fake batch, the z and the generator parameters it came from (see {@link #fakes}). */
    private INDArray lastFakes;
    private float[] lastLatents;
    private float[] lastGeneratorParameters;

    public LocalTrainer(MultiLayerNetwork generator, MultiLayerNetwork critic, Prior prior, Options options, long seed) {
        this(generator, critic, prior, options, seed, 0, 0);
    }

    /**
     * What runs a trainer's steps for its two networks, as {@link StepKernels} picks it for the options' kernels. A
     * worker keeps it with its networks from round to round: the hand-written steps hold buffers sized for them.
     */
    public record Steps(CriticStep critic, Optimizer criticOptimizer, Optimizer generatorOptimizer) {

        public static Steps of(MultiLayerNetwork generator, MultiLayerNetwork critic, Options options) {
            return new Steps(critic == null ? null : StepKernels.critic(critic, options.criticLoss(), options.kernels()),
                    critic == null ? null : StepKernels.optimizer(critic, options.kernels()), StepKernels.optimizer(generator, options.kernels()));
        }
    }

    /** Continuing at the given step counts (they drive Adam's bias correction and the generator schedule). */
    public LocalTrainer(MultiLayerNetwork generator, MultiLayerNetwork critic, Prior prior, Options options, long seed, int criticSteps,
                        int generatorSteps) {
        this(generator, critic, prior, options, seed, criticSteps, generatorSteps, new float[0], seed);
    }

    /**
     * Continuing a run whose critic is spectrally normalized: {@code critic} holds the raw weights, {@code spectralVectors}
     * the power-iteration state (empty: start it from {@code spectralSeed}, the same on every worker).
     */
    public LocalTrainer(MultiLayerNetwork generator, MultiLayerNetwork critic, Prior prior, Options options, long seed, int criticSteps,
                        int generatorSteps, float[] spectralVectors, long spectralSeed) {
        this(generator, critic, prior, options, seed, criticSteps, generatorSteps, spectralVectors, spectralSeed,
                Steps.of(generator, critic, options));
    }

    /** The same with the steps of these networks already picked (a worker's, kept from round to round). */
    public LocalTrainer(MultiLayerNetwork generator, MultiLayerNetwork critic, Prior prior, Options options, long seed, int criticSteps,
                        int generatorSteps, float[] spectralVectors, long spectralSeed, Steps steps) {
        this.spectral = options.spectralNorm() && critic != null ? new SpectralNorm(critic, spectralVectors, spectralSeed) : null;
        this.generator = generator;
        this.critic = critic;
        this.criticStep = steps.critic();
        this.criticOptimizer = steps.criticOptimizer();
        this.generatorOptimizer = steps.generatorOptimizer();
        this.prior = prior;
        this.options = options;
        this.random = new SplittableRandom(seed);
        this.type = generator.params().dataType();
        this.criticSteps = criticSteps;
        this.generatorSteps = generatorSteps;
    }

    /**
     * The seed of round {@code round} on partition {@code partition}: a retried task, or a one-worker run, draws
     * exactly the same numbers.
     */
    public static long roundSeed(long seed, int round, int partition) {
        return new SplittableRandom(seed ^ (round * 0x9E3779B97F4A7C15L) ^ ((partition + 1L) * 0xC2B2AE3D27D4EB4FL)).nextLong();
    }

    /** Draw from here on with a new seed (the start of an averaging round). */
    public void reseed(long seed) {
        random = new SplittableRandom(seed);
    }

    /**
     * One critic step on rows of {@code data} drawn with replacement, and a generator step when due; with a direct
     * metric, one generator step on it instead (counted as a step of the run).
     */
    public void step(INDArray data) {
        if (options.direct() != null) {
            directStep(data);
            return;
        }
        criticStep(data);
        if (options.generatorEvery() > 0 && criticSteps % options.generatorEvery() == 0) {
            generatorStep();
        }
    }

    /**
     * G minimizes the metric between a fresh fake batch and a real batch drawn with replacement: the metric's
     * gradient in the fake images, backpropagated through G. The step's seed (sliced directions) comes from the
     * trainer's generator, so a retried task repeats it.
     */
    private void directStep(INDArray data) {
        OffHeap.collectIfGrown();
        INDArray real = OffHeap.rows(data, realRows((int) data.rows()));
        INDArray fake = generate(generator, prior.sample(options.fakeBatch(), random, type));
        int d = (int) fake.columns();
        org.wganspark.ot.loss.LossGradient loss = options.direct().between(OffHeap.toFloats(fake), (int) fake.rows(),
                OffHeap.toFloats(real), (int) real.rows(), d, random.nextLong());
        INDArray dx = Nd4j.createFromArray(loss.gradient()).reshape('c', fake.rows(), d).castTo(fake.dataType());
        backpropIntoGradientView(generator, dx);
        generatorOptimizer.step(generator, generatorSteps);
        lastCriticLoss = loss.value();
        lastGeneratorLoss = loss.value();
        generatorSteps++;
        criticSteps++;
    }

    private int[] realRows(int n) {
        int[] rows = new int[options.realBatch()];
        for (int b = 0; b < rows.length; b++) {
            rows[b] = random.nextInt(n);
        }
        return rows;
    }

    /** One WGAN critic step (GP and/or clipping) on a real batch drawn with replacement and a fresh fake batch. */
    public void criticStep(INDArray data) {
        OffHeap.collectIfGrown();
        int[] rows = realRows((int) data.rows());
        INDArray real = OffHeap.rows(data, rows);
        INDArray fake = fakes(prior.sample(options.fakeBatch(), random, type));
        INDArray alpha;
        if (options.alphaPerSample()) {
            double[] a = new double[rows.length];
            for (int b = 0; b < a.length; b++) {
                a[b] = random.nextDouble();
            }
            alpha = Nd4j.createFromArray(a).reshape(rows.length, 1).castTo(type);
        } else {
            alpha = Nd4j.valueArrayOf(new long[] {rows.length, 1}, random.nextDouble(), type);
        }
        lastCriticLoss = criticStep.lossIntoGradientView(real, fake, alpha);
        if (spectral != null) {
            spectral.step(critic, critic.getFlattenedGradients(), criticSteps, options.clip(), iteration -> criticOptimizer.step(critic, iteration));
        } else {
            criticOptimizer.step(critic, criticSteps);
            if (options.clip() > 0) {
                Networks.clip(critic, options.clip());
            }
        }
        criticSteps++;
    }

    /**
     * G(z) for a critic step, or the previous step's array (to be read, not written) when z and G's parameters are
     * float for float what they were: with a discrete prior whose fake batch is M every step draws the same table, and
     * G changes only every generatorEvery steps, so four critic steps in five of the paper's loop would recompute the
     * same numbers. Comparing the parameters
     * themselves, not a step counter, also sees changes made from outside (a resumed or averaged state, W1-FE's
     * regression).
     */
    INDArray fakes(INDArray z) {
        if (z.dataType() != DataType.FLOAT || generator.params().dataType() != DataType.FLOAT) {
            return generator.output(z, false);
        }
        float[] latents = OffHeap.heapFloats(z);
        float[] parameters = OffHeap.heapFloats(generator.params());
        if (lastFakes == null || !java.util.Arrays.equals(latents, lastLatents) || !java.util.Arrays.equals(parameters, lastGeneratorParameters)) {
            lastFakes = generator.output(z, false);
            lastLatents = latents;
            lastGeneratorParameters = parameters;
        }
        return lastFakes;
    }

    /** The critic's parameters as the optimizer sees them: the raw weights under spectral normalization. */
    public float[] criticParameters() {
        return spectral != null ? spectral.rawParameters() : OffHeap.toFloats(critic.params());
    }

    /** The spectral normalization's power-iteration vectors (empty without it). */
    public float[] spectralVectors() {
        return spectral != null ? spectral.vectors() : new float[0];
    }

    /** G minimizes -mean f(G(z)): the critic's input gradient, backpropagated through G. */
    private void generatorStep() {
        INDArray z = prior.sample(options.fakeBatch(), random, type);
        lastGeneratorLoss = generatorLossIntoGradientView(generator, criticStep, z);
        generatorOptimizer.step(generator, generatorSteps);
        generatorSteps++;
    }

    /** d(-mean_i f(G(z_i)))/d(theta_G) (flat, a copy) and the loss itself, for a WGAN critic step on {@code kernels}. */
    public static INDArray[] generatorGradient(MultiLayerNetwork generator, MultiLayerNetwork critic, INDArray z, Kernels kernels) {
        return generatorGradient(generator, StepKernels.critic(critic, new CriticStep.Loss(false, 0, 0), kernels), z);
    }

    /**
     * The generator's gradient and loss (flat, a copy): -mean_i f(G(z_i)) (WGAN), or mean_i softplus(-f(G(z_i)))
     * (non-saturating: the logistic loss of the fakes against label 1), as {@code step} computes it.
     */
    public static INDArray[] generatorGradient(MultiLayerNetwork generator, CriticStep step, INDArray z) {
        double loss = generatorLossIntoGradientView(generator, step, z);
        return new INDArray[] {CriticGradients.gradientCopy(generator), Nd4j.scalar(z.dataType(), loss)};
    }

    /** The generator's loss, its parameter gradient left in the generator's own gradient view (no copies). */
    private static double generatorLossIntoGradientView(MultiLayerNetwork generator, CriticStep step, INDArray z) {
        CriticStep.GeneratorSignal signal = step.generatorSignal(generate(generator, z));
        backpropIntoGradientView(generator, signal.inputGradient());
        return signal.loss();
    }

    /** G(z) in training mode; the layers keep their inputs for {@link #backpropIntoGradientView}. */
    private static INDArray generate(MultiLayerNetwork generator, INDArray z) {
        generator.setInput(z);
        return generator.feedForward(true, false).get(generator.getnLayers());
    }

    /** d(sum_i dx_i . G(z_i))/d(theta_G) for the z of the last {@link #generate}, into the generator's gradient view. */
    private static void backpropIntoGradientView(MultiLayerNetwork generator, INDArray dx) {
        generator.backpropGradient(dx, LayerWorkspaceMgr.noWorkspaces());
    }

    /** The network's optimizer step (on {@code kernels}) for a flat gradient. */
    public static void apply(MultiLayerNetwork net, INDArray flat, int iteration, Kernels kernels) {
        ((MultiLayerUpdater) net.getUpdater()).getFlattenedGradientsView().assign(flat);
        StepKernels.optimizer(net, kernels).step(net, iteration);
    }

    /** The seeded generator all of this trainer's draws come from (W1-FE draws its target batches from it too). */
    SplittableRandom random() {
        return random;
    }

    /** The generated set of a discrete prior: G applied to the whole table. */
    public INDArray generatedSet() {
        return generator.output(prior.all(type), false);
    }

    public int criticSteps() {
        return criticSteps;
    }

    public int generatorSteps() {
        return generatorSteps;
    }

    public double lastCriticLoss() {
        return lastCriticLoss;
    }

    public double lastGeneratorLoss() {
        return lastGeneratorLoss;
    }
}
