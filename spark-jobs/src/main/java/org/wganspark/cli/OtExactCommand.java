package org.wganspark.cli;

import com.typesafe.config.Config;
import java.util.Map;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.SparkSession;
import org.wganspark.io.Json;
import org.wganspark.io.OutputTarget;
import org.wganspark.ot.Status;
import org.wganspark.ot.exact.Certificate;
import org.wganspark.ot.exact.ExactResult;
import org.wganspark.ot.exact.SparsePlan;
import org.wganspark.ot.spark.ExactOt;
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

    @Mixin
    ExactSettings solver;

    @Option(names = "--local-pricing", description = "Price in the driver JVM's threads instead of Spark tasks.")
    boolean localPricing;

    @Override
    protected Map<String, Object> optionKeys() {
        return Map.of();
    }

    @Override
    public Integer call() {
        Config config = config();
        solver.check();
        inputs.check(config, namedDatasets(false), metric.ground());
        OutputTarget plan = planOut == null ? null : claimOutput(planOut, "--plan-out", inputs.x, inputs.y, inputs.weightsX, inputs.weightsY);
        SparkSession spark = spark(config);
        JavaSparkContext sc = SparkRuntime.context(spark);
        OtInputs.Loaded in = inputs.load(sc, err(), "[ot exact]");
        long solveStart = System.nanoTime();
        ExactResult r = ExactOt.solve(sc, in.a(), in.x(), in.b(), in.y(), in.metric(), solver.options(), localPricing,
                line -> err().println("[ot exact] " + line));
        double solveSeconds = (System.nanoTime() - solveStart) / 1e9;
        if (plan != null && r.plan() != null) {
            SparsePlan entries = r.plan().unmerge(in.mergedX(), in.mergedY());
            PlanWriter.write(spark, entries, plan);
            err().println("[ot exact] plan (" + entries.size() + " nonzeros) -> " + planOut);
        }
        Json json = new Json().put("command", "ot exact").put("x", inputs.x).put("y", inputs.y).put("n", in.n()).put("m", in.m()).put("d", in.x().d())
                .put("metric", metric.metric).put("precision", in.precision()).put("status", r.status().name()).put("cost", r.cost()).put("iterations", r.pivots())
                .put("distinct_x", in.x().n()).put("distinct_y", in.y().n()).put("rounds", r.rounds()).put("arcs", r.arcs());
        if (r.certificate() != null) {
            json.put("certificate", new Json.RawJson(certificate(r.certificate()).toString()));
        }
        json.put("seconds_load", in.loadSeconds()).put("seconds_solve", solveSeconds);
        if (planOut != null) {
            json.put("plan", planOut);
        }
        out().println(json);
        return r.status() == Status.OPTIMAL ? ExitCodes.OK : r.status() == Status.MAX_ITERATIONS ? ExitCodes.NOT_CONVERGED : ExitCodes.FAILED;
    }

    static Json certificate(Certificate c) {
        return new Json().put("max_violation", c.maxViolation()).put("slackness_residual", c.slacknessResidual()).put("relative_gap", c.relativeGap())
                .put("marginal_error", c.marginalError()).put("pairs_checked", c.pairsChecked());
    }
}
