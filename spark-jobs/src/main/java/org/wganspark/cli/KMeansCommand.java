package org.wganspark.cli;

import com.typesafe.config.Config;
import java.util.Locale;
import org.apache.hadoop.conf.Configuration;
import org.apache.spark.api.java.JavaSparkContext;
import org.wganspark.data.DataSpec;
import org.wganspark.data.Datasets;
import org.wganspark.data.ImageShape;
import org.wganspark.data.RowSource;
import org.wganspark.eval.KMeansBaseline;
import org.wganspark.eval.Outputs;
import org.wganspark.io.BadInputException;
import org.wganspark.io.Json;
import org.wganspark.io.OutputTarget;
import org.wganspark.spark.SparkRuntime;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "kmeans", mixinStandardHelpOptions = true, sortOptions = false,
        header = "k-means on Spark MLlib, with the exact W1 of its centroids to the data.",
        footer = {"", "Example: wgan-spark kmeans --data fashion-mnist --k 64 --out runs/kmeans"},
        description = {"k-means on Spark MLlib (k-means|| seeding, Lloyd steps on the executors): the Fig. 5 baseline next to",
                "OTMeans. k-means minimizes the squared distance with weights free (W2 with the clusters' masses); a discrete",
                "generator with k codes puts mass 1/k on each, so the exact W1 is reported both ways. Writes centroids.npy,",
                "centroids.png and masses.csv to the output folder; prints one JSON line."})
final class KMeansCommand extends DatasetCommand {

    @Option(names = "--k", paramLabel = "K", defaultValue = "64", description = "Centroids (default ${DEFAULT-VALUE}, the paper's M).")
    int k;

    @Option(names = "--max-iter", paramLabel = "T", defaultValue = "50",
            description = "Lloyd iterations at most (default ${DEFAULT-VALUE}, the paper's sklearn setting).")
    int maxIterations;

    @Override
    public Integer call() throws Exception {
        Config config = config();
        if (k < 1 || maxIterations < 1) {
            throw new BadInputException("--k and --max-iter: expected k >= 1 and max-iter >= 1, found " + k + " and " + maxIterations);
        }
        Opened opened = openData(config);
        DataSpec spec = opened.spec();
        RowSource source = opened.source();
        ImageShape shape = opened.shape();
        OutputTarget target = claimOutput(outDir(config), "--out", spec.source());
        JavaSparkContext sc = SparkRuntime.context(spark(config));
        Configuration hadoop = sc.hadoopConfiguration();
        Datasets.Loaded loaded = Datasets.load(sc, source, spec);
        if (loaded.rows() < k) {
            throw new BadInputException("--k " + k + ": the data has only " + loaded.rows() + " rows");
        }
        long seed = config.getLong("seed");
        err().printf(Locale.ROOT, "[kmeans] %s; k = %d, k-means|| seeding (seed %d), at most %d Lloyd iterations on the executors%n",
                loaded.description(), k, seed, maxIterations);
        long start = System.nanoTime();
        KMeansBaseline.Fit fit;
        try {
            fit = KMeansBaseline.fit(loaded.blocks(), loaded.rows(), shape.size(), k, maxIterations, seed, line -> err().println("[kmeans] " + line));
        } finally {
            loaded.blocks().unpersist(false);
        }
        StringBuilder csv = new StringBuilder("cluster,points\n");
        for (int cluster = 0; cluster < k; cluster++) {
            csv.append(cluster).append(',').append(fit.counts()[cluster]).append('\n');
        }
        try (OutputTarget.Staging staging = target.stage()) {
            Outputs.writeImages(staging.path(), "centroids", fit.centroids().values(), k, shape, hadoop);
            Outputs.writeText(staging.file("masses.csv"), csv.toString(), hadoop);
            staging.commit();
        }
        out().println(new Json().put("command", "kmeans").put("out", target.toString()).put("n", fit.points()).put("k", k)
                .put("max_iter", maxIterations).put("mean_squared_distance", fit.meanSquared()).put("w1_uniform", fit.w1Uniform())
                .put("w1_cluster_masses", fit.w1Masses()).put("seconds_fit", fit.fitSeconds()).put("seconds", (System.nanoTime() - start) / 1e9));
        return ExitCodes.OK;
    }
}
