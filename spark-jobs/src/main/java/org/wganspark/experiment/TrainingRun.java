package org.wganspark.experiment;

import java.io.PrintStream;
import java.util.List;
import java.util.Locale;
import org.apache.hadoop.conf.Configuration;
import org.apache.spark.api.java.JavaSparkContext;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.wganspark.data.DataSpec;
import org.wganspark.data.Datasets;
import org.wganspark.data.ImageShape;
import org.wganspark.data.RowSource;
import org.wganspark.eval.ImageGrid;
import org.wganspark.eval.Outputs;
import org.wganspark.eval.Plots;
import org.wganspark.eval.SampleMetrics;
import org.wganspark.io.AtomicOutput;
import org.wganspark.io.BadInputException;
import org.wganspark.model.Prior;
import org.wganspark.ot.cost.PointSet;
import org.wganspark.ot.patch.PatchGeometry;
import org.wganspark.ot.spark.PointSets;
import org.wganspark.train.dist.NetworkStates;
import org.wganspark.train.dist.ParameterAveraging;
import org.wganspark.train.dist.TrainingSetup;
import org.wganspark.train.dist.TrainingState;

/**
 * A training run, from a fresh start or from its checkpoint: rounds of parameter averaging on the executors
 * ({@link ParameterAveraging}) up to each logged step, which writes, in this order, a row of sample metrics to
 * metrics.csv, curves.png, a grid, the generated set (discrete priors) and last the checkpoint. A run stops early,
 * keeping its last checkpoint, when a critic loss leaves train.max-critic-loss or a parameter is no longer finite. On
 * SIGTERM the line says where the run was and where it will resume ({@link Interrupts}).
 */
public final class TrainingRun {

    /** metrics.csv's columns. */
    public static final String METRICS_HEADER = "iteration,seconds," + SampleMetrics.CSV_HEADER;

    /**
     * What a run is, decided before it starts.
     *
     * @param initial       the state of freshly initialized networks (a resumed run must match its shapes)
     * @param exchange      train.exchange: auto, driver or peers
     * @param evalRows      data rows the sample metrics compare against (0: all)
     * @param patches       the patch W1's layout, or null for none
     */
    public record Plan(DataSpec data, RowSource source, Prior prior, TrainingSetup setup, TrainingState initial,
                       Schedule schedule, double maxCriticLoss, String exchange, int evalRows, PatchGeometry patches, int patchImages, long seed) {
    }

    /** How a run ended: its last state, its training seconds (over every session), and whether it stopped early. */
    public record Result(TrainingState state, double seconds, boolean stopped) {
    }

    private final Plan plan;
    private final RunFolder run;
    private final PrintStream log;

    public TrainingRun(Plan plan, RunFolder run, PrintStream log) {
        this.plan = plan;
        this.run = run;
        this.log = log;
    }

    /**
     * Trains to the plan's last step.
     *
     * @param resume     continue from the run's checkpoint (else start the run in its claimed folder)
     * @param configText the config to save in a new run's folder
     */
    public Result run(JavaSparkContext sc, boolean resume, String configText) throws java.io.IOException {
        Configuration hadoop = sc.hadoopConfiguration();
        Checkpoint start = resume ? resumed(hadoop) : started(configText);
        Datasets.Loaded loaded = Datasets.load(sc, plan.source(), plan.data());
        try {
            int evalRows = (int) Math.min(loaded.rows(), plan.evalRows() == 0 ? loaded.rows() : plan.evalRows());
            PointSet eval = PointSets.firstRows(loaded.blocks(), evalRows, loaded.shape().size());
            SampleMetrics metrics = new SampleMetrics(loaded.shape(), eval, plan.patches(), plan.patchImages(), true, plan.seed());
            int generated = plan.prior().discrete() ? plan.prior().size() : evalRows;
            log.printf(Locale.ROOT, "[train] %s, %d partitions; sample metrics: %s%n", loaded.description(), loaded.partitions(),
                    metrics.describe(generated));
            return train(sc, loaded, start, new Logger(metrics, loaded.shape(), hadoop));
        } finally {
            loaded.blocks().unpersist(false);
        }
    }

    private Checkpoint started(String configText) {
        run.create();
        run.writeText(RunFolder.CONFIG, configText);
        run.writeText(RunFolder.METRICS, METRICS_HEADER + "\n");
        return new Checkpoint(plan.initial(), 0, 0);
    }

    private Checkpoint resumed(Configuration conf) throws java.io.IOException {
        Checkpoint cp = Checkpoint.read(run, conf);
        if (!cp.state().sameShapeAs(plan.initial())) {
            throw new BadInputException("--resume: the checkpoint in " + run + " holds " + cp.state().generator().length + " generator and "
                    + cp.state().critic().length + " critic parameters, the networks of its config.conf " + plan.initial().generator().length
                    + " and " + plan.initial().critic().length + " (written by another version of wgan-spark?)");
        }
        int removed = run.reconcile(cp.state().criticSteps());
        log.printf(Locale.ROOT, "[train] resumed at critic step %d%s%n", cp.state().criticSteps(),
                removed > 0 ? " (" + removed + " rows and files of a later step that was not checkpointed removed)" : "");
        return cp;
    }

    private Result train(JavaSparkContext sc, Datasets.Loaded loaded, Checkpoint from, Logger logger) {
        TrainingState state = from.state();
        int round = from.round();
        Schedule schedule = plan.schedule();
        Progress progress = new Progress(state.criticSteps());
        Interrupts.describeWith(progress::interruption);
        long start = System.nanoTime();
        try (ParameterAveraging engine = new ParameterAveraging(sc, loaded.blocks(), loaded.shape().size(), plan.setup())) {
            ParameterAveraging.Exchange how = exchange(plan.exchange(), loaded.partitions(), sc.getConf(), sc.defaultParallelism());
            engine.exchange(how);
            log.println(exchangeLine(plan.exchange(), how, loaded.partitions(), sc.getConf()));
            long preparing = System.nanoTime();
            long cachedRows = engine.prepare(state);
            log.printf(Locale.ROOT, "[train] %d rows and the networks cached on the workers in %.1f s%n", cachedRows,
                    (System.nanoTime() - preparing) / 1e9);
            start = System.nanoTime();
            progress.start();
            while (state.criticSteps() < schedule.total()) {
                int[] steps = schedule.roundsToNextLog(state.criticSteps(), engine.batchesRounds());
                int before = state.criticSteps();
                state = engine.rounds(state, round, steps, plan.maxCriticLoss());
                for (int k = 0, done = 0; k < steps.length && done < state.criticSteps() - before; k++) {
                    done += steps[k];
                    round++;
                }
                progress.at(state.criticSteps());
                if (state.stops(plan.maxCriticLoss())) {
                    log.println("[train] stopped at critic step " + state.criticSteps() + ": " + whyStopped(state) + "; the last good checkpoint is "
                            + (progress.checkpoint >= 0 ? run.named(RunFolder.CHECKPOINT) + " (critic step " + progress.checkpoint + ")"
                            : "none (no log interval was reached)"));
                    return new Result(state, from.seconds() + (System.nanoTime() - start) / 1e9, true);
                }
                if (schedule.logs(state.criticSteps())) {
                    double seconds = from.seconds() + (System.nanoTime() - start) / 1e9;
                    logger.log(state, seconds, progress);
                    new Checkpoint(state, round, seconds).write(run, sc.hadoopConfiguration());
                    progress.checkpointed(state.criticSteps());
                }
            }
        } finally {
            Interrupts.describeWith(null);
        }
        return new Result(state, from.seconds() + (System.nanoTime() - start) / 1e9, false);
    }

    private String whyStopped(TrainingState state) {
        String broken = state.firstNonFinite();
        return broken != null ? "the " + broken + "'s parameters are no longer finite"
                : "the critic loss " + state.criticLoss() + " is beyond train.max-critic-loss " + plan.maxCriticLoss();
    }

    /**
     * train.exchange: "driver", "peers", or "auto" (peers when there are several partitions, each can have a task slot
     * at once, which a barrier stage needs, and dynamic allocation, which barrier stages do not support, is off).
     * With spark.network.crypto.enabled the states go through the driver whatever the key says: Spark encrypts its
     * own traffic, and the peers' direct connections are authenticated ({@code PeerHandshake}) but not encrypted.
     */
    static ParameterAveraging.Exchange exchange(String key, int partitions, org.apache.spark.SparkConf conf, int slots) {
        boolean encrypted = conf.getBoolean("spark.network.crypto.enabled", false);
        return switch (key) {
            case "driver" -> ParameterAveraging.Exchange.DRIVER;
            case "peers" -> encrypted ? ParameterAveraging.Exchange.DRIVER : ParameterAveraging.Exchange.PEERS;
            case "auto" -> !encrypted && partitions > 1 && partitions <= slots
                    && !conf.getBoolean("spark.dynamicAllocation.enabled", false)
                    ? ParameterAveraging.Exchange.PEERS : ParameterAveraging.Exchange.DRIVER;
            default -> throw new BadInputException("train.exchange: expected auto, driver or peers, found " + key);
        };
    }

    /** The line that says how the workers' states are averaged, and why when it is not what the key asked for. */
    static String exchangeLine(String key, ParameterAveraging.Exchange chosen, int partitions, org.apache.spark.SparkConf conf) {
        if (partitions <= 1) {
            return "[train] one partition: no averaging";
        }
        if (chosen == ParameterAveraging.Exchange.PEERS) {
            return "[train] averaging among the " + partitions + " workers over direct connections (each proves it belongs to the stage; "
                    + (conf.getBoolean("spark.authenticate", false) ? "its key travels over Spark's authenticated RPC)"
                    : "spark.authenticate is off, so the key travels over unauthenticated RPC)");
        }
        boolean encrypted = conf.getBoolean("spark.network.crypto.enabled", false);
        return "[train] averaging through the driver" + (encrypted && !key.equals("driver")
                ? " (spark.network.crypto.enabled: the direct peer connections are not encrypted)" : "");
    }

    /** A logged step's files: the metrics row, the curves, a grid and the generated set (discrete priors), in that order. */
    private final class Logger {
        private final SampleMetrics metrics;
        private final ImageShape shape;
        private final Configuration hadoop;

        Logger(SampleMetrics metrics, ImageShape shape, Configuration hadoop) {
            this.metrics = metrics;
            this.shape = shape;
            this.hadoop = hadoop;
        }

        void log(TrainingState state, double seconds, Progress progress) {
            MultiLayerNetwork[] nets = NetworkStates.networksAt(plan.setup(), state);
            Prior prior = plan.prior();
            INDArray z = prior.discrete() ? prior.all(DataType.FLOAT)
                    : prior.sample(metrics.dataRows(), new java.util.SplittableRandom(plan.seed()), DataType.FLOAT);
            float[] generated = nets[0].output(z, false).castTo(DataType.FLOAT).dup('c').data().asFloat();
            int count = (int) z.rows();
            SampleMetrics.Values v = metrics.of(new PointSet(generated, count, shape.size()));
            int step = state.criticSteps();
            String table = run.read(RunFolder.METRICS) + String.format(Locale.ROOT, "%d,%.3f,%s%n", step, seconds, v.csv());
            run.writeText(RunFolder.METRICS, table);
            FaultInjection.point("metrics-written", step);
            AtomicOutput.writeFile(run.file("curves.png"), hadoop, o -> ImageGrid.writePng(Plots.lines(curves(table)), o));
            int shown = Math.min(count, 64);
            Outputs.writeGrid(run.file(String.format(Locale.ROOT, "grid-%07d.png", step)), java.util.Arrays.copyOf(generated, shown * shape.size()),
                    shape, hadoop);
            FaultInjection.point("grid-written", step);
            if (prior.discrete()) {
                Outputs.writeNpy(run.file(RunFolder.generatedFile(step)), generated, count, shape, hadoop);
            }
            double rate = progress.rate();
            log.printf(Locale.ROOT, "[train] step %d/%d, %.1f it/s, exact W1 %.5f%s, SWD %.5f, bound %.5f, ETA %.0f s%n", step,
                    plan.schedule().total(), rate, v.w1(), Double.isNaN(v.patchW1()) ? "" : String.format(Locale.ROOT, ", exact patch W1 %.5f",
                            v.patchW1()), v.swd(), v.upperBound(), (plan.schedule().total() - step) / Math.max(rate, 1e-9));
        }
    }

    /** curves.png's panels: exact W1 and its sliced upper bound, the SWD and the patch W1 against critic steps, from metrics.csv. */
    static List<Plots.Panel> curves(String metrics) {
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
        return List.of(
                new Plots.Panel("exact W1 and its sliced upper bound (sample)", "critic steps", "distance",
                        List.of(new Plots.Series("exact W1", step, y[0]), new Plots.Series("upper bound", step, y[2]))),
                new Plots.Panel("sliced W1 (SWD, 128 directions)", "critic steps", "SWD", List.of(new Plots.Series("SWD", step, y[1]))),
                new Plots.Panel("exact W1 between patches (sample)", "critic steps", "patch W1", List.of(new Plots.Series("patch W1", step, y[3]))));
    }

    /** Where the run is, for progress lines and for the line a SIGTERM prints. */
    static final class Progress {
        private final int startSteps;
        private volatile int steps;
        private volatile int checkpoint;
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

        void start() {
            started = System.nanoTime();
        }

        /** Critic steps a second since this process started training. */
        double rate() {
            return (steps - startSteps) / Math.max((System.nanoTime() - started) / 1e9, 1e-9);
        }

        String interruption() {
            return "at critic step " + steps + "; " + (checkpoint >= 0 ? "resume with --resume from the checkpoint at critic step " + checkpoint
                    : "no checkpoint yet (the first comes at the first logged step)");
        }
    }
}
