package org.wganspark.cli;

import com.typesafe.config.Config;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.SparkSession;
import org.wganspark.io.BadInputException;
import org.wganspark.io.Json;
import org.wganspark.io.OutputTarget;
import org.wganspark.ot.Status;
import org.wganspark.ot.Weights;
import org.wganspark.ot.cost.PairwiseCost;
import org.wganspark.ot.cost.PointSet;
import org.wganspark.ot.entropic.CostScale;
import org.wganspark.ot.entropic.Sinkhorn;
import org.wganspark.ot.entropic.SinkhornOptions;
import org.wganspark.ot.entropic.SinkhornResult;
import org.wganspark.ot.entropic.Sweep;
import org.wganspark.ot.entropic.TopPlan;
import org.wganspark.ot.exact.SparsePlan;
import org.wganspark.ot.spark.DistributedSinkhorn;
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

    @Option(names = "--epsilon", defaultValue = "0.05", description = "Regularization, in units of --epsilon-of (default ${DEFAULT-VALUE}).")
    double epsilon;

    @Option(names = "--epsilon-of", defaultValue = "median", description = "median or max (of the cost over 10^5 seeded pairs), "
            + "or absolute (default ${DEFAULT-VALUE}).")
    String epsilonOf;

    @Option(names = "--tolerance", defaultValue = "1e-6", description = "Stop at this L1 marginal error (default ${DEFAULT-VALUE}).")
    double tolerance;

    @Option(names = "--max-iterations", defaultValue = "10000", description = "Iterations over all epsilon stages (default ${DEFAULT-VALUE}).")
    int maxIterations;

    @Option(names = "--scaling", defaultValue = "0.5", description = "Epsilon scaling factor per stage, from the largest cost "
            + "down to epsilon; 1 = none (default ${DEFAULT-VALUE}).")
    double scaling;

    @Option(names = "--symmetric", description = "Averaged (Jacobi) updates instead of alternating ones (local only).")
    boolean symmetric;

    @Option(names = "--divergence", description = "Also solve OT_eps(a, a) and OT_eps(b, b) and report the Sinkhorn divergence.")
    boolean divergence;

    @Option(names = "--float-costs", description = "Accumulate recomputed costs in float (relative error ~ d 2^-24; several times "
            + "faster for small d such as patches). Potentials and sums stay double.")
    boolean floatCosts;

    @Option(names = "--dense-limit", defaultValue = "25000000", paramLabel = "PAIRS", description = "Up to this many pairs the cost "
            + "matrix is kept on the driver (default ${DEFAULT-VALUE}, 200 MB; 0: always sweep blocks).")
    long denseLimit;

    @Option(names = "--local", description = "Sweep in the driver JVM's threads instead of Spark tasks.")
    boolean local;

    @Option(names = "--plan-out", paramLabel = "PATH", description = "Write the largest plan entries (--plan-top-k per row) as Parquet (i, j, mass) (default none); the "
            + "JSON line says which fraction of the mass they hold.")
    String planOut;

    @Option(names = "--plan-top-k", defaultValue = "8", description = "Plan entries kept per row for --plan-out (default ${DEFAULT-VALUE}).")
    int planTopK;

    @Override
    protected Map<String, Object> optionKeys() {
        return new HashMap<>();
    }

    @Override
    public Integer call() {
        Config config = config();
        if (!(epsilon > 0) || !(tolerance > 0) || maxIterations < 1 || !(scaling > 0 && scaling <= 1) || denseLimit < 0 || planTopK < 1) {
            throw new BadInputException("expected --epsilon > 0, --tolerance > 0, --max-iterations >= 1, 0 < --scaling <= 1, --dense-limit >= 0 "
                    + "and --plan-top-k >= 1; found " + epsilon + ", " + tolerance + ", " + maxIterations + ", " + scaling + ", " + denseLimit
                    + ", " + planTopK);
        }
        if (!List.of("median", "max", "absolute").contains(epsilonOf)) {
            throw new BadInputException("--epsilon-of: expected median, max or absolute, found '" + epsilonOf + "'");
        }
        inputs.check(config, namedDatasets(false), metric.ground());
        OutputTarget plan = planOut == null ? null : claimOutput(planOut, "--plan-out", inputs.x, inputs.y, inputs.weightsX, inputs.weightsY);
        SparkSession spark = spark(config);
        JavaSparkContext sc = SparkRuntime.context(spark);
        OtInputs.Loaded in = inputs.load(sc, err(), "[ot sinkhorn]");
        PairwiseCost cost = new PairwiseCost(in.x(), in.y(), in.metric());
        double eps = switch (epsilonOf) {
            case "median" -> epsilon * CostScale.quantile(cost, 0.5, 100_000, 7);
            case "max" -> epsilon * CostScale.quantile(cost, 1.0, 100_000, 7);
            default -> epsilon;
        };
        if (!(eps > 0)) {
            throw new BadInputException("--epsilon " + epsilon + " x the " + epsilonOf + " cost is " + eps + ": the sets coincide; use --epsilon-of absolute");
        }
        err().printf(Locale.ROOT, "[ot sinkhorn] epsilon %.6g%n", eps);
        SinkhornOptions options = SinkhornOptions.of(eps).withTolerance(tolerance).withMaxIterations(maxIterations).withScaling(scaling)
                .withSymmetric(symmetric).withDenseEntries(denseLimit).withFloatCosts(floatCosts);
        long solveStart = System.nanoTime();
        List<DistributedSinkhorn> opened = new ArrayList<>();
        SinkhornResult r;
        Double value = null;
        try {
            r = solve(sc, in.a(), in.x(), in.b(), in.y(), in, options, opened, "");
            if (divergence) {
                SinkhornResult xx = solve(sc, in.a(), in.x(), in.a(), in.x(), in, options, opened, "X-X: ");
                SinkhornResult yy = solve(sc, in.b(), in.y(), in.b(), in.y(), in, options, opened, "Y-Y: ");
                value = r.objective() - (xx.objective() + yy.objective()) / 2;
            }
        } finally {
            opened.forEach(DistributedSinkhorn::close);
        }
        double solveSeconds = (System.nanoTime() - solveStart) / 1e9;
        Double keptMass = null;
        if (plan != null) {
            double[][] top = TopPlan.of(in.a(), in.b(), cost, r, planTopK, 0);
            int size = top[0].length;
            int[] rows = new int[size];
            int[] cols = new int[size];
            for (int k = 0; k < size; k++) {
                rows[k] = (int) top[0][k];
                cols[k] = (int) top[1][k];
            }
            SparsePlan entries = new SparsePlan(rows, cols, top[2]).unmerge(in.mergedX(), in.mergedY());
            keptMass = entries.totalMass();
            PlanWriter.write(spark, entries, plan);
            err().printf(Locale.ROOT, "[ot sinkhorn] plan (%d entries, %.6f of the mass) -> %s%n", entries.size(), keptMass, planOut);
        }
        Json json = new Json().put("command", "ot sinkhorn").put("x", inputs.x).put("y", inputs.y).put("n", in.n()).put("m", in.m())
                .put("d", in.x().d()).put("distinct_x", in.x().n()).put("distinct_y", in.y().n()).put("metric", metric.metric)
                .put("precision", in.precision()).put("epsilon", eps).put("status", r.status().name()).put("cost", r.transportCost()).put("objective", r.objective());
        if (value != null) {
            json.put("divergence", value);
        }
        json.put("iterations", r.iterations()).put("marginal_error", r.marginalError()).put("float_costs", floatCosts)
                .put("seconds_load", in.loadSeconds()).put("seconds_solve", solveSeconds);
        if (planOut != null) {
            json.put("plan", planOut).put("plan_mass", keptMass);
        }
        out().println(json);
        return r.status() == Status.CONVERGED ? ExitCodes.OK : ExitCodes.NOT_CONVERGED;
    }

    private SinkhornResult solve(JavaSparkContext sc, Weights a, PointSet x, Weights b, PointSet y, OtInputs.Loaded in, SinkhornOptions options,
                                 List<DistributedSinkhorn> opened, String label) {
        PairwiseCost cost = new PairwiseCost(x, y, in.metric());
        java.util.function.Consumer<String> progress = line -> err().println("[ot sinkhorn] " + label + line);
        boolean kept = (long) x.n() * y.n() <= options.denseEntries();
        if (local || kept || options.symmetric()) {
            return Sinkhorn.solve(a, b, cost, options, progress);
        }
        return Sinkhorn.solveWith(a, b, cost, options, progress, logA -> {
            DistributedSinkhorn d = new DistributedSinkhorn(sc, x, y, in.metric(), options.floatCosts(), logA, Math.max(sc.defaultParallelism() * 2, 1));
            opened.add(d);
            return d;
        });
    }
}
