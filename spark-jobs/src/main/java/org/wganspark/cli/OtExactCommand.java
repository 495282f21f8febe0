package org.wganspark.cli;

import com.typesafe.config.Config;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.SparkSession;
import org.wganspark.io.BadInputException;
import org.wganspark.io.Json;
import org.wganspark.io.OutputTarget;
import org.wganspark.ot.Status;
import org.wganspark.ot.Weights;
import org.wganspark.ot.cost.Deduplicated;
import org.wganspark.ot.cost.PairwiseCost;
import org.wganspark.ot.cost.PointSet;
import org.wganspark.ot.exact.Certificate;
import org.wganspark.ot.exact.ExactOptions;
import org.wganspark.ot.exact.ExactResult;
import org.wganspark.ot.exact.ShortlistSolver;
import org.wganspark.ot.exact.SparsePlan;
import org.wganspark.ot.spark.DistributedPricing;
import org.wganspark.spark.SparkRuntime;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "exact", mixinStandardHelpOptions = true, sortOptions = false,
        header = "Exact OT cost between two point sets, certified by dual potentials over all pairs.",
        footer = {"", "Example: wgan-spark ot exact --x runs/fig5/generated-0002000.npy --y fashion-mnist --y-split train --patch 7 --stride 7"},
        description = {"Exact OT cost between two point sets, with a dual certificate: the largest u_i + v_j - c_ij over",
                "all n x m pairs and the duality gap. Column generation over a shortlist of arcs: no n x m matrix;",
                "the pricing passes run on the Spark executors. Prints one JSON line; progress goes to stderr.",
                "Exit 0 when optimal and certified, 3 when a limit stopped it first."})
final class OtExactCommand extends JobCommand {

    @Mixin
    OtInputs inputs;

    @Mixin
    MetricOption metric;

    @Option(names = "--plan-out", paramLabel = "PATH", description = "Write the sparse optimal plan as Parquet (i, j, mass) to this Hadoop path (default none). Merged "
            + "duplicates are split back, so every point has its own marginal.")
    String planOut;

    @Option(names = "--candidates", defaultValue = "8", description = "Nearest neighbours per row and column in the first shortlist (default ${DEFAULT-VALUE}).")
    int candidates;

    @Option(names = "--add-per-row", defaultValue = "32", description = "Most violated pairs added per row and round (default ${DEFAULT-VALUE}).")
    int addPerRow;

    @Option(names = "--no-sampled-start", description = "Start from the nearest neighbours alone, without the duals of a random "
            + "subproblem (--dense-limit pairs, solved on the driver) to rank the first shortlist.")
    boolean noSampledStart;

    @Option(names = "--max-rounds", defaultValue = "100", description = "Pricing rounds before giving up (default ${DEFAULT-VALUE}).")
    int maxRounds;

    @Option(names = "--dense-limit", defaultValue = "25000000", paramLabel = "PAIRS",
            description = "Up to this many pairs (n x m) the cost matrix is computed once and kept in the driver, and pricing scans it; "
                    + "above, pricing bounds pairs by projection and runs on the executors (default ${DEFAULT-VALUE}, 200 MB; 0: never keep it).")
    long denseLimit;

    @Option(names = "--local-pricing", description = "Price in the driver JVM's threads instead of Spark tasks.")
    boolean localPricing;

    @Override
    protected Map<String, Object> optionKeys() {
        return new HashMap<>();
    }

    @Override
    public Integer call() {
        Config config = config();
        if (candidates < 1 || addPerRow < 1 || maxRounds < 1) {
            throw new BadInputException("--candidates, --add-per-row and --max-rounds must be positive");
        }
        if (denseLimit < 0) {
            throw new BadInputException("--dense-limit must be >= 0, found " + denseLimit);
        }
        inputs.check(config, namedDatasets(false), metric.ground());
        OutputTarget plan = planOut == null ? null : claimOutput(planOut, "--plan-out", inputs.x, inputs.y, inputs.weightsX, inputs.weightsY);
        SparkSession spark = spark(config);
        JavaSparkContext sc = SparkRuntime.context(spark);
        OtInputs.Loaded in = inputs.load(sc, err(), "[ot exact]");
        Deduplicated mx = in.mergedX();
        Deduplicated my = in.mergedY();
        PointSet sx2 = in.x();
        PointSet sy2 = in.y();
        Weights wa = in.a();
        Weights wb = in.b();
        ExactOptions options = new ExactOptions(Long.MAX_VALUE, 1e-12, candidates, addPerRow, maxRounds, denseLimit, !noSampledStart);
        long solveStart = System.nanoTime();
        List<DistributedPricing> opened = new ArrayList<>();
        ExactResult r;
        try {
            r = ShortlistSolver.solve(wa, wb, new PairwiseCost(sx2, sy2, in.metric()), options, line -> err().println("[ot exact] " + line),
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
        if (plan != null && r.plan() != null) {
            SparsePlan entries = r.plan().unmerge(mx, my);
            PlanWriter.write(spark, entries, plan);
            err().println("[ot exact] plan (" + entries.size() + " nonzeros) -> " + planOut);
        }
        Certificate c = r.certificate();
        Json json = new Json().put("command", "ot exact").put("x", inputs.x).put("y", inputs.y).put("n", in.n()).put("m", in.m()).put("d", sx2.d())
                .put("metric", metric.metric).put("precision", in.precision()).put("status", r.status().name()).put("cost", r.cost()).put("iterations", r.pivots())
                .put("distinct_x", sx2.n()).put("distinct_y", sy2.n()).put("rounds", r.rounds()).put("arcs", r.arcs());
        if (c != null) {
            json.put("certificate", new Json.RawJson(new Json().put("max_violation", c.maxViolation())
                    .put("slackness_residual", c.slacknessResidual()).put("relative_gap", c.relativeGap())
                    .put("marginal_error", c.marginalError()).put("pairs_checked", c.pairsChecked()).toString()));
        }
        json.put("seconds_load", in.loadSeconds()).put("seconds_solve", solveSeconds);
        if (planOut != null) {
            json.put("plan", planOut);
        }
        out().println(json);
        return r.status() == Status.OPTIMAL ? ExitCodes.OK : r.status() == Status.MAX_ITERATIONS ? ExitCodes.NOT_CONVERGED : ExitCodes.FAILED;
    }
}
