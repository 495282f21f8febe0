package org.wganspark.cli;

import com.typesafe.config.Config;
import java.util.HashMap;
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
import org.wganspark.ot.patch.PatchGeometry;
import org.wganspark.runtime.AtomicOutput;
import org.wganspark.runtime.SparkRuntime;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "quickstart", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"First run on a fresh machine: get Fashion-MNIST (Debian package or checked download if missing),",
                "load it on the executors, extract 7x7 patches there, print the counts, and write",
                "runs/quickstart/{images.png, patches.png, summary.json}."})
final class QuickstartCommand extends JobCommand {

    @Option(names = "--limit", paramLabel = "N", description = "Use the first N training images (key data.limit; default 0 = all 60000).")
    Long limit;

    @Option(names = "--out", paramLabel = "PATH", description = "Output folder (key out; default runs/quickstart).")
    String out;

    @Override
    protected Map<String, Object> optionKeys() {
        Map<String, Object> keys = new HashMap<>();
        keys.put("data.limit", limit);
        keys.put("out", out);
        return keys;
    }

    @Override
    public Integer call() {
        Config config = config();
        DataSpec dataSpec = DataSpec.fromConfig(config.getConfig("data"));
        err().println("[quickstart] dataset " + dataSpec.source() + " (" + dataSpec.split() + ")");
        RowSource source = Datasets.open(dataSpec, new Configuration(), namedDatasets(true));
        PatchGeometry geometry = Patches.geometry(source.shape(), config.getInt("patches.size"), config.getInt("patches.stride"));
        long started = System.nanoTime();
        JavaSparkContext sc = SparkRuntime.context(spark(config));
        Datasets.Loaded images = Datasets.load(sc, source, dataSpec);
        try {
            err().println("[quickstart] " + images.description() + " in " + images.partitions() + " partitions on " + sc.master());
            PatchStats imageStats = Patches.summarize(images.blocks());
            JavaRDD<FloatBlock> patches = Patches.extract(images.blocks(), geometry, false, 0);
            PatchStats patchStats = Patches.summarize(patches);
            err().printf(java.util.Locale.ROOT, "[quickstart] %d images -> %d patches of %dx%d (dimension %d, %d per image), mean %.4f, std %.4f%n",
                    imageStats.rows(), patchStats.rows(), geometry.patchSize(), geometry.patchSize(), geometry.dimension(),
                    geometry.locations(), patchStats.mean(), patchStats.std());

            Configuration hadoop = sc.hadoopConfiguration();
            Path target = new Path(outDir(config));
            Path staging = AtomicOutput.stagingDirectory(target, hadoop);
            long seed = config.getLong("seed");
            Outputs.writeGrid(new Path(staging, "images.png"), Patches.sample(images.blocks(), images.rows(), 64, seed, images.shape().size()),
                    images.shape(), hadoop);
            Outputs.writeGrid(new Path(staging, "patches.png"), Patches.sample(patches, patchStats.rows(), 64, seed, geometry.dimension()),
                    new ImageShape(geometry.channels(), geometry.patchSize(), geometry.patchSize()), hadoop);
            String summary = new Json().put("command", "quickstart").put("source", images.description())
                    .put("images", imageStats.rows()).put("image_shape", images.shape().toString())
                    .put("patch_size", geometry.patchSize()).put("stride", geometry.stride()).put("patches", patchStats.rows())
                    .put("dimension", geometry.dimension()).put("image_stats", new Json.RawJson(imageStats.toJson()))
                    .put("patch_stats", new Json.RawJson(patchStats.toJson())).put("out", target.toString())
                    .put("seconds", (System.nanoTime() - started) / 1e9).toString();
            Outputs.writeText(new Path(staging, "summary.json"), summary + "\n", hadoop);
            AtomicOutput.commitDirectory(staging, target, hadoop);
            err().println("[quickstart] wrote " + target + "/images.png, patches.png, summary.json");
            out().println(summary);
            return ExitCodes.OK;
        } finally {
            images.blocks().unpersist(false);
        }
    }
}
