package org.wganspark.cli;

import com.typesafe.config.Config;
import java.io.PrintStream;
import java.util.Locale;
import org.apache.hadoop.conf.Configuration;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.wganspark.data.DataSpec;
import org.wganspark.data.Datasets;
import org.wganspark.data.NamedDatasets;
import org.wganspark.data.RowSource;
import org.wganspark.experiment.Schedule;
import org.wganspark.experiment.TrainingRun;
import org.wganspark.io.BadInputException;
import org.wganspark.model.NetworkFactory;
import org.wganspark.model.Prior;
import org.wganspark.ot.patch.PatchGeometry;
import org.wganspark.train.dist.TrainingSetup;
import org.wganspark.train.dist.TrainingState;
import org.wganspark.train.local.LocalTrainer;

/** A config's {@code train} and {@code data} sections as a training run's plan, every key checked before Spark starts. */
final class TrainSettings {

    private TrainSettings() {
    }

    /** The plan of {@code config}; its networks are described on {@code log}. */
    static TrainingRun.Plan plan(Config config, NamedDatasets named, PrintStream log) {
        Config t = config.getConfig("train");
        String generatorKind = t.getString("generator");
        if (!NetworkFactory.GENERATORS.contains(generatorKind)) {  // before the data is opened
            throw NetworkFactory.badGenerator(generatorKind);
        }
        Schedule schedule = new Schedule(t.getInt("iterations"), t.getInt("averaging-frequency"), t.getInt("log-every"));
        if (!schedule.valid()) {
            throw new BadInputException("train: expected iterations >= 1, averaging-frequency >= 1 and log-every a multiple of it, found "
                    + schedule.total() + ", " + schedule.averagingFrequency() + ", " + schedule.logEvery());
        }
        long seed = config.getLong("seed");
        String priorSpec = t.getString("prior");
        int zDim = t.getInt("z-dim");
        Prior prior;
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
        DataSpec dataSpec = Specs.data(config);
        RowSource source = Datasets.open(dataSpec, new Configuration(), named);
        LocalTrainer.Options options = new LocalTrainer.Options(t.getDouble("gp"), t.getDouble("clip"), t.getInt("generator-every"),
                t.getInt("real-batch"), t.getInt("fake-batch"), t.getBoolean("alpha-per-sample"), t.getDouble("fd-step"),
                NetworkChoice.nonSaturating(t), NetworkChoice.direct(t, source.shape()), t.getBoolean("spectral-norm"), NetworkChoice.kernels(config));
        PatchGeometry patches = source.shape().height() > 1 && t.getInt("patch-size") > 0
                ? Specs.patchGeometry(source.shape(), t.getInt("patch-size"), t.getInt("patch-stride"), "train") : null;
        if (t.getInt("patch-images") < 1 || t.getInt("eval-rows") < 0) {
            throw new BadInputException("train.patch-images and train.eval-rows: expected a positive count and a count >= 0 (0: all), found "
                    + t.getInt("patch-images") + " and " + t.getInt("eval-rows"));
        }
        MultiLayerNetwork g = NetworkFactory.generator(NetworkChoice.networks(t), source.shape(), zDim, seed);
        MultiLayerNetwork c = options.direct() == null ? NetworkFactory.critic(NetworkChoice.networks(t), source.shape(), seed + 1) : null;
        log.printf(Locale.ROOT, "[train] generator %s, %d parameters; %s%n", generatorKind.equals("pixels") ? prior.size() + " free images"
                        : generatorKind.toUpperCase(Locale.ROOT), g.numParams(), c == null ? options.direct().describe()
                        : NetworkFactory.describeCritic(NetworkChoice.networks(t), source.shape(), c) + (options.spectralNorm() ? ", spectrally normalized" : "") + "; "
                        + t.getString("loss") + " loss");
        TrainingSetup setup = new TrainingSetup(g.getLayerWiseConfigurations().toJson(),
                c == null ? null : c.getLayerWiseConfigurations().toJson(), priorSpec, zDim, seed, options);
        String exchange = t.getString("exchange");
        if (!java.util.List.of("auto", "driver", "peers").contains(exchange)) {
            throw new BadInputException("train.exchange: expected auto, driver or peers, found " + exchange);
        }
        return new TrainingRun.Plan(dataSpec, source, prior, setup, TrainingState.of(g, c, 0, 0), schedule, t.getDouble("max-critic-loss"),
                exchange, t.getInt("eval-rows"), patches, t.getInt("patch-images"), seed);
    }
}
