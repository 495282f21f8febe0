package org.wganspark.cli;

import com.typesafe.config.Config;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.wganspark.data.DataSpec;
import org.wganspark.data.Datasets;
import org.wganspark.data.FloatBlock;
import org.wganspark.data.ImageShape;
import org.wganspark.data.PatchStats;
import org.wganspark.data.Patches;
import org.wganspark.data.RowSource;
import org.wganspark.eval.Outputs;
import org.wganspark.io.BadInputException;
import org.wganspark.io.Json;
import org.wganspark.io.OutputTarget;
import org.wganspark.ot.patch.PatchGeometry;
import org.wganspark.spark.SparkRuntime;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "quickstart", mixinStandardHelpOptions = true, sortOptions = false,
        header = "The first run: Fashion-MNIST, its 7x7 patches and a short discrete WGAN with its W1 curve.",
        footer = {"", "Example: wgan-spark quickstart --train-steps 600"},
        description = {"First run on a fresh machine: get Fashion-MNIST (Debian package or checked download if missing),",
                "load it on the executors, extract 7x7 patches there, print the counts, and write",
                "runs/quickstart/{images.png, patches.png, summary.json}; then train a short discrete WGAN (Elnekave & Weiss's",
                "Fig. 5 setting: 64 fixed latent codes, FC critic, WGAN-GP) and write its image grids, exact-W1 curve",
                "and metrics under runs/quickstart/train/."})
final class QuickstartCommand extends JobCommand {

    @Option(names = "--limit", paramLabel = "N", description = "Use the first N training images (key data.limit; default 0 = all 60000).")
    Long limit;

    @Mixin
    OutOption output;

    @Option(names = "--train-steps", paramLabel = "N", description = "Critic steps of the short training run (key quickstart.train-steps; "
            + "default 300, about two minutes on 2 cores; 0 skips it).")
    Integer trainSteps;

    @Override
    protected Map<String, Object> optionKeys() {
        Map<String, Object> keys = new HashMap<>();
        keys.put("data.limit", limit);
        keys.put("out", output.out);
        keys.put("quickstart.train-steps", trainSteps);
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
        String summary;
        Configuration hadoop = sc.hadoopConfiguration();
        try {
            err().println("[quickstart] " + images.description() + " in " + images.partitions() + " partitions on " + sc.master());
            PatchStats imageStats = Patches.summarize(images.blocks());
            JavaRDD<FloatBlock> patches = Patches.extract(images.blocks(), geometry, false, 0);
            PatchStats patchStats = Patches.summarize(patches);
            err().printf(java.util.Locale.ROOT, "[quickstart] %d images -> %d patches of %dx%d (dimension %d, %d per image), mean %.4f, std %.4f%n",
                    imageStats.rows(), patchStats.rows(), geometry.patchSize(), geometry.patchSize(), geometry.dimension(),
                    geometry.locations(), patchStats.mean(), patchStats.std());

            long seed = config.getLong("seed");
            try (OutputTarget.Staging staging = target.stage()) {
                Outputs.writeGrid(staging.file("images.png"), Patches.sample(images.blocks(), images.rows(), 64, seed, images.shape().size()),
                        images.shape(), hadoop);
                Outputs.writeGrid(staging.file("patches.png"), Patches.sample(patches, patchStats.rows(), 64, seed, geometry.dimension()),
                        new ImageShape(geometry.channels(), geometry.patchSize(), geometry.patchSize()), hadoop);
                summary = new Json().put("command", "quickstart").put("source", images.description())
                        .put("images", imageStats.rows()).put("image_shape", images.shape().toString())
                        .put("patch_size", geometry.patchSize()).put("stride", geometry.stride()).put("patches", patchStats.rows())
                        .put("dimension", geometry.dimension()).put("image_stats", new Json.RawJson(imageStats.toJson()))
                        .put("patch_stats", new Json.RawJson(patchStats.toJson())).put("out", target.toString())
                        .put("seconds", (System.nanoTime() - started) / 1e9).toString();
                Outputs.writeText(staging.file("summary.json"), summary + "\n", hadoop);
                staging.commit();
            }
            err().println("[quickstart] wrote " + target + "/images.png, patches.png, summary.json");
        } finally {
            images.blocks().unpersist(false);  // before training, which loads the data its own way
        }
        if (steps == 0) {
            out().println(summary);
            return ExitCodes.OK;
        }
        Path trainDir = new Path(target.toString(), "train");
        TrainRun train = train(config, steps, trainDir.toString());
        if (train.code() != ExitCodes.OK) {
            return train.code();
        }
        showCurve(new Path(trainDir, "metrics.csv"), hadoop);
        err().println("[quickstart] the generated images: " + trainDir + "/grid-*.png; the curves: " + trainDir + "/curves.png");
        out().println(summary.substring(0, summary.length() - 1) + ",\"train\":" + train.json() + "}");
        return ExitCodes.OK;
    }

    private record TrainRun(int code, String json) {
    }

    /**
     * The train command in this JVM (the session is already up) on the quickstart's data, with the schema's Fig. 5
     * defaults, {@code steps} critic steps and six evaluations; its JSON line is captured for ours.
     */
    private TrainRun train(Config config, int steps, String outDir) {
        int logEvery = Math.max(10, steps / 6 / 10 * 10);  // a multiple of the averaging frequency, 10
        List<String> args = new ArrayList<>(List.of("train", "seed=" + config.getLong("seed"), "train.iterations=" + steps,
                "train.log-every=" + logEvery, "out=" + outDir));
        config.getConfig("data").entrySet().stream().filter(e -> !"".equals(e.getValue().unwrapped()))
                .forEach(e -> args.add("data." + e.getKey() + "=" + e.getValue().unwrapped()));
        err().printf(java.util.Locale.ROOT, "[quickstart] training a discrete WGAN for %d critic steps (exact W1 every %d)%n", steps, logEvery);
        PrintStream ownOut = out();
        PrintStream ownErr = err();
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        int code;
        try {
            code = Main.run(args.toArray(String[]::new), new PrintStream(captured, true, StandardCharsets.UTF_8), ownErr);
        } finally {
            Main.OUT.set(ownOut);
            Main.ERR.set(ownErr);
        }
        return new TrainRun(code, captured.toString(StandardCharsets.UTF_8).trim());
    }

    /** The exact-W1 curve in the terminal: one value per evaluation, and a bar scaled between the first and the best. */
    private void showCurve(Path metrics, Configuration hadoop) {
        List<String> lines;
        try (var in = metrics.getFileSystem(hadoop).open(metrics)) {
            lines = new String(in.readAllBytes(), StandardCharsets.UTF_8).lines().skip(1).toList();
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        double first = Double.parseDouble(lines.get(0).split(",")[2]);
        double low = lines.stream().mapToDouble(l -> Double.parseDouble(l.split(",")[2])).min().orElse(first);
        err().println("[quickstart] exact W1 of the 64 generated images to the training images:");
        for (String line : lines) {
            String[] f = line.split(",");
            double w1 = Double.parseDouble(f[2]);
            int bar = first > low ? (int) Math.round(10 + 40 * (w1 - low) / (first - low)) : 10;
            err().printf(java.util.Locale.ROOT, "  step %6s  %8.4f  %s%n", f[0], w1, "#".repeat(bar));
        }
    }
}
