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
import org.wganspark.eval.Outputs;
import org.wganspark.eval.Plots;
import org.wganspark.io.AtomicOutput;
import org.wganspark.io.BadInputException;
import org.wganspark.io.Json;
import org.wganspark.io.OutputTarget;
import org.wganspark.ot.cost.PointSet;
import org.wganspark.ot.means.OtMeans;
import org.wganspark.ot.spark.PointSets;
import org.wganspark.spark.SparkRuntime;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "otmeans", mixinStandardHelpOptions = true, sortOptions = false,
        header = "OTMeans: the k images closest to the data in exact W1, a discrete generator's optimum.",
        footer = {"", "Example: wgan-spark otmeans --data fashion-mnist --limit 10000 --k 64 --out runs/otmeans"},
        description = {"OTMeans: the k images that minimize the exact image W1 to the data, the optimum a discrete generator with k",
                "codes can reach (the Fig. 5 baseline of Elnekave & Weiss). Exact OT plans alternate with Weiszfeld steps; the exact W1",
                "after every step never rises. Writes centroids.npy, centroids.png, w1.csv and w1.png to the output folder."})
final class OtMeansCommand extends DatasetCommand {

    @Option(names = "--k", paramLabel = "K", defaultValue = "64", description = "Centroids (default ${DEFAULT-VALUE}, the paper's M).")
    int k;

    @Option(names = "--steps", paramLabel = "S", defaultValue = "50",
            description = "Weiszfeld steps, each with a new exact plan (default ${DEFAULT-VALUE}: the paper's 10 x 5).")
    int steps;

    @Override
    public Integer call() throws Exception {
        Config config = config();
        if (k < 1 || steps < 0) {
            throw new BadInputException("--k and --steps: expected k >= 1 and steps >= 0, found " + k + " and " + steps);
        }
        Opened opened = openData(config);
        DataSpec spec = opened.spec();
        RowSource source = opened.source();
        ImageShape shape = opened.shape();
        OutputTarget target = claimOutput(outDir(config), "--out", spec.source());
        JavaSparkContext sc = SparkRuntime.context(spark(config));
        Configuration hadoop = sc.hadoopConfiguration();
        Datasets.Loaded loaded = Datasets.load(sc, source, spec);
        PointSet points;
        try {
            points = PointSets.firstRows(loaded.blocks(), (int) loaded.rows(), shape.size());
        } finally {
            loaded.blocks().unpersist(false);
        }
        err().printf(Locale.ROOT, "[otmeans] %s; k = %d, %d Weiszfeld steps with exact plans%n", loaded.description(), k, steps);
        long start = System.nanoTime();
        OtMeans.Result fit = OtMeans.fit(points, k, steps, config.getLong("seed"), err()::println);
        double seconds = (System.nanoTime() - start) / 1e9;
        double[] w1 = fit.w1();
        StringBuilder csv = new StringBuilder("step,w1\n");
        double[] x = new double[w1.length];
        for (int s = 0; s < w1.length; s++) {
            csv.append(s).append(',').append(String.format(Locale.ROOT, "%.9g", w1[s])).append('\n');
            x[s] = s;
        }
        try (OutputTarget.Staging staging = target.stage()) {
            Outputs.writeImages(staging.path(), "centroids", fit.centroids().values(), k, shape, hadoop);
            Outputs.writeText(staging.file("w1.csv"), csv.toString(), hadoop);
            AtomicOutput.writeFile(staging.file("w1.png"), hadoop, o -> ImageGrid.writePng(Plots.lines(java.util.List.of(new Plots.Panel(
                    "OTMeans, k = " + k + ": exact W1 to the data", "Weiszfeld step", "W1", java.util.List.of(new Plots.Series("W1", x, w1))))), o));
            staging.commit();
        }
        out().println(new Json().put("command", "otmeans").put("out", target.toString()).put("n", points.n()).put("k", k).put("steps", steps)
                .put("w1", w1[w1.length - 1]).put("w1_initial", w1[0]).put("seconds", seconds));
        return ExitCodes.OK;
    }
}
