package org.wganspark.cli;

import picocli.CommandLine.Option;

/** --out of the commands that write one folder, as the config key out. */
final class OutOption {

    @Option(names = "--out", paramLabel = "PATH", description = "Output folder, any Hadoop path (key out; default runs/${COMMAND-NAME}).")
    String out;
}
