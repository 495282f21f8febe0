package org.wganspark.cli;

import com.typesafe.config.Config;
import java.util.HashMap;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.apache.spark.api.java.JavaSparkContext;
import org.wganspark.data.DataSpec;
import org.wganspark.data.Datasets;
import org.wganspark.data.PatchStats;
import org.wganspark.data.Patches;
import org.wganspark.data.RowSource;
import org.wganspark.eval.Outputs;
import org.wganspark.io.HadoopConf;
import org.wganspark.io.Json;
import org.wganspark.io.OutputTarget;
import org.wganspark.spark.SparkRuntime;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "data", mixinStandardHelpOptions = true, sortOptions = false,
        header = "Load a dataset on the executors and describe it; optionally a sample grid and .npy parts.",
        footer = {"", "Example: wgan-spark data --data photos/ --out runs/photos --npy data.image.size=64"},
        description = {"Load a dataset on the executors and describe it: rows, shape, value range, checksum.",
                "With --out: images.png (a seeded sample grid), summary.json, and with --npy the rows as part-NNNNN.npy",
                "(float32, readable by np.load), e.g. to turn an image folder into arrays once."})
final class DataCommand extends JobCommand {

    @Mixin
    SourceOptions source;

    @Option(names = "--out", paramLabel = "PATH", description = "Output folder, any Hadoop path (key out; default none: only the JSON line is printed).")
    String out;

    @Option(names = "--npy", description = "Also write the rows as .npy parts into the output folder.")
    boolean npy;

    @Override
    protected Map<String, Object> optionKeys() {
        Map<String, Object> keys = new HashMap<>(source.keys());
        keys.put("out", out);
        return keys;
    }

    @Override
    public Integer call() {
        Config config = config();
        DataSpec dataSpec = Specs.data(config);
        RowSource source = Datasets.open(dataSpec, new Configuration(), namedDatasets(false));
        boolean writes = out != null || !config.getString("out").isEmpty();
        OutputTarget target = writes ? claimOutput(outDir(config), "--out", dataSpec.source()) : null;
        JavaSparkContext sc = SparkRuntime.context(spark(config));
        Datasets.Loaded loaded = Datasets.load(sc, source, dataSpec);
        try {
            err().println("[data] " + loaded.description() + ", " + loaded.partitions() + " partitions");
            PatchStats stats = Patches.summarize(loaded.blocks());
            Json summary = new Json().put("command", "data").put("source", loaded.description()).put("rows", loaded.rows())
                    .put("shape", loaded.shape().toString()).put("partitions", loaded.partitions())
                    .put("stats", new Json.RawJson(stats.toJson()));
            if (target != null) {
                Configuration hadoop = sc.hadoopConfiguration();
                try (OutputTarget.Staging staging = target.stage()) {
                    if (npy) {
                        Patches.writeNpyParts(loaded.blocks(), staging.path().toString(), new HadoopConf(hadoop));
                    }
                    float[] sample = Patches.sample(loaded.blocks(), loaded.rows(), 64, config.getLong("seed"), loaded.shape().size());
                    Outputs.writeGrid(staging.file("images.png"), sample, loaded.shape(), hadoop);
                    summary.put("out", target.toString());
                    Outputs.writeText(staging.file("summary.json"), summary + "\n", hadoop);
                    staging.commit();
                }
                err().println("[data] wrote " + target + (npy ? " (images.png, summary.json, .npy parts)" : " (images.png, summary.json)"));
            }
            out().println(summary);
            return ExitCodes.OK;
        } finally {
            loaded.blocks().unpersist(false);
        }
    }
}
