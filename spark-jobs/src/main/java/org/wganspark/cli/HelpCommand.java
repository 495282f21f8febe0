package org.wganspark.cli;

import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;
import picocli.CommandLine;

/** {@code help [COMMAND [SUBCOMMAND]]}: the help of any command, nested ones included ({@code help ot exact}); {@code help config}: every key. */
@Command(name = "help", header = "Show the help of a command (help ot exact), or every configuration key (help config).",
        description = {"Show the help of a command or subcommand, e.g. help ot exact.",
                "help config prints every configuration key with its default and meaning (Markdown)."})
final class HelpCommand implements Callable<Integer> {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Parameters(paramLabel = "COMMAND", arity = "0..*", description = "The command, and its subcommand if it has some.")
    List<String> names = List.of();

    @Override
    public Integer call() {
        if (names.equals(List.of("config"))) {
            Main.OUT.get().print(ConfigReference.markdown());
            return ExitCodes.OK;
        }
        CommandLine target = spec.root().commandLine();
        for (String name : names) {
            CommandLine sub = target.getSubcommands().get(name);
            if (sub == null) {
                Main.ERR.get().println("wgan-spark: help: unknown command '" + name + "' under '" + target.getCommandName() + "'; commands: "
                        + String.join(", ", target.getSubcommands().keySet()));
                return ExitCodes.BAD_INPUT;
            }
            target = sub;
        }
        target.usage(Main.OUT.get());
        return ExitCodes.OK;
    }
}
