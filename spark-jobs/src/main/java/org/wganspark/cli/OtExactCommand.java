package org.wganspark.cli;

import com.typesafe.config.Config;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.wganspark.data.BadInputException;
import org.wganspark.data.DataSpec;
import org.wganspark.data.Datasets;
import org.wganspark.data.FloatBlock;
import org.wganspark.data.NamedDatasets;
import org.wganspark.data.Patches;
import org.wganspark.data.RowSource;
import org.wganspark.ot.DistributedPricing;
import org.wganspark.ot.PointSets;
import org.wganspark.ot.Status;
import org.wganspark.ot.Weights;
import org.wganspark.ot.cost.Deduplicated;
import org.wganspark.ot.cost.Metric;
import org.wganspark.ot.cost.PairwiseCost;
import org.wganspark.ot.cost.PointSet;
import org.wganspark.ot.exact.Certificate;
import org.wganspark.ot.exact.ExactOptions;
import org.wganspark.ot.exact.ExactResult;
import org.wganspark.ot.exact.ShortlistSolver;
import org.wganspark.runtime.AtomicOutput;
import org.wganspark.runtime.SparkRuntime;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "exact", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Exact OT cost between two point sets, with a dual certificate: the largest u_i + v_j - c_ij over",
                "all n x m pairs and the duality gap. Column generation over a shortlist of arcs: no n x m matrix;",
                "the pricing passes run on the Spark executors. Prints one JSON line; progress goes to stderr.",
                "Exit 0 when optimal and certified, 3 when a limit stopped it first."})
final class OtExactCommand extends JobCommand {

    @Option(names = "--x", required = true, paramLabel = "SOURCE", description = "First set: mnist, fashion-mnist, or a path (IDX, .npy, npy folder, image folder).")
    String x;

    @Option(names = "--y", required = true, paramLabel = "SOURCE", description = "Second set, same kinds.")
    String y;

    @Option(names = "--x-split", defaultValue = "train", description = "Split of a named --x (default ${DEFAULT-VALUE}).")
    String xSplit;

    @Option(names = "--y-split", defaultValue = "test", description = "Split of a named --y (default ${DEFAULT-VALUE}).")
    String ySplit;

    @Option(names = "--limit-x", defaultValue = "0", paramLabel = "N", description = "First N rows of --x (default 0 = all).")
    long limitX;

    @Option(names = "--limit-y", defaultValue = "0", paramLabel = "N", description = "First N rows of --y (default 0 = all).")
    long limitY;

    @Option(names = "--metric", defaultValue = "euclidean", description = "euclidean (W1) or sqeuclidean (W2^2); default ${DEFAULT-VALUE}.")
    String metric;

    @Option(names = "--weights-x", paramLabel = "NPY", description = "Weights of --x: a .npy vector (n,), nonnegative, positive sum. Default uniform.")
    String weightsX;

    @Option(names = "--weights-y", paramLabel = "NPY", description = "Weights of --y, likewise.")
    String weightsY;

    @Option(names = "--patch", defaultValue = "0", paramLabel = "P", description = "Compare pooled P x P patch sets of both inputs instead of images (default 0 = images).")
    int patch;

    @Option(names = "--stride", defaultValue = "1", paramLabel = "S", description = "Patch stride (default ${DEFAULT-VALUE}).")
    int stride;

    @Option(names = "--plan-out", paramLabel = "PATH", description = "Write the sparse optimal plan as Parquet (i, j, mass) to this Hadoop path.")
    String planOut;

    @Option(names = "--candidates", defaultValue = "8", description = "Nearest neighbours per row and column in the first shortlist (default ${DEFAULT-VALUE}).")
    int candidates;

    @Option(names = "--add-per-row", defaultValue = "8", description = "Most violated pairs added per row and round (default ${DEFAULT-VALUE}).")
    int addPerRow;

    @Option(names = "--max-rounds", defaultValue = "100", description = "Pricing rounds before giving up (default ${DEFAULT-VALUE}).")
    int maxRounds;

    @Option(names = "--dense-limit", defaultValue = "25000000", paramLabel = "PAIRS",
            description = "Up to this many pairs (n x m) the cost matrix is computed once and kept in the driver, and pricing scans it; "
                    + "above, pricing bounds pairs by projection and runs on the executors (default ${DEFAULT-VALUE}, 200 MB; 0: never keep it).")
    long denseLimit;

    @Option(names = "--local-pricing", description = "Price in the driver JVM's threads instead of Spark tasks.")
    boolean localPricing;

    @Option(names = "--keep-duplicates", description = "Solve with identical points as separate points (by default they are merged "
            + "into one point carrying their mass: the same OT cost, a far less degenerate LP).")
    boolean keepDuplicates;

    @Override
    protected Map<String, Object> optionKeys() {
        return new HashMap<>();
    }

    @Override
    public Integer call() {
        Config config = config();
        Metric ground = switch (metric) {
            case "euclidean" -> Metric.EUCLIDEAN;
            case "sqeuclidean" -> Metric.SQEUCLIDEAN;
            default -> throw new BadInputException("--metric: expected euclidean or sqeuclidean, found '" + metric + "'");
        };
        if (candidates < 1 || addPerRow < 1 || maxRounds < 1) {
            throw new BadInputException("--candidates, --add-per-row and --max-rounds must be positive");
        }
        if (denseLimit < 0) {
            throw new BadInputException("--dense-limit must be >= 0, found " + denseLimit);
        }
        DataSpec base = DataSpec.fromConfig(config.getConfig("data"));
        NamedDatasets named = namedDatasets(false);
        Configuration hadoop = new Configuration();
        RowSource sx = Datasets.open(spec(base, x, xSplit, limitX), hadoop, named);
        RowSource sy = Datasets.open(spec(base, y, ySplit, limitY), hadoop, named);
        if (patch > 0) {
            Patches.geometry(sx.shape(), patch, stride);
            Patches.geometry(sy.shape(), patch, stride);
        }
        int dx = patch > 0 ? sx.shape().channels() * patch * patch : sx.shape().size();
        int dy = patch > 0 ? sy.shape().channels() * patch * patch : sy.shape().size();
        if (dx != dy) {
            throw new BadInputException("--x has dimension " + dx + " (" + sx.shape() + "), --y has dimension " + dy + " (" + sy.shape() + ")");
        }

        long started = System.nanoTime();
        SparkSession spark = spark(config);
        JavaSparkContext sc = SparkRuntime.context(spark);
        PointSet px = points(sc, sx, spec(base, x, xSplit, limitX), "--x " + x);
        PointSet py = points(sc, sy, spec(base, y, ySplit, limitY), "--y " + y);
        Weights a = weightsX == null ? Weights.uniform(px.n()) : weights(sc, weightsX, px.n(), "--weights-x");
        Weights b = weightsY == null ? Weights.uniform(py.n()) : weights(sc, weightsY, py.n(), "--weights-y");
        double loadSeconds = (System.nanoTime() - started) / 1e9;
        err().printf(Locale.ROOT, "[ot exact] %d x %d points of dimension %d loaded in %.1f s%n", px.n(), py.n(), px.d(), loadSeconds);

        Deduplicated mx = keepDuplicates ? null : Deduplicated.of(px, a);
        Deduplicated my = keepDuplicates ? null : Deduplicated.of(py, b);
        PointSet sx2 = mx == null ? px : mx.points();
        PointSet sy2 = my == null ? py : my.points();
        if (mx != null && (sx2.n() < px.n() || sy2.n() < py.n())) {
            err().printf(Locale.ROOT, "[ot exact] identical points merged: %d -> %d and %d -> %d distinct%n", px.n(), sx2.n(), py.n(), sy2.n());
        }
        Weights wa = mx == null ? a : mx.weights();
        Weights wb = my == null ? b : my.weights();
        ExactOptions options = new ExactOptions(Long.MAX_VALUE, 1e-12, candidates, addPerRow, maxRounds, denseLimit);
        long solveStart = System.nanoTime();
        List<DistributedPricing> opened = new ArrayList<>();
        ExactResult r;
        try {
            r = ShortlistSolver.solve(wa, wb, new PairwiseCost(sx2, sy2, ground), options, line -> err().println("[ot exact] " + line),
                    kernel -> {
                        if (localPricing) {
                            return kernel::priceInParallel;
                        }
                        DistributedPricing pricing = new DistributedPricing(sc, kernel, Math.max(sc.defaultParallelism() * 4, 1));
                        opened.add(pricing);
                        return pricing;
                    });
        } finally {
            opened.forEach(DistributedPricing::close);
        }
        double solveSeconds = (System.nanoTime() - solveStart) / 1e9;
        if (planOut != null && r.plan() != null) {
            writePlan(spark, r, mx == null ? null : mx.firstOf(), my == null ? null : my.firstOf(), planOut);
        }
        Certificate c = r.certificate();
        Json json = new Json().put("command", "ot exact").put("x", x).put("y", y).put("n", px.n()).put("m", py.n()).put("d", px.d())
                .put("metric", metric).put("status", r.status().name()).put("cost", r.cost()).put("iterations", r.pivots())
                .put("distinct_x", sx2.n()).put("distinct_y", sy2.n()).put("rounds", r.rounds()).put("arcs", r.arcs());
        if (c != null) {
            json.put("certificate", new Json.RawJson(new Json().put("max_violation", c.maxViolation())
                    .put("slackness_residual", c.slacknessResidual()).put("relative_gap", c.relativeGap())
                    .put("marginal_error", c.marginalError()).put("pairs_checked", c.pairsChecked()).toString()));
        }
        json.put("seconds_load", loadSeconds).put("seconds_solve", solveSeconds);
        if (planOut != null) {
            json.put("plan", planOut);
        }
        out().println(json);
        return r.status() == Status.OPTIMAL ? ExitCodes.OK : r.status() == Status.MAX_ITERATIONS ? ExitCodes.NOT_CONVERGED : ExitCodes.FAILED;
    }

    private static DataSpec spec(DataSpec base, String source, String split, long limit) {
        return new DataSpec(source, base.dir(), split, limit, base.transform(), base.blockRows(), base.partitions());
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

    private Weights weights(JavaSparkContext sc, String file, int expected, String option) {
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

    /** Plan rows and columns are original indices; merged points appear as their first occurrence. */
    private void writePlan(SparkSession spark, ExactResult r, int[] rowsOf, int[] colsOf, String target) {
        List<Row> rows = new ArrayList<>(r.plan().size());
        for (int k = 0; k < r.plan().size(); k++) {
            int i = r.plan().row()[k];
            int j = r.plan().col()[k];
            rows.add(RowFactory.create(rowsOf == null ? i : rowsOf[i], colsOf == null ? j : colsOf[j], r.plan().mass()[k]));
        }
        StructType schema = new StructType().add("i", DataTypes.IntegerType, false).add("j", DataTypes.IntegerType, false)
                .add("mass", DataTypes.DoubleType, false);
        Configuration hadoop = spark.sparkContext().hadoopConfiguration();
        Path targetPath = new Path(target);
        Path staging = AtomicOutput.stagingDirectory(targetPath, hadoop);
        spark.createDataFrame(rows, schema).coalesce(1).write().mode("overwrite").parquet(staging.toString());
        AtomicOutput.commitDirectory(staging, targetPath, hadoop);
        err().println("[ot exact] plan (" + r.plan().size() + " nonzeros) -> " + target);
    }
}
