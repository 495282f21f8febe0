package org.wganspark.train;

import java.util.SplittableRandom;
import org.deeplearning4j.nn.gradient.DefaultGradient;
import org.deeplearning4j.nn.updater.MultiLayerUpdater;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.ops.transforms.Transforms;

/**
 * WGAN-GP training in one JVM: the reference trajectory that the distributed engine must reproduce with one
 * worker. Per real batch t: a critic step; every {@code generatorEvery} critic steps a generator step on a
 * fresh fake batch (anchor: G_step_every 5). All randomness (latent draws, real batches, interpolation
 * coefficients) comes from one seeded generator.
 */
public final class LocalTrainer {

    /**
     * @param gp             gradient-penalty weight (0: none)
     * @param clip           weight clipping bound after each critic step (0: none)
     * @param generatorEvery a generator step after every this many critic steps; 0: critic steps only (W1-FE
     *                       trains its generator itself)
     * @param alphaPerSample one interpolation coefficient per row instead of one per batch (the anchor's)
     * @param h              step of the finite-difference Hessian-vector product (jvm-stack.md 9)
     * @param nonSaturating  the non-saturating GAN loss (critic: logistic loss, real 1 and fake 0; generator: logistic
     *                       loss of its fakes against 1) instead of the WGAN loss; the penalty and clipping apply to both
     * @param direct         a metric the generator minimizes directly, without a critic (null: a GAN); every step is
     *                       then one generator step
     * @param spectralNorm   the critic's weights spectrally normalized ({@link SpectralNorm}), with or without a penalty
     */
    public record Options(double gp, double clip, int generatorEvery, int realBatch, int fakeBatch, boolean alphaPerSample, double h,
                          boolean nonSaturating, DirectLoss direct, boolean spectralNorm) implements java.io.Serializable {

        /** The WGAN loss. */
        public Options(double gp, double clip, int generatorEvery, int realBatch, int fakeBatch, boolean alphaPerSample, double h) {
            this(gp, clip, generatorEvery, realBatch, fakeBatch, alphaPerSample, h, false, null, false);
        }

        /** The same options with another generator schedule (0: critic steps only). */
        public Options withGeneratorEvery(int every) {
            return new Options(gp, clip, every, realBatch, fakeBatch, alphaPerSample, h, nonSaturating, direct, spectralNorm);
        }

        /** The same options with spectral normalization of the critic on or off. */
        public Options withSpectralNorm(boolean on) {
            return new Options(gp, clip, generatorEvery, realBatch, fakeBatch, alphaPerSample, h, nonSaturating, direct, on);
        }
    }

    private final MultiLayerNetwork generator;
    private final MultiLayerNetwork critic;
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
        this.spectral = options.spectralNorm() && critic != null ? new SpectralNorm(critic, spectralVectors, spectralSeed) : null;
        this.generator = generator;
        this.critic = critic;
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
        org.wganspark.ot.loss.LossGradient loss = options.direct().between(ParameterAveraging.floats(fake), (int) fake.rows(),
                ParameterAveraging.floats(real), (int) real.rows(), d, random.nextLong());
        INDArray dx = Nd4j.createFromArray(loss.gradient()).reshape('c', fake.rows(), d).castTo(fake.dataType());
        backpropIntoGradientView(generator, dx);
        applyGradientView(generator, generatorSteps);
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
        lastCriticLoss = CriticGradients.lossIntoGradientView(critic, real, fake, alpha, options.gp(), options.h(), options.nonSaturating());
        if (spectral != null) {
            spectral.step(critic, critic.getFlattenedGradients(), criticSteps, options.clip());
        } else {
            applyGradientView(critic, criticSteps);
            if (options.clip() > 0) {
                clip(critic, options.clip());
            }
        }
        criticSteps++;
    }

    /**
     * G(z) for a critic step, or the previous step's array (to be read, not written) when z and G's parameters are
     * float for float what they were: with a discrete prior whose fake batch is M every step draws the same table, and
     * G changes only every generatorEvery steps, so four critic steps in five of the anchor's loop would recompute the
     * same numbers (DL4J's forward of the Fig. 7 generator took 3.5 ms of a 60 ms step). Comparing the parameters
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

    /** Weight clipping: every critic parameter into [-bound, bound]. */
    static void clip(MultiLayerNetwork critic, double bound) {
        critic.params().assign(Transforms.max(Transforms.min(critic.params(), bound), -bound));
    }

    /** The critic's parameters as the optimizer sees them: the raw weights under spectral normalization. */
    public float[] criticParameters() {
        return spectral != null ? spectral.rawParameters() : ParameterAveraging.floats(critic.params());
    }

    /** The spectral normalization's power-iteration vectors (empty without it). */
    public float[] spectralVectors() {
        return spectral != null ? spectral.vectors() : new float[0];
    }

    /** G minimizes -mean f(G(z)): the critic's input gradient, backpropagated through G. */
    private void generatorStep() {
        INDArray z = prior.sample(options.fakeBatch(), random, type);
        lastGeneratorLoss = generatorLossIntoGradientView(generator, critic, z, options.nonSaturating());
        applyGradientView(generator, generatorSteps);
        generatorSteps++;
    }

    /** d(-mean_i f(G(z_i)))/d(theta_G) (flat, a copy) and the loss itself. */
    static INDArray[] generatorGradient(MultiLayerNetwork generator, MultiLayerNetwork critic, INDArray z) {
        return generatorGradient(generator, critic, z, false);
    }

    /**
     * The generator's gradient and loss: -mean_i f(G(z_i)) (WGAN), or mean_i softplus(-f(G(z_i))) (non-saturating:
     * the logistic loss of the fakes against label 1).
     */
    static INDArray[] generatorGradient(MultiLayerNetwork generator, MultiLayerNetwork critic, INDArray z, boolean nonSaturating) {
        double loss = generatorLossIntoGradientView(generator, critic, z, nonSaturating);
        return new INDArray[] {CriticGradients.gradientCopy(generator), Nd4j.scalar(z.dataType(), loss)};
    }

    /** The generator's loss, its parameter gradient left in the generator's own gradient view (no copies). */
    private static double generatorLossIntoGradientView(MultiLayerNetwork generator, MultiLayerNetwork critic, INDArray z, boolean nonSaturating) {
        long m = z.rows();
        INDArray fake = generate(generator, z);
        FcCriticStep direct = nonSaturating ? null : CriticGradients.fcStep(critic);
        ConvCriticStep conv = nonSaturating || direct != null ? null : CriticGradients.convStep(critic);
        if (direct != null || conv != null) {
            INDArray[] scoreAndGradient = direct != null ? direct.scoresAndInputGradient(fake, (float) (-1.0 / m))
                    : conv.scoresAndInputGradient(fake, (float) (-1.0 / m));
            backpropIntoGradientView(generator, scoreAndGradient[1]);
            return -scoreAndGradient[0].meanNumber().doubleValue();
        }
        INDArray f = critic.output(fake, false);
        // dL/df: -1/m, or -sigmoid(-f)/m for the logistic loss
        INDArray errors = nonSaturating ? Transforms.sigmoid(f.neg(), false).muli(-1.0 / m) : Nd4j.valueArrayOf(new long[] {m, 1}, -1.0 / m, fake.dataType());
        INDArray dx = CriticGradients.inputGradient(critic, fake, errors);
        double loss = nonSaturating ? Transforms.softPlus(f.neg(), false).meanNumber().doubleValue() : -f.meanNumber().doubleValue();
        backpropIntoGradientView(generator, dx);
        return loss;
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

    /** Adam through the network's own updater for a flat gradient (jvm-stack.md 8). */
    static void apply(MultiLayerNetwork net, INDArray flat, int iteration) {
        ((MultiLayerUpdater) net.getUpdater()).getFlattenedGradientsView().assign(flat);
        applyGradientView(net, iteration);
    }

    /**
     * Adam for the gradient that backprop left in the network's own gradient view. The updater works in place on that
     * view; a Gradient holding that very array is the "standard" case for it.
     */
    static void applyGradientView(MultiLayerNetwork net, int iteration) {
        if (!FusedAdam.step(net, iteration)) {
            dl4jStep(net, iteration);
        }
    }

    /** The same step through DL4J's updater (any updater configuration). */
    static void dl4jStep(MultiLayerNetwork net, int iteration) {
        MultiLayerUpdater updater = (MultiLayerUpdater) net.getUpdater();
        INDArray view = updater.getFlattenedGradientsView();
        updater.update(new DefaultGradient(view), iteration, 0, 1, LayerWorkspaceMgr.noWorkspaces());  // batch 1: already a mean
        net.params().subi(view.reshape(net.params().shape()));
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
