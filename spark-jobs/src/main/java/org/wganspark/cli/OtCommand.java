package org.wganspark.cli;

import picocli.CommandLine.Command;

@Command(name = "ot", mixinStandardHelpOptions = true, subcommands = {OtExactCommand.class, OtSinkhornCommand.class, OtSlicedCommand.class},
        header = "Optimal transport between two point sets (images, patches, arrays): exact, entropic, sliced.",
        description = "Optimal transport between two point sets (images, patches, arrays); one JSON line per run.",
        commandListHeading = "%nCommands:%n",
        footer = {"", "Example: wgan-spark ot exact --x fashion-mnist --y fashion-mnist --limit-x 2000 --limit-y 2000"})
final class OtCommand extends CommandGroup {
}
