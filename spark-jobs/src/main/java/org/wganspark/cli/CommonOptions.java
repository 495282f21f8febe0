package org.wganspark.cli;

import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** Options every job command shares: the config file, overrides, the master, verbosity, overwriting. */
public final class CommonOptions {

    @Option(names = "--config", paramLabel = "FILE",
            description = "HOCON experiment config (any Hadoop path). Keys and defaults: spark-jobs/src/main/resources/wgan-spark/schema.conf.")
    String config;

    @Option(names = "--master", paramLabel = "URL",
            description = "Spark master for the local JVM (default: spark.master of the config, local[*]). "
                    + "bin/wgan-spark hands a cluster URL (spark://, yarn, k8s://) over to spark-submit.")
    String master;

    @Option(names = "--verbose", description = "Print stack traces of failures.")
    boolean verbose;

    @Option(names = "--overwrite", description = "Replace an existing output that this command did not write (a folder or a file; a train "
            + "run is cleared first). Without it such a target is refused, and an earlier output of the same command is replaced. "
            + "An input is never replaced.")
    boolean overwrite;

    @Parameters(paramLabel = "KEY=VALUE", arity = "0..*", description = "Config overrides, e.g. data.limit=1000 patches.size=5.")
    List<String> overrides = new ArrayList<>();
}
