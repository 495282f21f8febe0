package org.wganspark.cli;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigRenderOptions;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.hadoop.fs.Path;
import org.apache.spark.api.java.JavaSparkContext;
import org.wganspark.eval.Outputs;
import org.wganspark.experiment.W1FeRun;
import org.wganspark.io.OutputTarget;
import org.wganspark.spark.SparkRuntime;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "w1fe", mixinStandardHelpOptions = true, sortOptions = false,
        header = "W1-FE (Malik & Huang): forward Euler on the W1 gradient flow, one run per persistency level K.",
        footer = {"", "Example: wgan-spark w1fe --config conf/w1fe-ring.conf --k 1,5 --out runs/w1fe-ring"},
        description = {"W1-FE (Malik & Huang): forward Euler on the W1 gradient flow with persistent training. One run per",
                "persistency level K (w1fe.k; K = 1 is WGAN), all from the same initial networks and seed. Every w1fe.log-every",
                "outer steps: exact W1 of w1fe.eval-samples generated points against the first w1fe.eval-rows data rows (and,",
                "for images, exact W1 between their patches). Writes metrics.csv, w1.png (W1 against critic updates and",
                "against wall time, one curve per K), samples-k<K>.png and the logged generated sets,",
                "k<K>/generated-NNNNNNN.npy (N critic updates), which `eval score --runs` scores, to the run folder."})
final class W1FeCommand extends JobCommand {

    @Mixin
    OutOption output;

    @Option(names = "--k", paramLabel = "K[,K...]", split = ",", description = "Persistency levels (key w1fe.k; default 1,2,5,10), e.g. --k 1,5.")
    List<Integer> k;

    @Option(names = "--outer-steps", paramLabel = "N", description = "Outer steps per run (key w1fe.outer-steps; default 200).")
    Integer outerSteps;

    @Option(names = "--engine", paramLabel = "E", description = "local | averaging | dl4j (key w1fe.engine; default local).")
    String engine;

    @Override
    protected Map<String, Object> optionKeys() {
        Map<String, Object> keys = new LinkedHashMap<>();
        keys.put("out", output.out);
        keys.put("w1fe.k", k);
        keys.put("w1fe.outer-steps", outerSteps);
        keys.put("w1fe.engine", engine);
        return keys;
    }

    @Override
    public Integer call() throws Exception {
        Config config = config();
        W1FeRun.Plan plan = W1FeSettings.plan(config, namedDatasets(false), err());
        OutputTarget target = claimOutput(outDir(config), "--out", plan.data().source());
        Map<String, String> required = plan.engine().equals("dl4j") ? Map.of("spark.serializer", "org.apache.spark.serializer.JavaSerializer") : Map.of();
        JavaSparkContext sc = SparkRuntime.context(spark(config, required));
        // the run is written into a staging folder and committed whole at the end
        try (OutputTarget.Staging staging = target.stage()) {
            Outputs.writeText(new Path(staging.path(), "config.conf"), config.root().render(ConfigRenderOptions.concise().setFormatted(true)
                    .setJson(false)) + "\n", sc.hadoopConfiguration());
            var result = new W1FeRun(plan, err()).run(sc, staging.path()).put("out", target.toString());
            staging.commit();
            out().println(result);
            return ExitCodes.OK;
        }
    }
}
