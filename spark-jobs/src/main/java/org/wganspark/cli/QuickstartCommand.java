package org.wganspark.cli;

import com.typesafe.config.Config;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;
import org.apache.spark.api.java.JavaSparkContext;
import org.wganspark.data.DataSpec;
import org.wganspark.data.Datasets;
import org.wganspark.data.Patches;
import org.wganspark.data.RowSource;
import org.wganspark.eval.DataTour;
import org.wganspark.eval.TextCurve;
import org.wganspark.io.BadInputException;
import org.wganspark.io.OutputTarget;
import org.wganspark.ot.patch.PatchGeometry;
import org.wganspark.spark.SparkRuntime;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "quickstart", mixinStandardHelpOptions = true, sortOptions = false,
        header = "The first run: Fashion-MNIST, a short discrete WGAN beside the direct W1 minimizer, scored.",
        footer = {"", "Example: wgan-spark quickstart --train-steps 600"},
        description = {"First run on a fresh machine: get Fashion-MNIST (Debian package or checked download if missing), load it on the",
                "executors, extract 7x7 patches there and write runs/quickstart/{images.png, patches.png, summary.json}; then train a",
                "short discrete WGAN (Elnekave & Weiss's Fig. 5 setting: 64 fixed latent codes, FC critic, WGAN-GP) into",
                "runs/quickstart/train/ and, beside it, 64 free images that descend the exact W1 to the data directly into",
                "runs/quickstart/direct-w1/ (garments within seconds, the minimum the WGAN only approaches); then score both runs with",
                "eval score into runs/quickstart/scores and draw runs/quickstart/report/index.html with eval report."})
final class QuickstartCommand extends JobCommand {

    @Option(names = "--limit", paramLabel = "N", description = "Use the first N training images (key data.limit; default 0 = all 60000).")
    Long limit;

    @Mixin
    OutOption output;

    @Option(names = "--train-steps", paramLabel = "N", description = "Critic steps of the short WGAN run and steps of the direct minimizer (keys "
            + "quickstart.train-steps, quickstart.direct-steps; default 300; 0 skips them).")
    Integer trainSteps;

    @Override
    protected Map<String, Object> optionKeys() {
        Map<String, Object> keys = new HashMap<>();
        keys.put("data.limit", limit);
        keys.put("out", output.out);
        keys.put("quickstart.train-steps", trainSteps);
        keys.put("quickstart.direct-steps", trainSteps);
        return keys;
    }

    @Override
    public Integer call() {
        Config config = config();
        int steps = config.getInt("quickstart.train-steps");
        if (steps < 0) {
            throw new BadInputException("quickstart.train-steps: expected 0 (skip) or more critic steps, found " + steps);
        }
        DataSpec dataSpec = Specs.data(config);
        err().println("[quickstart] dataset " + dataSpec.source() + " (" + dataSpec.split() + ")");
        RowSource source = Datasets.open(dataSpec, new Configuration(), namedDatasets(true));
        PatchGeometry geometry = Patches.geometry(source.shape(), config.getInt("patches.size"), config.getInt("patches.stride"));
        OutputTarget target = claimOutput(outDir(config), "--out", dataSpec.source());
        long started = System.nanoTime();
        JavaSparkContext sc = SparkRuntime.context(spark(config));
        Datasets.Loaded images = Datasets.load(sc, source, dataSpec);
        Configuration hadoop = sc.hadoopConfiguration();
        String summary;
        err().println("[quickstart] " + images.description() + " in " + images.partitions() + " partitions on " + sc.master());
        try {
            summary = DataTour.write(images, geometry, config.getLong("seed"), target, hadoop, err(), started).toString();
            err().println("[quickstart] wrote " + target + "/images.png, patches.png, summary.json");
        } finally {
            images.blocks().unpersist(false);  // before training, which loads the data its own way
        }
        if (steps == 0) {
            out().println(summary);
            return ExitCodes.OK;
        }
        Path trainDir = new Path(target.toString(), "train");
        Main.Nested train = train(config, steps, trainDir.toString());
        if (train.code() != ExitCodes.OK) {
            return train.code();
        }
        err().println("[quickstart] exact W1 of the 64 generated images to the training images:");
        TextCurve.of(new Path(trainDir, "metrics.csv"), hadoop, 2).forEach(err()::println);
        err().println("[quickstart] the generated images: " + trainDir + "/grid-*.png; the curves: " + trainDir + "/curves.png");
        Path directDir = new Path(target.toString(), "direct-w1");
        int directSteps = config.getInt("quickstart.direct-steps");
        Main.Nested direct = directSteps > 0 ? direct(config, directSteps, directDir.toString()) : null;
        if (direct != null && direct.code() != ExitCodes.OK) {
            return direct.code();
        }
        Main.Nested score = score(config, target, trainDir, direct == null ? null : directDir);
        if (score.code() != ExitCodes.OK) {
            return score.code();
        }
        String json = summary.substring(0, summary.length() - 1) + ",\"train\":" + train.json() + (direct == null ? "" : ",\"direct\":" + direct.json())
                + ",\"eval\":" + score.json() + "}";
        out().println(json);
        return ExitCodes.OK;
    }

    /** 64 free images (the pixels generator on 64 codes) descending the exact W1 to real batches: the direct minimizer beside the WGAN. */
    private Main.Nested direct(Config config, int steps, String outDir) {
        List<String> args = new ArrayList<>(List.of("train", "seed=" + config.getLong("seed"), "train.iterations=" + steps, "train.loss=direct-w1",
                "train.generator=pixels", "train.prior=const=64", "train.lr-generator=" + config.getDouble("quickstart.direct-lr"),
                "train.log-every=" + Math.max(10, steps / 6 / 10 * 10), "out=" + outDir));
        dataKeys(config, args);
        err().printf(java.util.Locale.ROOT, "[quickstart] beside it, 64 free images descending the exact W1 directly for %d steps%n", steps);
        return Main.nested(args.toArray(String[]::new));
    }

    /** eval score of both runs into the quickstart's table (its reference: the first quickstart.eval-reference training images), then eval report. */
    private Main.Nested score(Config config, OutputTarget target, Path trainDir, Path directDir) {
        String table = new Path(target.toString(), "scores").toString();
        List<String> args = new ArrayList<>(List.of("eval", "score", "--runs", trainDir.toString()));
        if (directDir != null) {
            args.add(directDir.toString());
        }
        args.addAll(List.of("--table", table, "--metrics", config.getString("quickstart.eval-metrics"),
                "eval.reference.limit=" + config.getLong("quickstart.eval-reference")));
        dataKeys(config, args);
        err().println("[quickstart] scoring both runs with eval score (" + config.getString("quickstart.eval-metrics") + ") against the first "
                + config.getLong("quickstart.eval-reference") + " training images");
        Main.Nested score = Main.nested(args.toArray(String[]::new));
        if (score.code() != ExitCodes.OK) {
            return score;
        }
        String report = new Path(target.toString(), "report").toString();
        Main.Nested drawn = Main.nested("eval", "report", "--table", table, "--out", report);
        if (drawn.code() != ExitCodes.OK) {
            return drawn;
        }
        err().println("[quickstart] the report: " + report + "/index.html (open it in a browser), its numbers: " + report + "/metrics.csv");
        return score;
    }

    private static void dataKeys(Config config, List<String> args) {
        config.getConfig("data").entrySet().stream().filter(e -> !"".equals(e.getValue().unwrapped()))
                .forEach(e -> args.add("data." + e.getKey() + "=" + e.getValue().unwrapped()));
    }

    /** The train command on the quickstart's data, with the schema's Fig. 5 defaults, {@code steps} critic steps and six evaluations. */
    private Main.Nested train(Config config, int steps, String outDir) {
        int logEvery = Math.max(10, steps / 6 / 10 * 10);  // a multiple of the averaging frequency, 10
        List<String> args = new ArrayList<>(List.of("train", "seed=" + config.getLong("seed"), "train.iterations=" + steps,
                "train.log-every=" + logEvery, "out=" + outDir));
        dataKeys(config, args);
        err().printf(java.util.Locale.ROOT, "[quickstart] training a discrete WGAN for %d critic steps (exact W1 every %d)%n", steps, logEvery);
        return Main.nested(args.toArray(String[]::new));
    }
}
