package org.wganspark.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

@Command(name = "ot", mixinStandardHelpOptions = true, subcommands = {OtExactCommand.class, OtSinkhornCommand.class, OtSlicedCommand.class},
        description = "Optimal transport between two point sets (images, patches, arrays); one JSON line per run.")
final class OtCommand implements Runnable {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(Main.ERR.get());
    }
}
