package org.wganspark.cli;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import java.io.PrintStream;
import java.util.List;
import org.apache.hadoop.conf.Configuration;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.learning.config.IUpdater;
import org.nd4j.linalg.learning.config.Sgd;
import org.wganspark.data.DataSpec;
import org.wganspark.data.Datasets;
import org.wganspark.data.ImageShape;
import org.wganspark.data.NamedDatasets;
import org.wganspark.data.RowSource;
import org.wganspark.experiment.W1FeRun;
import org.wganspark.io.BadInputException;
import org.wganspark.model.NetworkFactory;
import org.wganspark.model.Networks;
import org.wganspark.model.Prior;
import org.wganspark.ot.patch.PatchGeometry;
import org.wganspark.train.local.LocalTrainer;
import org.wganspark.train.objective.W1Fe;
import org.wganspark.train.step.StepKernels;

/** A config's {@code w1fe}, {@code train} and {@code data} sections as a W1-FE experiment's plan, checked before Spark starts. */
final class W1FeSettings {

    private W1FeSettings() {
    }

    static W1FeRun.Plan plan(Config config, NamedDatasets named, PrintStream log) {
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
        String engine = w.getString("engine");
        if (!List.of("local", "averaging", "dl4j").contains(engine)) {
            throw new BadInputException("w1fe.engine: expected local, averaging or dl4j, found '" + engine + "'");
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
        if (steps < 1 || logEvery < 1 || evalSamples < 1 || w.getInt("eval-rows") < 0 || w.getInt("patch-images") < 1) {
            throw new BadInputException("w1fe: expected outer-steps, log-every, eval-samples and patch-images >= 1 and eval-rows >= 0, found " + steps
                    + ", " + logEvery + ", " + evalSamples + ", " + w.getInt("patch-images") + ", " + w.getInt("eval-rows"));
        }
        W1Fe.Options base;
        try {
            base = new W1Fe.Options(w.getInt("critic-steps"), levels.get(0), w.getDouble("dt"), w.getInt("batch"));
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
        if (NetworkChoice.nonSaturating(t)) {
            throw new BadInputException("train.loss: W1-FE follows the W1 flow, so its critic is a WGAN critic; found non-saturating");
        }
        DataSpec data = Specs.data(config);
        RowSource source = Datasets.open(data, new Configuration(), named);
        ImageShape shape = source.shape();
        int d = shape.size();
        int patchSize = w.getInt("patch-size");
        PatchGeometry patches = shape.height() > 1 && patchSize > 0 ? Specs.patchGeometry(shape, patchSize, w.getInt("patch-stride"), "w1fe") : null;
        LocalTrainer.Options criticOptions = new LocalTrainer.Options(t.getDouble("gp"), t.getDouble("clip"), 0, t.getInt("real-batch"),
                t.getInt("fake-batch"), t.getBoolean("alpha-per-sample"), t.getDouble("fd-step")).withKernels(NetworkChoice.kernels(config));
        double lr = w.getDouble("lr-regression");
        IUpdater updater = optimizer.equals("adam") ? Networks.adam(lr) : new Sgd(lr);
        int nf = t.getInt("generator-nf");
        int depth = t.getInt("generator-depth");
        java.util.function.Supplier<MultiLayerNetwork[]> networks = () -> new MultiLayerNetwork[] {
            StepKernels.prepared(NetworkFactory.initialized(NetworkChoice.networks(t), Networks.fcGenerator(zDim, nf, depth, d, updater, false, seed, DataType.FLOAT), seed),
                    criticOptions.kernels()),
            StepKernels.prepared(NetworkFactory.critic(NetworkChoice.networks(t), shape, seed + 1), criticOptions.kernels())};
        log.println("[w1fe] " + NetworkFactory.describeCritic(NetworkChoice.networks(t), shape, NetworkFactory.critic(NetworkChoice.networks(t), shape, seed + 1)));
        return new W1FeRun.Plan(data, source, prior, t.getString("prior"), zDim, seed, levels, base, steps, logEvery, evalSamples, w.getInt("eval-rows"),
                patches, w.getInt("patch-images"), engine, w.getInt("workers"), criticOptions, networks,
                () -> Networks.fcGenerator(zDim, nf, depth, d, updater, true, seed, DataType.FLOAT).getLayerWiseConfigurations().toJson());
    }
}
