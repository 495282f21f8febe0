package org.wganspark.cli;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigFactory;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;
import org.wganspark.data.DataSpec;
import org.wganspark.data.NamedDatasets;
import org.wganspark.eval.EvalMetric;
import org.wganspark.eval.EvalSettings;
import org.wganspark.experiment.EvalJob;
import org.wganspark.io.BadInputException;
import org.wganspark.io.Json;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "score", mixinStandardHelpOptions = true, sortOptions = false,
        header = "Score every new logged step of every run against the whole reference; append to a Parquet table.",
        footer = {"", "Example: wgan-spark eval score --runs 'runs/*' --table runs/scores --metrics image-w1,swd",
                "Cluster: spark-submit --class org.wganspark.cli.Main wgan-spark.jar eval score --runs 'hdfs:///runs/*' --table hdfs:///scores"},
        description = {"Scores every (generated set, metric, parameters, reference) that the table does not hold yet and appends the rows,",
                "one batch per generated set, written whole (a killed job leaves the table as it was; the next completes the work).",
                "Nothing new: it does nothing and says so. A lock beside the table refuses a second job (exit 5). The reference's",
                "loading, patch extraction and merging are cached beside the table. Prints one JSON line: rows added, skipped,",
                "failed and the seconds spent. A set that cannot be read is named in one line and skipped; the exit code is then 2."})
final class EvalScoreCommand extends JobCommand {

    @Option(names = "--runs", required = true, arity = "1..*", paramLabel = "PATH",
            description = "Run folders of train (their generated-NNNNNNN.npy), globs of them (quote them), or generated sets (.npy, a folder of "
                    + ".npy parts or of images), on any Hadoop path.")
    List<String> runs;

    @Option(names = "--reference", paramLabel = "SOURCE", description = "The reference: a named dataset or a path (key eval.reference.source; "
            + "default the runs' own dataset, train split, all images).")
    String reference;

    @Option(names = "--table", required = true, paramLabel = "PATH", description = "The score table: a folder of Parquet batches (made if absent).")
    String table;

    @Option(names = "--metrics", paramLabel = "A,B", description = "Metrics to score (key eval.metrics; default "
            + "image-w1,patch-w1,swd,w1-upper-bound,local-patch-swd,memorization; also patch-sinkhorn).")
    String metrics;

    @Override
    protected Map<String, Object> optionKeys() {
        Map<String, Object> keys = new LinkedHashMap<>();
        keys.put("eval.reference.source", reference);
        keys.put("eval.metrics", metrics);
        return keys;
    }

    @Override
    public Integer call() {
        Config config = config();
        Config eval = config.getConfig("eval");
        EvalSettings settings = settings(eval);
        Configuration hadoop = new Configuration();
        DataSpec referenceSpec = referenceSpec(config, hadoop);
        DataSpec heldOut = heldOut(eval, referenceSpec);
        double stale = eval.getDouble("lock-stale-minutes");
        if (!(stale > 0)) {
            throw new BadInputException("eval.lock-stale-minutes: expected a positive number, found " + stale);
        }
        EvalJob job = new EvalJob(spark(config), namedDatasets(false), line -> err().println("[eval score] " + line));
        EvalJob.Outcome o = job.run(new EvalJob.Request(runs, referenceSpec, heldOut, table, settings, stale));
        out().println(new Json().put("command", "eval score").put("table", table).put("reference", o.reference()).put("sets", o.sets())
                .put("added", o.added()).put("skipped", o.skipped()).put("failed", o.failures().size()).put("cache", o.cache())
                .put("seconds", o.seconds()));
        for (String failure : o.failures()) {
            err().println("wgan-spark: " + failure);
        }
        return o.failures().isEmpty() ? ExitCodes.OK : ExitCodes.BAD_INPUT;
    }

    static EvalSettings settings(Config eval) {
        List<EvalMetric> list = EvalMetric.list(eval.getString("metrics"), "eval.metrics");
        int p = eval.getInt("patch-size");
        int s = eval.getInt("patch-stride");
        if (p < 1 || s < 1) {
            throw new BadInputException("eval.patch-size and eval.patch-stride: expected positive sizes, found " + p + " and " + s);
        }
        double epsilon = eval.getDouble("epsilon");
        int directions = eval.getInt("directions");
        double copyRatio = eval.getDouble("copy-ratio");
        if (!(epsilon > 0) || directions < 1 || !(copyRatio > 0 && copyRatio <= 1)) {
            throw new BadInputException("eval.epsilon, eval.directions, eval.copy-ratio: expected epsilon > 0, directions >= 1, 0 < ratio <= 1, found "
                    + epsilon + ", " + directions + ", " + copyRatio);
        }
        return new EvalSettings(list, p, s, epsilon, directions, eval.getLong("seed"), copyRatio, !eval.getString("floor").equals("none"));
    }

    /** --reference, or the dataset the runs were trained on (their config.conf), or fashion-mnist. */
    private DataSpec referenceSpec(Config config, Configuration hadoop) {
        Config ref = config.getConfig("eval.reference");
        String source = ref.getString("source");
        DataSpec data = Specs.data(config);
        if (source.isEmpty()) {
            Set<String> seen = runDatasets(hadoop);
            if (seen.size() > 1) {
                throw new BadInputException("--runs: the runs were trained on different datasets " + seen + "; pass --reference");
            }
            source = seen.isEmpty() ? "fashion-mnist" : seen.iterator().next();
        }
        return data.with(source, ref.getString("split"), ref.getLong("limit"));
    }

    /** The data.source of each run folder's config.conf among --runs. */
    private Set<String> runDatasets(Configuration hadoop) {
        Set<String> sources = new LinkedHashSet<>();
        for (Path conf : EvalJob.runConfigs(runs, hadoop)) {
            try (var in = conf.getFileSystem(hadoop).open(conf)) {
                Config saved = ConfigFactory.parseString(new String(in.readAllBytes(), StandardCharsets.UTF_8));
                if (saved.hasPath("data.source")) {
                    sources.add(saved.getString("data.source"));
                }
            } catch (ConfigException e) {
                throw new BadInputException(conf + ": unreadable config (" + e.getMessage() + ")");
            } catch (IOException e) {
                throw new UncheckedIOException("reading " + conf + ": " + e.getMessage(), e);
            }
        }
        return sources;
    }

    /** The floor's held-out images: eval.floor, or the test split of a named dataset's train split. */
    private static DataSpec heldOut(Config eval, DataSpec reference) {
        String floor = eval.getString("floor");
        if (floor.equals("none")) {
            return null;
        }
        if (floor.isEmpty()) {
            return NamedDatasets.isNamed(reference.source()) && reference.split().equals("train") ? reference.with(reference.source(), "test", 0) : null;
        }
        return reference.with(floor, "test", 0);
    }
}
