package org.wganspark.cli;

import com.typesafe.config.Config;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.apache.hadoop.conf.Configuration;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.mllib.clustering.KMeansModel;
import org.apache.spark.mllib.linalg.Vector;
import org.apache.spark.mllib.linalg.Vectors;
import org.wganspark.data.DataSpec;
import org.wganspark.data.Datasets;
import org.wganspark.data.FloatBlock;
import org.wganspark.data.ImageShape;
import org.wganspark.data.RowSource;
import org.wganspark.eval.Outputs;
import org.wganspark.io.BadInputException;
import org.wganspark.io.Json;
import org.wganspark.io.OutputTarget;
import org.wganspark.ot.Weights;
import org.wganspark.ot.cost.Metric;
import org.wganspark.ot.cost.PairwiseCost;
import org.wganspark.ot.cost.PointSet;
import org.wganspark.ot.exact.ExactOptions;
import org.wganspark.ot.exact.ShortlistSolver;
import org.wganspark.ot.spark.PointSets;
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
        JavaRDD<Vector> vectors = loaded.blocks().flatMap(KMeansCommand::rowsOf).cache();
        KMeansModel model;
        long[] count = new long[k];
        PointSet points;
        try {
            model = new org.apache.spark.mllib.clustering.KMeans().setK(k).setMaxIterations(maxIterations).setSeed(seed)
                    .setInitializationMode("k-means||").run(vectors.rdd());
            KMeansModel fitted = model;
            vectors.map(fitted::predict).countByValue().forEach((cluster, c) -> count[cluster] = c);
            points = PointSets.firstRows(loaded.blocks(), (int) loaded.rows(), shape.size());
        } finally {
            vectors.unpersist(false);
            loaded.blocks().unpersist(false);
        }
        double fitSeconds = (System.nanoTime() - start) / 1e9;
        double meanSquared = model.trainingCost() / points.n();
        int d = shape.size();
        float[] c = new float[k * d];
        for (int cluster = 0; cluster < k; cluster++) {
            double[] centre = model.clusterCenters()[cluster].toArray();
            for (int t = 0; t < d; t++) {
                c[cluster * d + t] = (float) centre[t];
            }
        }
        PointSet centroids = new PointSet(c, k, d);
        err().printf(Locale.ROOT, "[kmeans] fitted in %.1f s, mean squared distance to the nearest centroid %.6g; exact W1 next%n", fitSeconds,
                meanSquared);
        PairwiseCost cost = new PairwiseCost(centroids, points, Metric.EUCLIDEAN);
        double w1Uniform = ShortlistSolver.solve(Weights.uniform(k), Weights.uniform(points.n()), cost, ExactOptions.defaults()).cost();
        double[] mass = new double[k];
        for (int cluster = 0; cluster < k; cluster++) {
            mass[cluster] = count[cluster];
        }
        double w1Masses = ShortlistSolver.solve(Weights.of(mass), Weights.uniform(points.n()), cost, ExactOptions.defaults()).cost();
        StringBuilder csv = new StringBuilder("cluster,points\n");
        for (int cluster = 0; cluster < k; cluster++) {
            csv.append(cluster).append(',').append(count[cluster]).append('\n');
        }
        try (OutputTarget.Staging staging = target.stage()) {
            Outputs.writeImages(staging.path(), "centroids", c, k, shape, hadoop);
            Outputs.writeText(staging.file("masses.csv"), csv.toString(), hadoop);
            staging.commit();
        }
        out().println(new Json().put("command", "kmeans").put("out", target.toString()).put("n", points.n()).put("k", k)
                .put("max_iter", maxIterations).put("mean_squared_distance", meanSquared).put("w1_uniform", w1Uniform)
                .put("w1_cluster_masses", w1Masses).put("seconds_fit", fitSeconds).put("seconds", (System.nanoTime() - start) / 1e9));
        return ExitCodes.OK;
    }

    private static java.util.Iterator<Vector> rowsOf(FloatBlock block) {
        List<Vector> rows = new ArrayList<>(block.rows);
        for (int r = 0; r < block.rows; r++) {
            double[] row = new double[block.cols];
            for (int t = 0; t < block.cols; t++) {
                row[t] = block.values[r * block.cols + t];
            }
            rows.add(Vectors.dense(row));
        }
        return rows.iterator();
    }
}
