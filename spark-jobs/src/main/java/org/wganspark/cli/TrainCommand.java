package org.wganspark.cli;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigRenderOptions;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.apache.spark.api.java.JavaSparkContext;
import org.wganspark.experiment.RunFolder;
import org.wganspark.experiment.TrainingRun;
import org.wganspark.io.Json;
import org.wganspark.spark.SparkRuntime;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
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

    @Mixin
    OutOption output;

    @Option(names = "--iterations", paramLabel = "N", description = "Critic steps (key train.iterations; default 1000; generator steps for a direct loss). May grow on --resume.")
    Integer iterations;

    @Option(names = "--resume", description = "Continue the run in --out from its checkpoint, with its saved config.conf (may change: train.iterations, "
            + "train.max-critic-loss, data.dir, spark.*).")
    boolean resume;

    /** Keys a resumed run may change: the rest must equal the run's config.conf. */
    static final List<String> MAY_CHANGE_ON_RESUME = List.of("train.iterations", "train.max-critic-loss", "out", "data.dir", "spark.");

    @Override
    protected Map<String, Object> optionKeys() {
        Map<String, Object> keys = new LinkedHashMap<>();
        keys.put("out", output.out);
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
        TrainingRun.Plan plan = TrainSettings.plan(config, namedDatasets(false), err());
        JavaSparkContext sc = SparkRuntime.context(spark(config));
        TrainingRun.Result r = new TrainingRun(plan, run, err()).run(sc, resume,
                config.root().render(ConfigRenderOptions.concise().setFormatted(true).setJson(false)) + "\n");
        if (r.stopped()) {
            return ExitCodes.FAILED;
        }
        out().println(new Json().put("command", "train").put("out", run.toString()).put("iterations", r.state().criticSteps())
                .put("generator_steps", r.state().generatorSteps()).put("seconds", r.seconds()));
        return ExitCodes.OK;
    }
}
