package org.wganspark.eval;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.function.Consumer;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.mllib.clustering.KMeans;
import org.apache.spark.mllib.clustering.KMeansModel;
import org.apache.spark.mllib.linalg.Vector;
import org.apache.spark.mllib.linalg.Vectors;
import org.wganspark.data.FloatBlock;
import org.wganspark.ot.Weights;
import org.wganspark.ot.cost.Metric;
import org.wganspark.ot.cost.PairwiseCost;
import org.wganspark.ot.cost.PointSet;
import org.wganspark.ot.exact.ExactOptions;
import org.wganspark.ot.exact.ShortlistSolver;
import org.wganspark.ot.spark.PointSets;

/**
 * The k-means baseline of Fig. 5: Spark MLlib's k-means (k-means|| seeding, Lloyd steps on the executors), and the
 * exact W1 of its centroids to the data two ways: with mass 1/k each, as a discrete generator with k codes places
 * them, and with the clusters' own masses, what k-means optimizes (its squared distance, weights free).
 */
public final class KMeansBaseline {

    private KMeansBaseline() {
    }

    /**
     * @param centroids   the k centroids, in the data's row layout
     * @param counts      points per cluster
     * @param meanSquared the mean squared distance of a point to its nearest centroid
     */
    public record Fit(PointSet centroids, long[] counts, double meanSquared, int points, double w1Uniform, double w1Masses, double fitSeconds) {
    }

    /** k-means on the rows of {@code blocks} (d floats each, {@code rows} in all), seeded; the blocks stay as they are. */
    public static Fit fit(JavaRDD<FloatBlock> blocks, long rows, int d, int k, int maxIterations, long seed, Consumer<String> progress) {
        long start = System.nanoTime();
        JavaRDD<Vector> vectors = blocks.flatMap(KMeansBaseline::rowsOf).cache();
        KMeansModel model;
        long[] count = new long[k];
        PointSet points;
        try {
            model = new KMeans().setK(k).setMaxIterations(maxIterations).setSeed(seed).setInitializationMode("k-means||").run(vectors.rdd());
            KMeansModel fitted = model;
            vectors.map(fitted::predict).countByValue().forEach((cluster, c) -> count[cluster] = c);
            points = PointSets.firstRows(blocks, (int) rows, d);
        } finally {
            vectors.unpersist(false);
        }
        double fitSeconds = (System.nanoTime() - start) / 1e9;
        double meanSquared = model.trainingCost() / points.n();
        float[] c = new float[k * d];
        for (int cluster = 0; cluster < k; cluster++) {
            double[] centre = model.clusterCenters()[cluster].toArray();
            for (int t = 0; t < d; t++) {
                c[cluster * d + t] = (float) centre[t];
            }
        }
        PointSet centroids = new PointSet(c, k, d);
        progress.accept(String.format(Locale.ROOT, "fitted in %.1f s, mean squared distance to the nearest centroid %.6g; exact W1 next", fitSeconds,
                meanSquared));
        PairwiseCost cost = new PairwiseCost(centroids, points, Metric.EUCLIDEAN);
        double w1Uniform = ShortlistSolver.solve(Weights.uniform(k), Weights.uniform(points.n()), cost, ExactOptions.defaults()).cost();
        double[] mass = new double[k];
        for (int cluster = 0; cluster < k; cluster++) {
            mass[cluster] = count[cluster];
        }
        double w1Masses = ShortlistSolver.solve(Weights.of(mass), Weights.uniform(points.n()), cost, ExactOptions.defaults()).cost();
        return new Fit(centroids, count, meanSquared, points.n(), w1Uniform, w1Masses, fitSeconds);
    }

    private static Iterator<Vector> rowsOf(FloatBlock block) {
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
