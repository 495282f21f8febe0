package org.wganspark.cli;

import java.io.PrintStream;
import java.util.Locale;
import org.apache.hadoop.conf.Configuration;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.wganspark.data.DataSpec;
import org.wganspark.data.Datasets;
import org.wganspark.data.FloatBlock;
import org.wganspark.data.NamedDatasets;
import org.wganspark.data.Patches;
import org.wganspark.data.RowSource;
import org.wganspark.io.BadInputException;
import org.wganspark.ot.Weights;
import org.wganspark.ot.cost.Deduplicated;
import org.wganspark.ot.cost.Metric;
import org.wganspark.ot.cost.PointSet;
import org.wganspark.ot.spark.PointSets;
import picocli.CommandLine.Option;

/**
 * The two point sets every {@code ot} command compares, their weights and ground cost: options, checks before
 * Spark starts, and loading (rows read on the executors, patch sets extracted there, then collected).
 */
final class OtInputs {

    @Option(names = "--x", required = true, paramLabel = "SOURCE",
            description = "First set: mnist, fashion-mnist, ring8, or a path (IDX, .npy, npy folder, image folder); float64 .npy stays float64.")
    String x;

    @Option(names = "--y", required = true, paramLabel = "SOURCE", description = "Second set, the same kinds.")
    String y;

    @Option(names = "--x-split", defaultValue = "train", description = "Split of a named --x (default ${DEFAULT-VALUE}).")
    String xSplit;

    @Option(names = "--y-split", defaultValue = "test", description = "Split of a named --y (default ${DEFAULT-VALUE}).")
    String ySplit;

    @Option(names = "--limit-x", defaultValue = "0", paramLabel = "N", description = "First N rows of --x (default 0 = all).")
    long limitX;

    @Option(names = "--limit-y", defaultValue = "0", paramLabel = "N", description = "First N rows of --y (default 0 = all).")
    long limitY;

    @Option(names = "--weights-x", paramLabel = "NPY", description = "Weights of --x: a .npy vector (n,), nonnegative, positive sum (default uniform).")
    String weightsX;

    @Option(names = "--weights-y", paramLabel = "NPY", description = "Weights of --y, likewise (default uniform).")
    String weightsY;

    @Option(names = "--patch", defaultValue = "0", paramLabel = "P", description = "Compare pooled P x P patch sets of both inputs instead of images (default 0 = images).")
    int patch;

    @Option(names = "--stride", defaultValue = "1", paramLabel = "S", description = "Patch stride (default ${DEFAULT-VALUE}).")
    int stride;

    @Option(names = "--keep-duplicates", description = "Solve with identical points as separate points (by default they are merged "
            + "into one point carrying their mass: the same OT cost, a far less degenerate LP).")
    boolean keepDuplicates;

    private DataSpec specX;
    private DataSpec specY;
    private RowSource sourceX;
    private RowSource sourceY;
    private Metric ground;

    /** The loaded sets: merged into distinct weighted points unless --keep-duplicates. */
    record Loaded(PointSet x, PointSet y, Weights a, Weights b, Metric metric, int n, int m, Deduplicated mergedX, Deduplicated mergedY,
                  double loadSeconds) {

        /** float64 when either input is (exact costs are then computed from the doubles), else float32. */
        String precision() {
            return x.isDouble() || y.isDouble() ? "float64" : "float32";
        }
    }

    /** Everything that can be checked before Spark starts: sizes, sources, shapes, patch geometry; {@code metric} is the ground cost. */
    void check(com.typesafe.config.Config config, NamedDatasets named, Metric metric) {
        ground = metric;
        for (long[] limit : new long[][] {{limitX, 'x'}, {limitY, 'y'}}) {
            if (limit[0] < 0) {
                throw new BadInputException("--limit-" + (char) limit[1] + ": expected 0 (all) or a positive count, found " + limit[0]);
            }
        }
        if (patch < 0 || patch > 0 && stride < 1) {
            throw new BadInputException("--patch and --stride: expected a patch side >= 0 (0: images) and a stride >= 1, found " + patch + " and "
                    + stride);
        }
        DataSpec base = Specs.data(config);
        Configuration hadoop = new Configuration();
        specX = spec(base, x, xSplit, limitX);
        specY = spec(base, y, ySplit, limitY);
        sourceX = Datasets.open(specX, hadoop, named);
        sourceY = Datasets.open(specY, hadoop, named);
        if (patch > 0) {
            Patches.geometry(sourceX.shape(), patch, stride);
            Patches.geometry(sourceY.shape(), patch, stride);
        }
        int dx = patch > 0 ? sourceX.shape().channels() * patch * patch : sourceX.shape().size();
        int dy = patch > 0 ? sourceY.shape().channels() * patch * patch : sourceY.shape().size();
        if (dx != dy) {
            throw new BadInputException("--x " + x + " has dimension " + dx + " (" + what(sourceX.shape()) + "), --y " + y + " has dimension " + dy
                    + " (" + what(sourceY.shape()) + "): the sets must have the same dimension");
        }
    }

    private String what(org.wganspark.data.ImageShape shape) {
        return patch > 0 ? patch + "x" + patch + " patches of " + shape + " images" : "rows of " + shape;
    }

    Loaded load(JavaSparkContext sc, PrintStream err, String tag) {
        long started = System.nanoTime();
        PointSet px = points(sc, sourceX, specX, "--x " + x);
        PointSet py = points(sc, sourceY, specY, "--y " + y);
        Weights a = weightsX == null ? Weights.uniform(px.n()) : weights(sc, weightsX, px.n(), "--weights-x");
        Weights b = weightsY == null ? Weights.uniform(py.n()) : weights(sc, weightsY, py.n(), "--weights-y");
        double loadSeconds = (System.nanoTime() - started) / 1e9;
        err.printf(Locale.ROOT, "%s %d x %d points of dimension %d loaded in %.1f s%n", tag, px.n(), py.n(), px.d(), loadSeconds);
        Deduplicated mx = keepDuplicates ? null : Deduplicated.of(px, a);
        Deduplicated my = keepDuplicates ? null : Deduplicated.of(py, b);
        PointSet sx = mx == null ? px : mx.points();
        PointSet sy = my == null ? py : my.points();
        if (mx != null && (sx.n() < px.n() || sy.n() < py.n())) {
            err.printf(Locale.ROOT, "%s identical points merged: %d -> %d and %d -> %d distinct%n", tag, px.n(), sx.n(), py.n(), sy.n());
        }
        return new Loaded(sx, sy, mx == null ? a : mx.weights(), my == null ? b : my.weights(), ground, px.n(), py.n(), mx, my, loadSeconds);
    }

    private static DataSpec spec(DataSpec base, String source, String split, long limit) {
        return base.with(source, split, limit);
    }

    /** One input as row blocks that stay on the executors (patches extracted there), with its weights (null: uniform). */
    record Blocks(JavaRDD<FloatBlock> rows, long count, int dimension, double[] weights, Datasets.Loaded loaded, String precision) {
    }

    Blocks blocks(JavaSparkContext sc, boolean first) {
        RowSource source = first ? sourceX : sourceY;
        Datasets.Loaded loaded = Datasets.load(sc, source, first ? specX : specY);
        JavaRDD<FloatBlock> rows = loaded.blocks();
        long count = loaded.rows();
        int dimension = loaded.shape().size();
        if (patch > 0) {
            var g = Patches.geometry(loaded.shape(), patch, stride);
            rows = Patches.extract(rows, g, false, 0);
            count *= g.locations();
            dimension = g.dimension();
        }
        String file = first ? weightsX : weightsY;
        double[] w = null;
        if (file != null) {
            if (count > Integer.MAX_VALUE - 8) {
                throw new BadInputException((first ? "--weights-x " : "--weights-y ") + file + ": " + count + " weights do not fit in one array");
            }
            w = weights(sc, file, (int) count, first ? "--weights-x" : "--weights-y").toArray();
        }
        return new Blocks(rows, count, dimension, w, loaded, source.precision());
    }

    private PointSet points(JavaSparkContext sc, RowSource source, DataSpec spec, String what) {
        Datasets.Loaded loaded = Datasets.load(sc, source, spec);
        try {
            JavaRDD<FloatBlock> rows = loaded.blocks();
            long count = loaded.rows();
            int dimension = loaded.shape().size();
            if (patch > 0) {
                var g = Patches.geometry(loaded.shape(), patch, stride);
                rows = Patches.extract(rows, g, false, 0);
                count *= g.locations();
                dimension = g.dimension();
            }
            return PointSets.collect(rows, count, dimension, what);
        } finally {
            loaded.blocks().unpersist(false);
        }
    }

    private static Weights weights(JavaSparkContext sc, String file, int expected, String option) {
        RowSource source = org.wganspark.data.NpySource.open(file, new Configuration());
        if (source.shape().size() != 1) {
            throw new BadInputException(option + " " + file + ": expected a vector (n,) of weights, found rows of " + source.shape().size());
        }
        if (source.rows() != expected) {
            throw new BadInputException(option + " " + file + ": " + source.rows() + " weights for " + expected + " points");
        }
        double[] w = new double[expected];
        source.read(0, expected, expected, sc.hadoopConfiguration()).forEachRemaining(bl -> {
            for (int k = 0; k < bl.rows; k++) {
                w[(int) bl.firstRow + k] = bl.values[k];
            }
        });
        try {
            return Weights.of(w);
        } catch (IllegalArgumentException e) {
            throw new BadInputException(option + " " + file + ": " + e.getMessage());
        }
    }

}
