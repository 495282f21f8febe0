package org.wganspark.cli;

import com.typesafe.config.Config;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.io.Serializable;
import java.util.LinkedHashMap;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.wganspark.data.BadInputException;
import org.wganspark.data.DataSpec;
import org.wganspark.data.Datasets;
import org.wganspark.data.FloatBlock;
import org.wganspark.data.NpyWriter;
import org.wganspark.data.RowSource;
import org.wganspark.eval.ExactW1;
import org.wganspark.eval.ImageGrid;
import org.wganspark.eval.Plots;
import org.wganspark.ot.Weights;
import org.wganspark.ot.cost.PointSet;
import org.wganspark.ot.patch.PatchGeometry;
import org.wganspark.ot.sliced.Sliced;
import org.wganspark.ot.sliced.SlicedResult;
import org.wganspark.experiment.RunFolder;
import org.wganspark.runtime.AtomicOutput;
import org.wganspark.runtime.FaultInjection;
import org.wganspark.runtime.Interrupts;
import org.wganspark.runtime.SparkRuntime;
import org.wganspark.train.LocalTrainer;
import org.wganspark.train.Networks;
import org.wganspark.train.ParameterAveraging;
import org.wganspark.train.Prior;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "train", mixinStandardHelpOptions = true, sortOptions = false,
        header = "Train a GAN by parameter averaging on the executors, with exact W1 and patch W1 as it goes.",
        footer = {"", "Example: wgan-spark train --config conf/train-fig5-fashion.conf --out runs/fig5 --iterations 2000"},
        description = {"Train a GAN (FC, DCGAN or free-pixels generator; FC, CNN (GAP or flatten head) or DCGAN critic; WGAN or",
                "non-saturating loss, gradient penalty, clipping and/or spectral normalization) by parameter averaging over the",
                "executors' data shards; or, with train.loss = direct-w1 or direct-patch-swd, a generator that descends exact",
                "W1 or patch sliced W1 to the data directly (no critic).",
                "Every train.log-every critic steps: exact image W1 (certified OT) and SWD of the generated set against the",
                "first train.eval-rows training images, an image grid, the generated set as .npy (discrete priors), a",
                "metrics.csv row, curves.png and a checkpoint. --resume continues from the checkpoint to the same numbers. A NaN or a",
                "critic loss beyond train.max-critic-loss stops the run (exit 1) and keeps the last good checkpoint."})
final class TrainCommand extends JobCommand {

    @Option(names = "--out", paramLabel = "PATH", description = "Run folder (default: config 'out', else runs/train).")
    String out;

    @Option(names = "--iterations", paramLabel = "N", description = "Critic steps (key train.iterations; default 1000; generator steps for a direct loss). May grow on --resume.")
    Integer iterations;

    @Option(names = "--resume", description = "Continue the run in --out from its checkpoint, with its saved config.conf (may change: train.iterations, "
            + "train.max-critic-loss, data.dir, spark.*).")
    boolean resume;

    /** A logged step's end: the averaged state, the next round's index and the training seconds so far. */
    record Checkpoint(ParameterAveraging.State state, int round, double seconds) implements Serializable {
    }

    /** Keys a resumed run may change: the rest must equal the run's config.conf. */
    static final List<String> MAY_CHANGE_ON_RESUME = List.of("train.iterations", "train.max-critic-loss", "out", "data.dir", "spark.");

    @Override
    protected Map<String, Object> optionKeys() {
        Map<String, Object> keys = new LinkedHashMap<>();
        keys.put("out", out);
        keys.put("train.iterations", iterations);
        return keys;
    }

    @Override
    public Integer call() throws Exception {
        Config explicit = explicitConfig();
        String runDir = explicit.hasPath("out") && !explicit.getString("out").isEmpty() ? explicit.getString("out") : "runs/train";
        Configuration local = new Configuration();
        RunFolder run;
        Config config;
        if (resume) {
            run = RunFolder.resume(runDir, local);
            config = ExperimentConfig.resume(ExperimentConfig.parseFile(run.file(RunFolder.CONFIG).toString(), local), run.named(RunFolder.CONFIG),
                    explicit, MAY_CHANGE_ON_RESUME);
        } else {
            config = ExperimentConfig.withDefaults(explicit, common.config);
            run = RunFolder.claim(runDir, common.overwrite, inputPaths(config.getString("data.source")), local);
        }
        Config t = config.getConfig("train");
        String generatorKind = t.getString("generator");
        if (!NetworkChoice.GENERATORS.contains(generatorKind)) {  // before the data is opened
            throw NetworkChoice.badGenerator(generatorKind);
        }
        int total = t.getInt("iterations");
        int frequency = t.getInt("averaging-frequency");
        int logEvery = t.getInt("log-every");
        if (total < 1 || frequency < 1 || logEvery < 1 || logEvery % frequency != 0) {
            throw new BadInputException("train: expected iterations >= 1, averaging-frequency >= 1 and log-every a multiple of it, found "
                    + total + ", " + frequency + ", " + logEvery);
        }
        long seed = config.getLong("seed");
        Prior prior;
        String priorSpec = t.getString("prior");
        int zDim = t.getInt("z-dim");
        try {
            prior = Prior.parse(priorSpec, zDim, seed);
        } catch (IllegalArgumentException e) {
            throw new BadInputException("train." + e.getMessage());
        }
        if (generatorKind.equals("pixels")) {
            if (!prior.discrete()) {
                throw new BadInputException("train.generator = pixels: M free images need prior const=M, found '" + priorSpec + "'");
            }
            // the pixels generator reads one-hot codes: z-dim becomes M
            zDim = prior.size();
            priorSpec = "onehot=" + zDim;
            prior = Prior.oneHot(zDim);
        }
        DataSpec dataSpec = DataSpec.fromConfig(config.getConfig("data"));
        RowSource source = Datasets.open(dataSpec, local, namedDatasets(false));
        int d = source.shape().size();
        LocalTrainer.Options options = new LocalTrainer.Options(t.getDouble("gp"), t.getDouble("clip"), t.getInt("generator-every"),
                t.getInt("real-batch"), t.getInt("fake-batch"), t.getBoolean("alpha-per-sample"), t.getDouble("fd-step"),
                NetworkChoice.nonSaturating(t), NetworkChoice.direct(t, source.shape()), t.getBoolean("spectral-norm"));
        double maxLoss = t.getDouble("max-critic-loss");
        PatchGeometry patches = source.shape().height() > 1 && t.getInt("patch-size") > 0
                ? W1FeCommand.patchGeometry(source.shape(), t.getInt("patch-size"), t.getInt("patch-stride"), "train") : null;
        int patchImages = t.getInt("patch-images");
        if (patchImages < 1) {
            throw new BadInputException("train.patch-images: expected a positive count of training images, found " + patchImages);
        }
        MultiLayerNetwork g = NetworkChoice.generator(t, source.shape(), zDim, seed);
        MultiLayerNetwork c = options.direct() == null ? NetworkChoice.critic(t, source.shape(), seed + 1) : null;
        err().printf(Locale.ROOT, "[train] generator %s, %d parameters; %s%n", generatorKind.equals("pixels") ? prior.size() + " free images"
                        : generatorKind.toUpperCase(Locale.ROOT),
                g.numParams(), c == null ? options.direct().describe()
                        : NetworkChoice.describeCritic(t, source.shape(), c) + (options.spectralNorm() ? ", spectrally normalized" : "") + "; "
                        + t.getString("loss") + " loss");
        ParameterAveraging.Setup setup = new ParameterAveraging.Setup(g.getLayerWiseConfigurations().toJson(),
                c == null ? null : c.getLayerWiseConfigurations().toJson(), priorSpec, zDim, seed, options);

        ParameterAveraging.State state = ParameterAveraging.stateOf(g, c, 0, 0);
        int round = 0;
        double secondsBefore = 0;
        if (resume) {
            Checkpoint cp = readCheckpoint(run, local);
            if (!cp.state().sameShapeAs(state)) {
                throw new BadInputException("--resume: the checkpoint in " + run + " holds " + cp.state().generator().length + " generator and "
                        + cp.state().critic().length + " critic parameters, the networks of its config.conf " + state.generator().length + " and "
                        + state.critic().length + " (written by another version of wgan-spark?)");
            }
            state = cp.state();
            round = cp.round();
            secondsBefore = cp.seconds();
            int removed = run.reconcile(state.criticSteps());
            err().printf(Locale.ROOT, "[train] resumed at critic step %d%s%n", state.criticSteps(),
                    removed > 0 ? " (" + removed + " rows and files of a later step that was not checkpointed removed)" : "");
        } else {
            run.create();
            run.writeText(RunFolder.CONFIG, config.root().render(com.typesafe.config.ConfigRenderOptions.concise()
                    .setFormatted(true).setJson(false)) + "\n");
            run.writeText(RunFolder.METRICS, METRICS_HEADER + "\n");
        }
        JavaSparkContext sc = SparkRuntime.context(spark(config));
        Configuration hadoop = sc.hadoopConfiguration();
        Datasets.Loaded loaded = Datasets.load(sc, source, dataSpec);
        int evalRows = (int) Math.min(loaded.rows(), t.getInt("eval-rows") == 0 ? loaded.rows() : t.getInt("eval-rows"));
        PointSet eval = firstRows(loaded.blocks(), evalRows, d);
        int count = prior.discrete() ? prior.size() : evalRows;
        PointSet patchData = patches == null ? null : eval.range(0, Math.min(patchImages, evalRows));
        err().printf(Locale.ROOT, "[train] %s, %d partitions; sample metrics: exact W1 and SWD of %d generated images against the first %d "
                        + "training images%s%n", loaded.description(), loaded.partitions(), count, evalRows,
                patches == null ? "" : String.format(Locale.ROOT, "; exact patch W1 between the %dx%d patches (stride %d) of %d generated and of "
                        + "the first %d training images", patches.patchSize(), patches.patchSize(), patches.stride(), Math.min(count, patchData.n()),
                        patchData.n()));
        Evaluation evaluation = new Evaluation(setup, prior, eval, patchData, patches, source.shape(), run, hadoop, seed);
        Progress progress = new Progress(state.criticSteps());
        Interrupts.describeWith(progress::interruption);
        long start;
        try (ParameterAveraging engine = new ParameterAveraging(sc, loaded.blocks(), d, setup)) {
            engine.exchange(exchange(t.getString("exchange"), loaded.partitions(), sc));
            long preparing = System.nanoTime();
            long cachedRows = engine.prepare(state);
            err().printf(Locale.ROOT, "[train] %d rows and the networks cached on the workers in %.1f s%n", cachedRows,
                    (System.nanoTime() - preparing) / 1e9);
            start = System.nanoTime();
            progress.start();
            while (state.criticSteps() < total) {
                int[] steps = roundsToNextLog(state.criticSteps(), frequency, logEvery, total, engine.batchesRounds());
                int before = state.criticSteps();
                state = engine.rounds(state, round, steps, maxLoss);
                for (int k = 0, done = 0; k < steps.length && done < state.criticSteps() - before; k++) {
                    done += steps[k];
                    round++;
                }
                progress.at(state.criticSteps());
                if (ParameterAveraging.stops(state, maxLoss)) {
                    String broken = state.firstNonFinite();
                    err().println("[train] stopped at critic step " + state.criticSteps() + ": " + (broken != null
                            ? "the " + broken + "'s parameters are no longer finite"
                            : "the critic loss " + state.criticLoss() + " is beyond train.max-critic-loss " + maxLoss) + "; the last good checkpoint is "
                            + (progress.checkpoint >= 0 ? run.file(RunFolder.CHECKPOINT) + " (critic step " + progress.checkpoint + ")"
                            : "none (no log interval was reached)"));
                    return ExitCodes.FAILED;
                }
                if (state.criticSteps() % logEvery == 0 || state.criticSteps() == total) {
                    double seconds = secondsBefore + (System.nanoTime() - start) / 1e9;
                    evaluation.log(state, seconds, progress, total, err());
                    writeCheckpoint(run, new Checkpoint(state, round, seconds), hadoop);
                    progress.checkpointed(state.criticSteps());
                }
            }
        } finally {
            Interrupts.describeWith(null);
            loaded.blocks().unpersist(false);
        }
        out().println(new Json().put("command", "train").put("out", run.toString()).put("iterations", state.criticSteps())
                .put("generator_steps", state.generatorSteps()).put("seconds", secondsBefore + (System.nanoTime() - start) / 1e9));
        return ExitCodes.OK;
    }

    static final String METRICS_HEADER = "iteration,seconds,sample_w1,sample_swd,sample_w1_upper_bound,sample_patch_w1";

    /** The input paths among {@code sources} (named datasets are not paths), and the config file. */
    private List<String> inputPaths(String... sources) {
        List<String> paths = new java.util.ArrayList<>();
        for (String s : sources) {
            if (s != null && !s.isBlank() && !org.wganspark.data.NamedDatasets.isNamed(s) && !org.wganspark.data.RingSource.NAME.equals(s)) {
                paths.add(s);
            }
        }
        if (common.config != null) {
            paths.add(common.config);
        }
        return paths;
    }

    private static Checkpoint readCheckpoint(RunFolder run, Configuration conf) throws java.io.IOException {
        Path file = run.file(RunFolder.CHECKPOINT);
        try (ObjectInputStream in = new ObjectInputStream(file.getFileSystem(conf).open(file))) {
            return (Checkpoint) in.readObject();
        } catch (ClassNotFoundException | ClassCastException | java.io.ObjectStreamException | java.io.EOFException e) {
            throw new BadInputException(run.file(RunFolder.CHECKPOINT) + ": unreadable checkpoint (written by another version of wgan-spark, "
                    + "or damaged): " + e.getClass().getSimpleName());
        }
    }

    /** The checkpoint, the last write of a logged step (write then rename). */
    private static void writeCheckpoint(RunFolder run, Checkpoint cp, Configuration hadoop) {
        FaultInjection.point("before-checkpoint", cp.state().criticSteps());
        AtomicOutput.writeFile(run.file(RunFolder.CHECKPOINT), hadoop, stream -> {
            ObjectOutputStream o = new ObjectOutputStream(stream);
            o.writeObject(cp);
            o.flush();
            FaultInjection.point("checkpoint-written", cp.state().criticSteps());  // written, not yet renamed into place
        });
    }

    /** Where the run is, for progress lines and for the line a SIGTERM prints. */
    static final class Progress {
        private final int startSteps;
        private volatile int steps;
        private volatile int checkpoint = -1;
        private long started = System.nanoTime();

        Progress(int startSteps) {
            this.startSteps = startSteps;
            this.steps = startSteps;
            this.checkpoint = startSteps > 0 ? startSteps : -1;
        }

        void at(int criticSteps) {
            steps = criticSteps;
        }

        void checkpointed(int criticSteps) {
            checkpoint = criticSteps;
        }

        /** Critic steps a second since this process started training. */
        double rate() {
            return (steps - startSteps) / Math.max((System.nanoTime() - started) / 1e9, 1e-9);
        }

        /** Marks the start of training in this process. */
        void start() {
            started = System.nanoTime();
        }

        String interruption() {
            return "at critic step " + steps + "; " + (checkpoint >= 0 ? "resume with --resume from the checkpoint at critic step " + checkpoint
                    : "no checkpoint yet (the first comes at the first logged step)");
        }
    }

    /**
     * train.exchange: "driver", "peers", or "auto" (peers when there are several partitions, each can have a task slot
     * at once, which a barrier stage needs, and dynamic allocation, which barrier stages do not support, is off).
     */
    static ParameterAveraging.Exchange exchange(String key, int partitions, org.apache.spark.api.java.JavaSparkContext sc) {
        switch (key) {
            case "driver":
                return ParameterAveraging.Exchange.DRIVER;
            case "peers":
                return ParameterAveraging.Exchange.PEERS;
            case "auto":
                boolean dynamic = sc.getConf().getBoolean("spark.dynamicAllocation.enabled", false);
                return partitions > 1 && partitions <= sc.defaultParallelism() && !dynamic ? ParameterAveraging.Exchange.PEERS
                        : ParameterAveraging.Exchange.DRIVER;
            default:
                throw new BadInputException("train.exchange: expected auto, driver or peers, found " + key);
        }
    }

    /**
     * The rounds from critic step {@code at} up to the next evaluation (a multiple of logEvery, or the end), each of at
     * most {@code frequency} steps; only the first when {@code batched} is false (several workers: one job a round).
     */
    static int[] roundsToNextLog(int at, int frequency, int logEvery, int total, boolean batched) {
        java.util.List<Integer> steps = new java.util.ArrayList<>();
        int s = at;
        do {
            int k = Math.min(frequency, total - s);
            steps.add(k);
            s += k;
        } while (batched && s < total && s % logEvery != 0);
        return steps.stream().mapToInt(Integer::intValue).toArray();
    }

    /** The in-run sample metrics of a logged step, and its files: a metrics row, the curves, a grid and the generated set. */
    private record Evaluation(ParameterAveraging.Setup setup, Prior prior, PointSet eval, PointSet patchData, PatchGeometry patches,
                              org.wganspark.data.ImageShape shape, RunFolder run, Configuration hadoop, long seed) {

        void log(ParameterAveraging.State state, double seconds, Progress progress, int total, java.io.PrintStream err) {
            MultiLayerNetwork[] nets = ParameterAveraging.networksAt(setup, state);
            INDArray z = prior.discrete() ? prior.all(DataType.FLOAT) : prior.sample(eval.n(), new java.util.SplittableRandom(seed), DataType.FLOAT);
            float[] generated = nets[0].output(z, false).castTo(DataType.FLOAT).dup('c').data().asFloat();
            int count = (int) z.rows();
            PointSet gen = new PointSet(generated, count, eval.d());
            double w1 = ExactW1.between(gen, eval);
            double patchW1 = patches == null ? Double.NaN : ExactW1.betweenPatches(gen.range(0, Math.min(count, patchData.n())), patchData, patches);
            SlicedResult sliced = Sliced.compute(Weights.uniform(count), gen, Weights.uniform(eval.n()), eval, 128, seed);
            int step = state.criticSteps();
            String metrics = run.read(RunFolder.METRICS) + String.format(Locale.ROOT, "%d,%.3f,%.9g,%.9g,%.9g,%s%n", step, seconds, w1, sliced.swd(),
                    sliced.upperBound(), Double.isNaN(patchW1) ? "" : String.format(Locale.ROOT, "%.9g", patchW1));
            run.writeText(RunFolder.METRICS, metrics);
            FaultInjection.point("metrics-written", step);
            writeCurves(run, metrics, hadoop);
            int shown = Math.min(count, 64);
            Outputs.writeGrid(run.file(String.format(Locale.ROOT, "grid-%07d.png", step)), java.util.Arrays.copyOf(generated, shown * eval.d()),
                    shape, hadoop);
            FaultInjection.point("grid-written", step);
            if (prior.discrete()) {
                AtomicOutput.writeFile(run.file(String.format(Locale.ROOT, "generated-%07d.npy", step)), hadoop, o -> {
                    NpyWriter.writeHeader(o, count, shape.channels(), shape.height(), shape.width());
                    NpyWriter.writeFloats(o, generated, 0, generated.length);
                });
            }
            double rate = progress.rate();
            err.printf(Locale.ROOT, "[train] step %d/%d, %.1f it/s, exact W1 %.5f%s, SWD %.5f, bound %.5f, ETA %.0f s%n", step, total, rate, w1,
                    Double.isNaN(patchW1) ? "" : String.format(Locale.ROOT, ", exact patch W1 %.5f", patchW1), sliced.swd(), sliced.upperBound(),
                    (total - step) / Math.max(rate, 1e-9));
        }
    }

    /** curves.png: exact W1 and its sliced upper bound, the SWD and the patch W1 against critic steps, from metrics.csv's text. */
    private static void writeCurves(RunFolder run, String metrics, Configuration hadoop) {
        List<String> lines = metrics.lines().skip(1).toList();
        double[] step = new double[lines.size()];
        double[][] y = new double[4][lines.size()];
        for (int i = 0; i < lines.size(); i++) {
            String[] f = lines.get(i).split(",", -1);
            step[i] = Double.parseDouble(f[0]);
            for (int k = 0; k < 4; k++) {
                y[k][i] = f.length > 2 + k && !f[2 + k].isEmpty() ? Double.parseDouble(f[2 + k]) : Double.NaN;
            }
        }
        List<Plots.Panel> panels = List.of(
                new Plots.Panel("exact W1 and its sliced upper bound", "critic steps", "distance",
                        List.of(new Plots.Series("exact W1", step, y[0]), new Plots.Series("upper bound", step, y[2]))),
                new Plots.Panel("sliced W1 (SWD, 128 directions)", "critic steps", "SWD", List.of(new Plots.Series("SWD", step, y[1]))),
                new Plots.Panel("exact W1 between patches", "critic steps", "patch W1", List.of(new Plots.Series("patch W1", step, y[3]))));
        AtomicOutput.writeFile(run.file("curves.png"), hadoop, o -> ImageGrid.writePng(Plots.lines(panels), o));
    }

    /** The first {@code rows} rows, at the data's precision. */
    static PointSet firstRows(JavaRDD<FloatBlock> blocks, int rows, int d) {
        return org.wganspark.ot.PointSets.of(blocks.filter(b -> b.firstRow < rows).collect(), rows, d, "the evaluation rows");
    }
}
