package org.wganspark.cli;

import com.typesafe.config.Config;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.apache.hadoop.conf.Configuration;
import org.apache.spark.sql.SparkSession;
import org.wganspark.data.NamedDatasets;
import org.wganspark.data.RingSource;
import org.wganspark.io.OutputTarget;
import org.wganspark.spark.SparkRuntime;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** Base of the commands that run Spark jobs: config, session, output folder, where lines go. */
abstract class JobCommand implements Callable<Integer> {

    @Mixin
    CommonOptions common;

    @Spec
    CommandSpec spec;

    /** Keys set by this command's own options; null values are left out. */
    protected abstract Map<String, Object> optionKeys();

    protected Config config() {
        return ExperimentConfig.withDefaults(explicitConfig(), common.config);
    }

    /** The keys the user gave (config file, options, overrides), without the schema's defaults. */
    protected Config explicitConfig() {
        Map<String, Object> keys = new LinkedHashMap<>();
        optionKeys().forEach((k, v) -> {
            if (v != null) {
                keys.put(k, v);
            }
        });
        if (common.master != null) {
            keys.put("spark.master", common.master);
        }
        return ExperimentConfig.explicit(common.config, keys, common.overrides, new Configuration());
    }

    protected SparkSession spark(Config config) {
        return spark(config, Map.of());
    }

    /** The session with further confs that the command itself needs (they win over the config's). */
    protected SparkSession spark(Config config, Map<String, String> required) {
        Map<String, String> extra = new HashMap<>();
        config.getConfig("spark.conf").entrySet().forEach(e -> extra.put(stripQuotes(e.getKey()), String.valueOf(e.getValue().unwrapped())));
        extra.putAll(required);
        return SparkRuntime.session(config.getString("spark.app-name") + " " + spec.name(), config.getString("spark.master"), extra, true);
    }

    protected NamedDatasets namedDatasets(boolean mayInstallPackage) {
        return new NamedDatasets(System.getenv(), "", true, mayInstallPackage, err());
    }

    protected String outDir(Config config) {
        String out = config.getString("out");
        return out.isEmpty() ? "runs/" + spec.name() : out;
    }

    /** The command's name as typed after wgan-spark ("ot exact"): the kind of output it writes. */
    protected String kind() {
        String qualified = spec.qualifiedName(" ");
        return qualified.substring(qualified.indexOf(' ') + 1);
    }

    /**
     * Claims the output {@code target} (named {@code option} in messages) before any work: refused when it is one of
     * the {@code inputs} or holds one, or when it holds something this command did not write and --overwrite is not
     * given (see {@link OutputTarget}). Named datasets among the inputs are skipped; the config file counts as one.
     */
    protected OutputTarget claimOutput(String target, String option, String... inputs) {
        return OutputTarget.claim(target, option, kind(), common.overwrite, inputPaths(inputs), new Configuration());
    }

    /** The paths among a command's inputs (named datasets are not paths), and the config file. */
    protected List<String> inputPaths(String... inputs) {
        List<String> paths = new ArrayList<>();
        for (String input : inputs) {
            if (input != null && !input.isBlank() && !NamedDatasets.isNamed(input) && !RingSource.NAME.equals(input)) {
                paths.add(input);
            }
        }
        if (common.config != null) {
            paths.add(common.config);
        }
        return paths;
    }

    /** Results: one JSON line per command, on stdout. */
    protected PrintStream out() {
        return Main.OUT.get();
    }

    /** Progress and messages, on stderr. */
    protected PrintStream err() {
        return Main.ERR.get();
    }

    private static String stripQuotes(String key) {
        return key.startsWith("\"") && key.endsWith("\"") ? key.substring(1, key.length() - 1) : key;
    }
}
