package org.wganspark.cli;

import com.typesafe.config.Config;
import java.util.HashMap;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.wganspark.data.Datasets;
import org.wganspark.data.FloatBlock;
import org.wganspark.data.ImageShape;
import org.wganspark.data.PatchStats;
import org.wganspark.data.Patches;
import org.wganspark.eval.Outputs;
import org.wganspark.io.HadoopConf;
import org.wganspark.io.Json;
import org.wganspark.io.OutputTarget;
import org.wganspark.ot.patch.PatchGeometry;
import org.wganspark.spark.SparkRuntime;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "patches", mixinStandardHelpOptions = true, sortOptions = false,
        header = "Extract p x p patches at stride s on the executors and write them as .npy parts, or only a summary.",
        footer = {"", "Example: wgan-spark patches --data fashion-mnist -p 7 -s 7 --out runs/patches"},
        description = {"Extract p x p patches at stride s on the executors and write them, or a summary.",
                "Output folder (written atomically): part-NNNNN.npy (pooled) or loc-KKK/part-NNNNN.npy (per location),",
                "summary.json (count, dimension, mean, std, range, checksum) and samples.png (seeded sample of patches).",
                "One JSON line with the summary goes to stdout."})
final class PatchesCommand extends DatasetCommand {

    @Option(names = {"-p", "--size"}, paramLabel = "P", description = "Patch side in pixels (key patches.size; default 7).")
    Integer size;

    @Option(names = {"-s", "--stride"}, paramLabel = "S", description = "Stride between patches (key patches.stride; default 7).")
    Integer stride;

    @Option(names = "--per-location", description = "One set per grid location instead of one pooled set (key patches.mode).")
    boolean perLocation;

    @Option(names = "--summary-only", description = "Write summary.json and samples.png but not the patches.")
    boolean summaryOnly;

    @Option(names = "--slowdown-ms", hidden = true, description = "Fault-injection aid for tests: sleep per image block.")
    long slowdownMillis;

    @Override
    protected Map<String, Object> ownKeys() {
        Map<String, Object> keys = new HashMap<>();
        keys.put("patches.size", size);
        keys.put("patches.stride", stride);
        keys.put("patches.mode", perLocation ? "per-location" : null);
        return keys;
    }

    @Override
    public Integer call() {
        Config config = config();
        boolean perLoc = Specs.perLocation(config);
        String mode = perLoc ? "per-location" : "pooled";
        // Everything that can be wrong with the input is found here, before a Spark session exists.
        Opened opened = openData(config);
        PatchGeometry geometry = Patches.geometry(opened.shape(), config.getInt("patches.size"), config.getInt("patches.stride"));
        OutputTarget target = claimOutput(outDir(config), "--out", opened.spec().source());
        JavaSparkContext sc = SparkRuntime.context(spark(config));
        Datasets.Loaded images = Datasets.load(sc, opened.source(), opened.spec());
        try {
            err().println("[patches] " + images.description() + ", " + images.partitions() + " partitions; " + geometry.patchSize() + "x"
                    + geometry.patchSize() + " at stride " + geometry.stride() + ": " + geometry.locations() + " locations per image, dimension "
                    + geometry.dimension() + ", " + mode);
            JavaRDD<FloatBlock> patches = Patches.extract(images.blocks(), geometry, perLoc, slowdownMillis);
            PatchStats stats = Patches.summarize(patches);
            float[] sample = Patches.sample(patches, perLoc ? images.rows() : stats.rows(), config.getInt("patches.samples"), config.getLong("seed"),
                    geometry.dimension());
            Configuration hadoop = sc.hadoopConfiguration();
            String summary = new Json().put("command", "patches").put("source", images.description())
                    .put("images", images.rows()).put("image_shape", images.shape().toString())
                    .put("patch_size", geometry.patchSize()).put("stride", geometry.stride()).put("mode", mode)
                    .put("locations", geometry.locations()).put("patches", stats.rows()).put("dimension", geometry.dimension())
                    .put("stats", new Json.RawJson(stats.toJson())).put("written", !summaryOnly).put("out", target.toString()).toString();
            try (OutputTarget.Staging staging = target.stage()) {
                if (!summaryOnly) {
                    Patches.writeNpyParts(patches, staging.path().toString(), new HadoopConf(hadoop));
                }
                Outputs.writeText(staging.file("summary.json"), summary + "\n", hadoop);
                Outputs.writeGrid(staging.file("samples.png"), sample, new ImageShape(geometry.channels(), geometry.patchSize(), geometry.patchSize()), hadoop);
                staging.commit();
            }
            err().println("[patches] " + stats.rows() + " patches of dimension " + geometry.dimension() + " -> " + target);
            out().println(summary);
            return ExitCodes.OK;
        } finally {
            images.blocks().unpersist(false);
        }
    }
}
