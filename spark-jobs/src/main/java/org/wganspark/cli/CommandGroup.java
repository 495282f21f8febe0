package org.wganspark.cli;

import picocli.CommandLine;

/** A command that only groups subcommands (ot, eval): typed bare, it prints its help on stderr and exits 2. */
abstract class CommandGroup implements java.util.concurrent.Callable<Integer> {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        spec.commandLine().usage(Main.ERR.get());
        return ExitCodes.BAD_INPUT;
    }
}
