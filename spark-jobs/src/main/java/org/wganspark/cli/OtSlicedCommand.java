package org.wganspark.cli;

import com.typesafe.config.Config;
import java.util.HashMap;
import java.util.Map;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.SparkSession;
import org.wganspark.io.BadInputException;
import org.wganspark.io.Json;
import org.wganspark.ot.sliced.Sliced;
import org.wganspark.ot.sliced.SlicedResult;
import org.wganspark.ot.spark.DistributedSliced;
import org.wganspark.spark.SparkRuntime;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "sliced", mixinStandardHelpOptions = true, sortOptions = false,
        header = "Sliced distances: SWD, its spread, an upper bound on W1 and a max-sliced estimate.",
        footer = {"", "Example: wgan-spark ot sliced --x fashion-mnist --y fashion-mnist --patch 7 --stride 7 --swd-only"},
        description = {"Sliced distances between two point sets over seeded random directions, each an exact 1-D OT problem",
                "(any sizes and weights): SWD (mean 1-D W1), its spread, the full-dimensional upper bound on W1 (the cost",
                "of each direction's 1-D plan, mean and best) and a max-sliced estimate (best direction refined by",
                "gradient ascent). Points are read and patches extracted on the executors; the slices run on the driver's",
                "cores, or, with --swd-only, the SWD alone by a distributed sort. Prints one JSON line."})
final class OtSlicedCommand extends JobCommand {

    @Mixin
    OtInputs inputs;

    @Option(names = "--directions", defaultValue = "128", description = "Random directions (default ${DEFAULT-VALUE}, as the DiscreteGANs code).")
    int directions;

    @Option(names = "--seed", defaultValue = "0", description = "Seed of the directions (default ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--swd-only", description = "Only the SWD, by a distributed sort of all projections: the points stay on the "
            + "executors (for sets too large for the driver). Identical points are not merged; weights apply per row.")
    boolean swdOnly;

    @Override
    protected Map<String, Object> optionKeys() {
        return new HashMap<>();
    }

    @Override
    public Integer call() {
        Config config = config();
        if (directions < 1) {
            throw new BadInputException("--directions must be positive, found " + directions);
        }
        inputs.check(config, namedDatasets(false), org.wganspark.ot.cost.Metric.EUCLIDEAN);
        SparkSession spark = spark(config);
        JavaSparkContext sc = SparkRuntime.context(spark);
        if (swdOnly) {
            return swdOnly(sc);
        }
        OtInputs.Loaded in = inputs.load(sc, err(), "[ot sliced]");
        long start = System.nanoTime();
        SlicedResult r = Sliced.compute(in.a(), in.x(), in.b(), in.y(), directions, seed);
        double seconds = (System.nanoTime() - start) / 1e9;
        out().println(new Json().put("command", "ot sliced").put("x", inputs.x).put("y", inputs.y).put("n", in.n()).put("m", in.m())
                .put("d", in.x().d()).put("metric", "euclidean").put("precision", in.precision()).put("directions", directions).put("seed", seed).put("swd", r.swd())
                .put("swd_spread", r.swdSpread()).put("upper_bound", r.upperBound()).put("best_upper_bound", r.bestUpperBound())
                .put("max_sliced", r.maxSliced()).put("seconds_load", in.loadSeconds()).put("seconds_solve", seconds));
        return ExitCodes.OK;
    }

    private int swdOnly(JavaSparkContext sc) {
        long start = System.nanoTime();
        OtInputs.Blocks bx = inputs.blocks(sc, true);
        OtInputs.Blocks by = inputs.blocks(sc, false);
        try {
            int partitions = Math.max(sc.defaultParallelism() * 4, 1);
            double[] w1 = DistributedSliced.perDirection(sc, bx.rows(), bx.count(), bx.weights(), by.rows(), by.count(), by.weights(),
                    bx.dimension(), directions, seed, partitions);
            double mean = java.util.Arrays.stream(w1).average().orElse(0);
            double spread = Math.sqrt(java.util.Arrays.stream(w1).map(v -> (v - mean) * (v - mean)).sum() / Math.max(1, directions - 1));
            out().println(new Json().put("command", "ot sliced").put("x", inputs.x).put("y", inputs.y).put("n", bx.count()).put("m", by.count())
                    .put("d", bx.dimension()).put("metric", "euclidean")
                    .put("precision", bx.precision().equals("float64") || by.precision().equals("float64") ? "float64" : "float32")
                    .put("directions", directions).put("seed", seed).put("swd", mean)
                    .put("swd_spread", spread).put("seconds_solve", (System.nanoTime() - start) / 1e9));
            return ExitCodes.OK;
        } finally {
            bx.loaded().blocks().unpersist(false);
            by.loaded().blocks().unpersist(false);
        }
    }
}
