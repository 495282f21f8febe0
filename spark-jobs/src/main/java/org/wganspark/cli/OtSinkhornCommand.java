package org.wganspark.cli;

import com.typesafe.config.Config;
import java.util.Locale;
import java.util.Map;
import org.apache.spark.sql.SparkSession;
import org.wganspark.io.BadInputException;
import org.wganspark.io.Json;
import org.wganspark.io.OutputTarget;
import org.wganspark.ot.Status;
import org.wganspark.ot.cost.PairwiseCost;
import org.wganspark.ot.entropic.SinkhornOptions;
import org.wganspark.ot.entropic.SinkhornResult;
import org.wganspark.ot.entropic.TopPlan;
import org.wganspark.ot.exact.SparsePlan;
import org.wganspark.ot.spark.EntropicOt;
import org.wganspark.spark.SparkRuntime;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "sinkhorn", mixinStandardHelpOptions = true, sortOptions = false,
        header = "Entropic OT (log-domain Sinkhorn): <P, C>, the entropic objective, optionally the Sinkhorn divergence.",
        footer = {"", "Example: wgan-spark ot sinkhorn --x fashion-mnist --y fashion-mnist --limit-x 5000 --limit-y 5000 --divergence"},
        description = {"Entropic OT between two point sets: log-domain Sinkhorn with epsilon scaling, stopping on the L1",
                "marginal error. Small problems keep the cost matrix on the driver; large ones sweep row blocks of X on",
                "the executors (Y and the potentials broadcast), never holding the n x m matrix. Prints one JSON line",
                "(<P, C>, the entropic objective, optionally the Sinkhorn divergence); progress goes to stderr.",
                "Exit 0 when the tolerance was met, 3 when --max-iterations stopped it first."})
final class OtSinkhornCommand extends JobCommand {

    @Mixin
    OtInputs inputs;

    @Mixin
    MetricOption metric;

    @Mixin
    SinkhornSettings solver;

    @Option(names = "--divergence", description = "Also solve OT_eps(a, a) and OT_eps(b, b) and report the Sinkhorn divergence.")
    boolean divergence;

    @Option(names = "--local", description = "Sweep in the driver JVM's threads instead of Spark tasks.")
    boolean local;

    @Option(names = "--plan-out", paramLabel = "PATH", description = "Write the largest plan entries (--plan-top-k per row) as Parquet (i, j, mass) (default none); the "
            + "JSON line says which fraction of the mass they hold.")
    String planOut;

    @Option(names = "--plan-top-k", defaultValue = "8", description = "Plan entries kept per row for --plan-out (default ${DEFAULT-VALUE}).")
    int planTopK;

    @Override
    protected Map<String, Object> optionKeys() {
        return Map.of();
    }

    @Override
    public Integer call() {
        Config config = config();
        solver.check();
        if (planTopK < 1) {
            throw new BadInputException("--plan-top-k: expected at least 1, found " + planTopK);
        }
        inputs.check(config, namedDatasets(false), metric.ground());
        OutputTarget plan = planOut == null ? null : claimOutput(planOut, "--plan-out", inputs.x, inputs.y, inputs.weightsX, inputs.weightsY);
        SparkSession spark = spark(config);
        OtInputs.Loaded in = inputs.load(SparkRuntime.context(spark), err(), "[ot sinkhorn]");
        PairwiseCost cost = new PairwiseCost(in.x(), in.y(), in.metric());
        double eps = solver.epsilonFor(cost);
        err().printf(Locale.ROOT, "[ot sinkhorn] epsilon %.6g%n", eps);
        SinkhornOptions options = solver.options(eps);
        long solveStart = System.nanoTime();
        SinkhornResult r;
        Double value = null;
        try (EntropicOt ot = new EntropicOt(SparkRuntime.context(spark), local, line -> err().println("[ot sinkhorn] " + line))) {
            r = ot.solve(in.a(), in.x(), in.b(), in.y(), in.metric(), options, "");
            value = divergence ? ot.divergence(r, in.a(), in.x(), in.b(), in.y(), in.metric(), options) : null;
        }
        double solveSeconds = (System.nanoTime() - solveStart) / 1e9;
        Json json = new Json().put("command", "ot sinkhorn").put("x", inputs.x).put("y", inputs.y).put("n", in.n()).put("m", in.m())
                .put("d", in.x().d()).put("distinct_x", in.x().n()).put("distinct_y", in.y().n()).put("metric", metric.metric)
                .put("precision", in.precision()).put("epsilon", eps).put("status", r.status().name()).put("cost", r.transportCost()).put("objective", r.objective());
        if (value != null) {
            json.put("divergence", value);
        }
        json.put("iterations", r.iterations()).put("marginal_error", r.marginalError()).put("float_costs", solver.floatCosts)
                .put("seconds_load", in.loadSeconds()).put("seconds_solve", solveSeconds);
        if (plan != null) {
            SparsePlan entries = TopPlan.of(in.a(), in.b(), cost, r, planTopK, 0).unmerge(in.mergedX(), in.mergedY());
            PlanWriter.write(spark, entries, plan);
            err().printf(Locale.ROOT, "[ot sinkhorn] plan (%d entries, %.6f of the mass) -> %s%n", entries.size(), entries.totalMass(), planOut);
            json.put("plan", planOut).put("plan_mass", entries.totalMass());
        }
        out().println(json);
        return r.status() == Status.CONVERGED ? ExitCodes.OK : ExitCodes.NOT_CONVERGED;
    }
}
