package org.wganspark.cli;

import com.typesafe.config.Config;
import java.util.Locale;
import org.apache.hadoop.conf.Configuration;
import org.apache.spark.api.java.JavaSparkContext;
import org.wganspark.data.DataSpec;
import org.wganspark.data.Datasets;
import org.wganspark.data.ImageShape;
import org.wganspark.data.RowSource;
import org.wganspark.eval.ImageGrid;
import org.wganspark.eval.Memorization;
import org.wganspark.eval.Outputs;
import org.wganspark.io.AtomicOutput;
import org.wganspark.io.BadInputException;
import org.wganspark.io.Json;
import org.wganspark.io.OutputTarget;
import org.wganspark.ot.cost.PointSet;
import org.wganspark.ot.spark.DistributedNeighbours;
import org.wganspark.ot.spark.PointSets;
import org.wganspark.spark.SparkRuntime;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "memorization", mixinStandardHelpOptions = true, sortOptions = false,
        header = "Each generated image's nearest and second-nearest training images: near copies by the distance ratio.",
        footer = {"", "Example: wgan-spark memorization --generated runs/fig5/generated-0002000.npy --limit 10000 --out runs/memorization"},
        description = {"Does a generator copy its training images (Fig. 6 of Elnekave & Weiss)? For every generated image, its nearest and",
                "second-nearest training images in pixel L2, exact, searched on the executors (the training set stays partitioned,",
                "the generated set is broadcast). A generated image whose nearest training image is much closer than the second",
                "(ratio below --copy-ratio) is a near copy of that one image. Writes nearest.csv and nearest.png (generated images",
                "above their nearest training images) to the output folder; prints one JSON line."})
final class MemorizationCommand extends DatasetCommand {

    @Option(names = "--generated", required = true, paramLabel = "SOURCE",
            description = "The generated set: a .npy (N, C, H, W) such as a train run's generated.npy, or any data source.")
    String generated;

    @Option(names = "--copy-ratio", defaultValue = "0.333", paramLabel = "R",
            description = "Nearest over second-nearest distance below which an image counts as a copy (default ${DEFAULT-VALUE}).")
    double copyRatio;

    @Option(names = "--show", defaultValue = "16", paramLabel = "K", description = "Generated images in nearest.png (default ${DEFAULT-VALUE}).")
    int show;

    @Override
    public Integer call() throws Exception {
        Config config = config();
        if (!(copyRatio > 0 && copyRatio <= 1) || show < 1) {
            throw new BadInputException("--copy-ratio and --show: expected 0 < ratio <= 1 and show >= 1, found " + copyRatio + " and " + show);
        }
        Opened opened = openData(config);
        DataSpec spec = opened.spec();
        RowSource source = opened.source();
        ImageShape shape = opened.shape();
        DataSpec generatedSpec = spec.with(generated, spec.split(), 0);
        RowSource generatedSource = Datasets.open(generatedSpec, new Configuration(), namedDatasets(false));
        OutputTarget target = claimOutput(outDir(config), "--out", spec.source(), generated);
        if (generatedSource.shape().size() != shape.size()) {
            throw new BadInputException("--generated " + generated + ": images of " + generatedSource.shape() + ", the training set has " + shape);
        }
        JavaSparkContext sc = SparkRuntime.context(spark(config));
        Configuration hadoop = sc.hadoopConfiguration();
        Datasets.Loaded fakes = Datasets.load(sc, generatedSource, generatedSpec);
        PointSet queries;
        try {
            queries = PointSets.collect(fakes.blocks(), fakes.rows(), shape.size(), "--generated " + generated);
        } finally {
            fakes.blocks().unpersist(false);
        }
        Datasets.Loaded loaded = Datasets.load(sc, source, spec);
        err().printf(Locale.ROOT, "[memorization] %d generated images against %s%n", queries.n(), loaded.description());
        long start = System.nanoTime();
        int q = queries.n();
        int shown = Math.min(show, q);
        DistributedNeighbours.Found found;
        try {
            found = DistributedNeighbours.search(sc, loaded.blocks(), queries, shown);
        } finally {
            loaded.blocks().unpersist(false);
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        Memorization m = Memorization.of(found.neighbours(), q, copyRatio);
        try (OutputTarget.Staging staging = target.stage()) {
            Outputs.writeText(staging.file("nearest.csv"), m.csv(), hadoop);
            if (shape.height() > 1) {
                float[] grid = Memorization.pairs(queries, found.neighbours(), found.nearestRows(), shown);
                AtomicOutput.writeFile(staging.file("nearest.png"), hadoop, o -> ImageGrid.writePng(ImageGrid.render(grid, 2 * shown, shape, shown, 56), o));
            }
            staging.commit();
        }
        out().println(new Json().put("command", "memorization").put("out", target.toString()).put("generated", q).put("data", loaded.rows())
                .put("copies", m.copies()).put("copy_fraction", m.copies() / (double) q).put("copy_ratio", copyRatio)
                .put("nearest_distance_median", m.median()).put("nearest_distance_mean", m.mean()).put("seconds", seconds));
        return ExitCodes.OK;
    }
}
