package org.wganspark.cli;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;
import org.apache.spark.api.java.JavaSparkContext;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.IUpdater;
import org.nd4j.linalg.learning.config.Sgd;
import org.wganspark.data.BadInputException;
import org.wganspark.data.DataSpec;
import org.wganspark.data.Datasets;
import org.wganspark.data.ImageShape;
import org.wganspark.data.RowSource;
import org.wganspark.eval.ExactW1;
import org.wganspark.eval.ImageGrid;
import org.wganspark.eval.Plots;
import org.wganspark.ot.cost.PointSet;
import org.wganspark.ot.patch.PatchGeometry;
import org.wganspark.runtime.AtomicOutput;
import org.wganspark.runtime.OutputTarget;
import org.wganspark.train.AveragedRegression;
import org.wganspark.train.DistributedW1Fe;
import org.wganspark.train.Dl4jRegression;
import org.wganspark.train.LocalTrainer;
import org.wganspark.train.Networks;
import org.wganspark.train.ParameterAveraging;
import org.wganspark.train.Prior;
import org.wganspark.train.Regression;
import org.wganspark.train.W1Fe;
import org.wganspark.train.W1FeTrainer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "w1fe", mixinStandardHelpOptions = true, sortOptions = false,
        header = "W1-FE (Malik & Huang): forward Euler on the W1 gradient flow, one run per persistency level K.",
        footer = {"", "Example: wgan-spark w1fe --config conf/w1fe-ring.conf --k 1,5 --out runs/w1fe-ring"},
        description = {"W1-FE (Malik & Huang): forward Euler on the W1 gradient flow with persistent training. One run per",
                "persistency level K (w1fe.k; K = 1 is WGAN), all from the same initial networks and seed. Every w1fe.log-every",
                "outer steps: exact W1 of w1fe.eval-samples generated points against the first w1fe.eval-rows data rows (and,",
                "for images, exact W1 between their patches). Writes metrics.csv, w1.png (W1 against critic updates and",
                "against wall time, one curve per K) and samples-k<K>.png to the run folder."})
final class W1FeCommand extends JobCommand {

    private static final long EVAL_SALT = 0x3C6EF372FE94F82AL;

    @Option(names = "--out", paramLabel = "PATH", description = "Run folder (default: config 'out', else runs/w1fe).")
    String out;

    @Option(names = "--k", paramLabel = "K[,K...]", split = ",", description = "Persistency levels (key w1fe.k; default 1,2,5,10), e.g. --k 1,5.")
    List<Integer> k;

    @Option(names = "--outer-steps", paramLabel = "N", description = "Outer steps per run (key w1fe.outer-steps; default 200).")
    Integer outerSteps;

    @Option(names = "--engine", paramLabel = "E", description = "local | averaging | dl4j (key w1fe.engine; default local).")
    String engine;

    @Override
    protected Map<String, Object> optionKeys() {
        Map<String, Object> keys = new LinkedHashMap<>();
        keys.put("out", out);
        keys.put("w1fe.k", k);
        keys.put("w1fe.outer-steps", outerSteps);
        keys.put("w1fe.engine", engine);
        return keys;
    }

    /** One evaluation row of one run. */
    private record Row(int k, int outer, int criticUpdates, double seconds, double w1, double patchW1, double regressionLoss) {
    }

    @Override
    public Integer call() throws Exception {
        Config config = config();
        Config t = config.getConfig("train");
        Config w = config.getConfig("w1fe");
        List<Integer> levels;
        try {
            levels = w.getIntList("k");
        } catch (ConfigException e) {
            throw new BadInputException("w1fe.k: expected a list of whole numbers like [1, 2, 5, 10], found "
                    + w.getValue("k").render(com.typesafe.config.ConfigRenderOptions.concise()));
        }
        if (levels.isEmpty() || levels.stream().anyMatch(v -> v < 1)) {
            throw new BadInputException("w1fe.k: expected persistency levels >= 1, found " + levels);
        }
        String engineName = w.getString("engine");
        if (!List.of("local", "averaging", "dl4j").contains(engineName)) {
            throw new BadInputException("w1fe.engine: expected local, averaging or dl4j, found '" + engineName + "'");
        }
        String optimizer = w.getString("optimizer");
        if (!optimizer.equals("adam") && !optimizer.equals("sgd")) {
            throw new BadInputException("w1fe.optimizer: expected adam or sgd, found '" + optimizer + "'");
        }
        if (!t.getString("generator").equals("fc")) {
            throw new BadInputException("train.generator: W1-FE runs the fc generator, found '" + t.getString("generator") + "'");
        }
        int steps = w.getInt("outer-steps");
        int logEvery = w.getInt("log-every");
        int evalSamples = w.getInt("eval-samples");
        if (steps < 1 || logEvery < 1 || evalSamples < 1 || w.getInt("eval-rows") < 0) {
            throw new BadInputException("w1fe: expected outer-steps, log-every and eval-samples >= 1 and eval-rows >= 0, found " + steps + ", "
                    + logEvery + ", " + evalSamples + ", " + w.getInt("eval-rows"));
        }
        W1Fe.Options options;
        try {
            options = new W1Fe.Options(w.getInt("critic-steps"), levels.get(0), w.getDouble("dt"), w.getInt("batch"));
        } catch (IllegalArgumentException e) {
            throw new BadInputException(e.getMessage());
        }
        long seed = config.getLong("seed");
        int zDim = t.getInt("z-dim");
        Prior prior;
        try {
            prior = Prior.parse(t.getString("prior"), zDim, seed);
        } catch (IllegalArgumentException e) {
            throw new BadInputException("train." + e.getMessage());
        }
        DataSpec dataSpec = DataSpec.fromConfig(config.getConfig("data"));
        RowSource source = Datasets.open(dataSpec, new Configuration(), namedDatasets(false));
        OutputTarget target = claimOutput(outDir(config), "--out", dataSpec.source());
        ImageShape shape = source.shape();
        int d = shape.size();
        boolean images = shape.height() > 1;
        int patchSize = w.getInt("patch-size");
        PatchGeometry patches = images && patchSize > 0 ? patchGeometry(shape, patchSize, w.getInt("patch-stride"), "w1fe") : null;
        if (NetworkChoice.nonSaturating(t)) {
            throw new BadInputException("train.loss: W1-FE follows the W1 flow, so its critic is a WGAN critic; found non-saturating");
        }
        LocalTrainer.Options criticOptions = new LocalTrainer.Options(t.getDouble("gp"), t.getDouble("clip"), 0, t.getInt("real-batch"),
                t.getInt("fake-batch"), t.getBoolean("alpha-per-sample"), t.getDouble("fd-step"));
        double lr = w.getDouble("lr-regression");
        IUpdater updater = optimizer.equals("adam") ? Networks.adam(lr) : new Sgd(lr);

        Map<String, String> required = engineName.equals("dl4j") ? Map.of("spark.serializer", "org.apache.spark.serializer.JavaSerializer") : Map.of();
        JavaSparkContext sc = org.wganspark.runtime.SparkRuntime.context(spark(config, required));
        Configuration hadoop = sc.hadoopConfiguration();
        // the run is written into a staging folder and committed whole at the end
        try (OutputTarget.Staging staging = target.stage()) {
            Path run = staging.path();
            Outputs.writeText(new Path(run, "config.conf"), config.root().render(com.typesafe.config.ConfigRenderOptions.concise()
                    .setFormatted(true).setJson(false)) + "\n", hadoop);
            Datasets.Loaded loaded = Datasets.load(sc, source, dataSpec);
            int evalRows = (int) Math.min(loaded.rows(), w.getInt("eval-rows") == 0 ? loaded.rows() : w.getInt("eval-rows"));
            PointSet eval = TrainCommand.firstRows(loaded.blocks(), evalRows, d);
            INDArray evalZ = prior.discrete() ? prior.all(DataType.FLOAT)
                    : prior.sample(evalSamples, new SplittableRandom(seed ^ EVAL_SALT), DataType.FLOAT);
            int workers = w.getInt("workers") > 0 ? w.getInt("workers") : sc.defaultParallelism();
            INDArray local = engineName.equals("local") ? allRows(loaded, d) : null;
            err().printf(Locale.ROOT, "[w1fe] %s; engine %s%s; K in %s, dt %g, %d critic steps and a batch of %d per outer step, %d outer steps%n",
                    loaded.description(), engineName, engineName.equals("local") ? "" : " (" + workers + " workers)", levels, options.dt(),
                    options.criticSteps(), options.batch(), steps);

            List<Row> rows = new ArrayList<>();
            Json result = new Json().put("command", "w1fe").put("out", target.toString()).put("engine", engineName);
            try {
                for (int level : levels) {
                    W1Fe.Options o = new W1Fe.Options(options.criticSteps(), level, options.dt(), options.batch());
                    // every K starts from the same networks and seed: the curves differ only by K
                    MultiLayerNetwork g = NetworkChoice.initialized(t, Networks.fcGenerator(zDim, t.getInt("generator-nf"), t.getInt("generator-depth"), d,
                            updater, false, seed, DataType.FLOAT), seed);
                    MultiLayerNetwork c = NetworkChoice.critic(t, shape, seed + 1);
                    if (level == levels.get(0)) {
                        err().println("[w1fe] " + NetworkChoice.describeCritic(t, shape, c));
                    }
                    Evaluation evaluation = new Evaluation(eval, evalZ, patches, w.getInt("patch-images"));
                    long start = System.nanoTime();
                    if (engineName.equals("local")) {
                        W1FeTrainer trainer = new W1FeTrainer(g, c, prior, criticOptions, o, seed);
                        for (int s = 1; s <= steps; s++) {
                            trainer.step(local);
                            if (s % logEvery == 0 || s == steps) {
                                rows.add(evaluation.row(level, s, trainer.criticSteps(), seconds(start), g, trainer.lastRegressionLoss()));
                                progress(rows.get(rows.size() - 1), steps, seconds(start));
                            }
                        }
                    } else {
                        ParameterAveraging.Setup setup = new ParameterAveraging.Setup(g.getLayerWiseConfigurations().toJson(),
                                c.getLayerWiseConfigurations().toJson(), t.getString("prior"), zDim, seed, criticOptions);
                        Regression regression = engineName.equals("averaging") ? new AveragedRegression(sc, setup.generatorJson())
                                : new Dl4jRegression(sc, Networks.fcGenerator(zDim, t.getInt("generator-nf"), t.getInt("generator-depth"), d, updater,
                                true, seed, DataType.FLOAT).getLayerWiseConfigurations().toJson(), workers, seed);
                        ParameterAveraging.State state = ParameterAveraging.stateOf(g, c, 0, 0);
                        try (DistributedW1Fe engine = new DistributedW1Fe(sc, loaded.blocks(), d, setup, o, workers, regression)) {
                            for (int s = 1; s <= steps; s++) {
                                state = engine.step(state, s - 1);
                                if (s % logEvery == 0 || s == steps) {
                                    MultiLayerNetwork[] nets = ParameterAveraging.networksAt(setup, state);
                                    rows.add(evaluation.row(level, s, state.criticSteps(), seconds(start), nets[0], Double.NaN));
                                    progress(rows.get(rows.size() - 1), steps, seconds(start));
                                }
                            }
                            g = ParameterAveraging.networksAt(setup, state)[0];
                        }
                    }
                    Row last = rows.get(rows.size() - 1);
                    if (!Double.isFinite(last.w1())) {
                        throw new IllegalStateException("K = " + level + ": the generated points are no longer finite at outer step " + last.outer());
                    }
                    result.put("w1_k" + level, last.w1()).put("seconds_k" + level, last.seconds());
                    if (patches != null) {
                        result.put("patch_w1_k" + level, last.patchW1());
                    }
                    writeSamples(new Path(run, "samples-k" + level + ".png"), ParameterAveraging.floats(g.output(evalZ, false)), eval, shape, level,
                            hadoop);
                }
            } finally {
                loaded.blocks().unpersist(false);
            }
            writeMetrics(new Path(run, "metrics.csv"), rows, hadoop);
            writePlot(new Path(run, "w1.png"), rows, levels, patches != null, hadoop);
            staging.commit();
            out().println(result);
            return ExitCodes.OK;
        }
    }

    private static double seconds(long start) {
        return (System.nanoTime() - start) / 1e9;
    }

    private void progress(Row r, int steps, double seconds) {
        double rate = r.outer() / Math.max(seconds, 1e-9);
        err().printf(Locale.ROOT, "[w1fe] K %d: outer step %d/%d (%d critic updates), %.1f steps/s, exact W1 %.5f%s, ETA %.0f s%n", r.k(), r.outer(),
                steps, r.criticUpdates(), rate, r.w1(), Double.isNaN(r.patchW1()) ? "" : String.format(Locale.ROOT, ", patch W1 %.5f", r.patchW1()),
                (steps - r.outer()) / Math.max(rate, 1e-9));
    }

    /** The patch layout of the patch W1, or a bad-input line naming the config section's keys. */
    static PatchGeometry patchGeometry(ImageShape shape, int size, int stride, String section) {
        try {
            return new PatchGeometry(shape.channels(), shape.height(), shape.width(), size, stride);
        } catch (IllegalArgumentException e) {
            throw new BadInputException(section + ".patch-size / patch-stride: " + e.getMessage());
        }
    }

    private static INDArray allRows(Datasets.Loaded loaded, int d) {
        PointSet all = TrainCommand.firstRows(loaded.blocks(), (int) loaded.rows(), d);
        return Nd4j.create(all.values(), new long[] {all.n(), d}, 'c');
    }

    /** Exact W1 of the generated set against the evaluation rows, and between their patches. */
    private record Evaluation(PointSet data, INDArray z, PatchGeometry patches, int patchImages) {

        Row row(int k, int outer, int criticUpdates, double seconds, MultiLayerNetwork generator, double regressionLoss) {
            float[] generated = ParameterAveraging.floats(generator.output(z, false));
            int count = (int) z.rows();
            for (float v : generated) {
                if (!Float.isFinite(v)) {
                    return new Row(k, outer, criticUpdates, seconds, Double.NaN, Double.NaN, regressionLoss);
                }
            }
            PointSet set = new PointSet(generated, count, data.d());
            double w1 = ExactW1.between(set, data);
            double patchW1 = patches == null ? Double.NaN
                    : ExactW1.betweenPatches(set.range(0, Math.min(patchImages, set.n())), data.range(0, Math.min(patchImages, data.n())), patches);
            return new Row(k, outer, criticUpdates, seconds, w1, patchW1, regressionLoss);
        }
    }

    private static void writeMetrics(Path file, List<Row> rows, Configuration hadoop) {
        StringBuilder csv = new StringBuilder("k,outer_step,critic_updates,seconds,w1,patch_w1,regression_loss\n");
        for (Row r : rows) {
            csv.append(String.format(Locale.ROOT, "%d,%d,%d,%.3f,%.9g,%s,%s%n", r.k(), r.outer(), r.criticUpdates(), r.seconds(), r.w1(),
                    Double.isNaN(r.patchW1()) ? "" : String.format(Locale.ROOT, "%.9g", r.patchW1()),
                    Double.isNaN(r.regressionLoss()) ? "" : String.format(Locale.ROOT, "%.6g", r.regressionLoss())));
        }
        Outputs.writeText(file, csv.toString(), hadoop);
    }

    private static void writePlot(Path file, List<Row> rows, List<Integer> levels, boolean patchCurves, Configuration hadoop) {
        List<Plots.Panel> panels = new ArrayList<>();
        String[][] axes = patchCurves
                ? new String[][] {{"image W1", "critic updates"}, {"image W1", "seconds"}, {"patch W1", "critic updates"}, {"patch W1", "seconds"}}
                : new String[][] {{"W1", "critic updates"}, {"W1", "seconds"}};
        for (String[] axis : axes) {
            List<Plots.Series> series = new ArrayList<>();
            for (int level : levels) {
                List<Row> mine = rows.stream().filter(r -> r.k() == level).toList();
                double[] x = new double[mine.size()];
                double[] y = new double[mine.size()];
                for (int i = 0; i < x.length; i++) {
                    Row r = mine.get(i);
                    x[i] = axis[1].equals("seconds") ? r.seconds() : r.criticUpdates();
                    y[i] = axis[0].startsWith("patch") ? r.patchW1() : r.w1();
                }
                series.add(new Plots.Series("K = " + level, x, y));
            }
            panels.add(new Plots.Panel("exact " + axis[0] + " against " + axis[1], axis[1], axis[0], series));
        }
        AtomicOutput.writeFile(file, hadoop, o -> ImageGrid.writePng(Plots.lines(panels), o));
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
