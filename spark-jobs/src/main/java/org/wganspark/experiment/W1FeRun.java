package org.wganspark.experiment;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Supplier;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;
import org.apache.spark.api.java.JavaSparkContext;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.wganspark.data.DataSpec;
import org.wganspark.data.Datasets;
import org.wganspark.data.ImageShape;
import org.wganspark.data.RowSource;
import org.wganspark.eval.ImageGrid;
import org.wganspark.eval.Outputs;
import org.wganspark.eval.Plots;
import org.wganspark.eval.SampleMetrics;
import org.wganspark.io.AtomicOutput;
import org.wganspark.io.Json;
import org.wganspark.model.OffHeap;
import org.wganspark.model.Prior;
import org.wganspark.ot.cost.PointSet;
import org.wganspark.ot.patch.PatchGeometry;
import org.wganspark.ot.spark.PointSets;
import org.wganspark.train.dist.AveragedRegression;
import org.wganspark.train.dist.DistributedW1Fe;
import org.wganspark.train.dist.Dl4jRegression;
import org.wganspark.train.dist.NetworkStates;
import org.wganspark.train.dist.Regression;
import org.wganspark.train.dist.TrainingSetup;
import org.wganspark.train.dist.TrainingState;
import org.wganspark.train.local.LocalTrainer;
import org.wganspark.train.local.W1FeTrainer;
import org.wganspark.train.objective.W1Fe;

/**
 * A W1-FE experiment: one run per persistency level K, all from the same initial networks and seed, so that the curves
 * differ only by K. Every log-every outer steps the sample metrics of a fixed set of generated points (exact W1 against
 * the first data rows and, for images, the patch W1). Writes metrics.csv, w1.png (W1 against critic updates and against
 * wall time, one curve per K), samples-k&lt;K&gt;.png and each level's logged generated sets,
 * k&lt;K&gt;/generated-NNNNNNN.npy, into a folder the caller commits whole.
 */
public final class W1FeRun {

    private static final long EVAL_SALT = 0x3C6EF372FE94F82AL;

    /**
     * What an experiment is, decided before it starts.
     *
     * @param networks   a fresh generator and critic, the same for every K (generator first)
     * @param dl4jHead   the generator's configuration with DL4J's own output layer, for engine dl4j
     * @param engine     local, averaging or dl4j
     * @param workers    partitions of the distributed engines
     * @param evalRows   data rows the sample metrics compare against (0: all)
     */
    public record Plan(DataSpec data, RowSource source, Prior prior, String priorSpec, int zDim, long seed, List<Integer> levels, W1Fe.Options base,
                       int outerSteps, int logEvery, int evalSamples, int evalRows, PatchGeometry patches, int patchImages, String engine, int workers,
                       LocalTrainer.Options criticOptions, Supplier<MultiLayerNetwork[]> networks, Supplier<String> dl4jHead) {
    }

    /** One evaluation of one run. */
    private record Row(int k, int outer, int criticUpdates, double seconds, SampleMetrics.Values values, double regressionLoss) {
    }

    private final Plan plan;
    private final PrintStream log;

    public W1FeRun(Plan plan, PrintStream log) {
        this.plan = plan;
        this.log = log;
    }

    /** Runs every K into {@code folder}; returns the JSON result (last W1 and seconds per K). */
    public Json run(JavaSparkContext sc, Path folder) {
        Configuration hadoop = sc.hadoopConfiguration();
        Datasets.Loaded loaded = Datasets.load(sc, plan.source(), plan.data());
        try {
            int d = loaded.shape().size();
            int evalRows = (int) Math.min(loaded.rows(), plan.evalRows() == 0 ? loaded.rows() : plan.evalRows());
            PointSet eval = PointSets.firstRows(loaded.blocks(), evalRows, d);
            SampleMetrics metrics = new SampleMetrics(loaded.shape(), eval, plan.patches(), plan.patchImages(), false, plan.seed());
            INDArray evalZ = plan.prior().discrete() ? plan.prior().all(DataType.FLOAT)
                    : plan.prior().sample(plan.evalSamples(), new java.util.SplittableRandom(plan.seed() ^ EVAL_SALT), DataType.FLOAT);
            int workers = plan.workers() > 0 ? plan.workers() : sc.defaultParallelism();
            log.printf(Locale.ROOT, "[w1fe] %s; engine %s%s; K in %s, dt %g, %d critic steps and a batch of %d per outer step, %d outer steps%n",
                    loaded.description(), plan.engine(), plan.engine().equals("local") ? "" : " (" + workers + " workers)", plan.levels(),
                    plan.base().dt(), plan.base().criticSteps(), plan.base().batch(), plan.outerSteps());
            log.printf(Locale.ROOT, "[w1fe] sample metrics: %s%n", metrics.describe((int) evalZ.rows()));
            INDArray local = plan.engine().equals("local") ? allRows(loaded, d) : null;
            List<Row> rows = new ArrayList<>();
            Json result = new Json().put("command", "w1fe").put("engine", plan.engine());
            for (int level : plan.levels()) {
                Logged logged = new Logged(metrics, evalZ, new Path(folder, RunFolder.levelFolder(level)), loaded.shape(), hadoop);
                MultiLayerNetwork g = runLevel(sc, level, workers, loaded, local, logged, rows);
                Row last = rows.get(rows.size() - 1);
                if (!Double.isFinite(last.values().w1())) {
                    throw new IllegalStateException("K = " + level + ": the generated points are no longer finite at outer step " + last.outer());
                }
                result.put("w1_k" + level, last.values().w1()).put("seconds_k" + level, last.seconds());
                if (plan.patches() != null) {
                    result.put("patch_w1_k" + level, last.values().patchW1());
                }
                writeSamples(new Path(folder, "samples-k" + level + ".png"), OffHeap.toFloats(g.output(evalZ, false)), eval, loaded.shape(), level,
                        hadoop);
            }
            writeMetrics(new Path(folder, "metrics.csv"), rows, hadoop);
            AtomicOutput.writeFile(new Path(folder, "w1.png"), hadoop, o -> ImageGrid.writePng(Plots.lines(curves(rows)), o));
            return result;
        } finally {
            loaded.blocks().unpersist(false);
        }
    }

    /** The run of one K on the plan's engine; its rows go to {@code rows}; returns its final generator. */
    private MultiLayerNetwork runLevel(JavaSparkContext sc, int level, int workers, Datasets.Loaded loaded, INDArray local, Logged logged,
                                       List<Row> rows) {
        W1Fe.Options o = new W1Fe.Options(plan.base().criticSteps(), level, plan.base().dt(), plan.base().batch());
        MultiLayerNetwork[] nets = plan.networks().get();
        MultiLayerNetwork g = nets[0];
        MultiLayerNetwork c = nets[1];
        long start = System.nanoTime();
        if (plan.engine().equals("local")) {
            W1FeTrainer trainer = new W1FeTrainer(g, c, plan.prior(), plan.criticOptions(), o, plan.seed());
            for (int s = 1; s <= plan.outerSteps(); s++) {
                trainer.step(local);
                if (s % plan.logEvery() == 0 || s == plan.outerSteps()) {
                    logRow(rows, new Row(level, s, trainer.criticSteps(), seconds(start), logged.evaluate(g, trainer.criticSteps()),
                            trainer.lastRegressionLoss()));
                }
            }
            return g;
        }
        TrainingSetup setup = new TrainingSetup(g.getLayerWiseConfigurations().toJson(), c.getLayerWiseConfigurations().toJson(),
                plan.priorSpec(), plan.zDim(), plan.seed(), plan.criticOptions());
        Regression regression = plan.engine().equals("averaging") ? new AveragedRegression(sc, setup.generatorJson(), plan.criticOptions().kernels())
                : new Dl4jRegression(sc, plan.dl4jHead().get(), workers, plan.seed());
        TrainingState state = TrainingState.of(g, c, 0, 0);
        try (DistributedW1Fe engine = new DistributedW1Fe(sc, loaded.blocks(), loaded.shape().size(), setup, o, workers, regression)) {
            for (int s = 1; s <= plan.outerSteps(); s++) {
                state = engine.step(state, s - 1);
                if (s % plan.logEvery() == 0 || s == plan.outerSteps()) {
                    MultiLayerNetwork generator = NetworkStates.networksAt(setup, state)[0];
                    logRow(rows, new Row(level, s, state.criticSteps(), seconds(start), logged.evaluate(generator, state.criticSteps()), Double.NaN));
                }
            }
            return NetworkStates.networksAt(setup, state)[0];
        }
    }

    /**
     * What a logged step of one level keeps: its generated set, {@code k<K>/generated-NNNNNNN.npy} with N the critic
     * updates so far (the set {@code eval score} scores), and its sample metrics.
     */
    private record Logged(SampleMetrics metrics, INDArray z, Path levelFolder, ImageShape shape, Configuration hadoop) {

        SampleMetrics.Values evaluate(MultiLayerNetwork generator, int criticUpdates) {
            float[] generated = OffHeap.toFloats(generator.output(z, false));
            int count = (int) z.rows();
            Outputs.writeNpy(new Path(levelFolder, RunFolder.generatedFile(criticUpdates)), generated, count, shape, hadoop);
            return metrics.of(new PointSet(generated, count, shape.size()));
        }
    }

    private void logRow(List<Row> rows, Row r) {
        rows.add(r);
        double rate = r.outer() / Math.max(r.seconds(), 1e-9);
        log.printf(Locale.ROOT, "[w1fe] K %d: outer step %d/%d (%d critic updates), %.1f steps/s, exact W1 %.5f%s, ETA %.0f s%n", r.k(), r.outer(),
                plan.outerSteps(), r.criticUpdates(), rate, r.values().w1(), Double.isNaN(r.values().patchW1()) ? ""
                        : String.format(Locale.ROOT, ", patch W1 %.5f", r.values().patchW1()), (plan.outerSteps() - r.outer()) / Math.max(rate, 1e-9));
    }

    private static double seconds(long start) {
        return (System.nanoTime() - start) / 1e9;
    }

    private static INDArray allRows(Datasets.Loaded loaded, int d) {
        PointSet all = PointSets.firstRows(loaded.blocks(), (int) loaded.rows(), d);
        return Nd4j.create(all.values(), new long[] {all.n(), d}, 'c');
    }

    private static void writeMetrics(Path file, List<Row> rows, Configuration hadoop) {
        StringBuilder csv = new StringBuilder("k,outer_step,critic_updates,seconds,sample_w1,sample_patch_w1,regression_loss\n");
        for (Row r : rows) {
            csv.append(String.format(Locale.ROOT, "%d,%d,%d,%.3f,%.9g,%s,%s%n", r.k(), r.outer(), r.criticUpdates(), r.seconds(), r.values().w1(),
                    Double.isNaN(r.values().patchW1()) ? "" : String.format(Locale.ROOT, "%.9g", r.values().patchW1()),
                    Double.isNaN(r.regressionLoss()) ? "" : String.format(Locale.ROOT, "%.6g", r.regressionLoss())));
        }
        Outputs.writeText(file, csv.toString(), hadoop);
    }

    /** w1.png's panels: image (and patch) W1 against critic updates and against seconds, a curve per K. */
    private List<Plots.Panel> curves(List<Row> rows) {
        List<Plots.Panel> panels = new ArrayList<>();
        boolean patchCurves = plan.patches() != null;
        String[][] axes = patchCurves
                ? new String[][] {{"image W1", "critic updates"}, {"image W1", "seconds"}, {"patch W1", "critic updates"}, {"patch W1", "seconds"}}
                : new String[][] {{"W1", "critic updates"}, {"W1", "seconds"}};
        for (String[] axis : axes) {
            List<Plots.Series> series = new ArrayList<>();
            for (int level : plan.levels()) {
                List<Row> mine = rows.stream().filter(r -> r.k() == level).toList();
                double[] x = new double[mine.size()];
                double[] y = new double[mine.size()];
                for (int i = 0; i < x.length; i++) {
                    Row r = mine.get(i);
                    x[i] = axis[1].equals("seconds") ? r.seconds() : r.criticUpdates();
                    y[i] = axis[0].startsWith("patch") ? r.values().patchW1() : r.values().w1();
                }
                series.add(new Plots.Series("K = " + level, x, y));
            }
            panels.add(new Plots.Panel("exact " + axis[0] + " (sample) against " + axis[1], axis[1], axis[0], series));
        }
        return panels;
    }

    /** 2-D: the generated points over the data; images: a grid of the first 64. */
    private static void writeSamples(Path file, float[] generated, PointSet data, ImageShape shape, int level, Configuration hadoop) {
        if (shape.size() == 2) {
            List<Plots.Cloud> clouds = List.of(new Plots.Cloud("data", data.values(), new java.awt.Color(0xbbbbbb)),
                    new Plots.Cloud("G(z), K = " + level, generated, Plots.color(1)));
            AtomicOutput.writeFile(file, hadoop, o -> ImageGrid.writePng(Plots.scatter(List.of("generated points, K = " + level), List.of(clouds), 1.0), o));
        } else {
            int shown = Math.min(64, generated.length / shape.size());
            Outputs.writeGrid(file, java.util.Arrays.copyOf(generated, shown * shape.size()), shape, hadoop);
        }
    }
}
