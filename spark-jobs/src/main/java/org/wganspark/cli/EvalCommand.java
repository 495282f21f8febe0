package org.wganspark.cli;

import picocli.CommandLine.Command;

@Command(name = "eval", mixinStandardHelpOptions = true, subcommands = {EvalScoreCommand.class, EvalReportCommand.class},
        header = "Scheduled evaluation: score every new step of every run against a whole dataset, and report.",
        description = {"Scheduled evaluation. 'eval score' scores every logged step of every run that its table does not hold yet",
                "(idempotent: cron or Airflow can start it every hour), 'eval report' draws the table as a self-contained page."},
        commandListHeading = "%nCommands:%n",
        footer = {"", "Example: wgan-spark eval score --runs 'runs/*' --table runs/scores && wgan-spark eval report --table runs/scores --out runs/report"})
final class EvalCommand extends CommandGroup {
}
