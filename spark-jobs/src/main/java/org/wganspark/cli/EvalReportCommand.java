package org.wganspark.cli;

import java.util.List;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.apache.spark.sql.SparkSession;
import org.wganspark.eval.Outputs;
import org.wganspark.eval.ScoreReport;
import org.wganspark.eval.ScoreTable;
import org.wganspark.io.Json;
import org.wganspark.io.OutputTarget;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "report", mixinStandardHelpOptions = true, sortOptions = false,
        header = "Draw a score table: DIR/index.html (self-contained) and DIR/metrics.csv.",
        footer = {"", "Example: wgan-spark eval report --table runs/scores --out runs/report"},
        description = {"Reads the score table that eval score writes and writes DIR/metrics.csv (run,step,metric,parameters,reference,value,",
                "certificate,...) and DIR/index.html: per metric a plot of every run against its steps with the reference floor, a table",
                "of each run's last step, and each run's last image grid; the images are inlined, so the page needs no network."})
final class EvalReportCommand extends JobCommand {

    @Option(names = "--table", required = true, paramLabel = "PATH", description = "The score table of eval score.")
    String table;

    @Option(names = "--out", required = true, paramLabel = "DIR", description = "The report's folder (replaced when an earlier report is there).")
    String out;

    @Override
    protected Map<String, Object> optionKeys() {
        return Map.of();
    }

    @Override
    public Integer call() {
        var config = config();
        ScoreTable scores = ScoreTable.open(table, false, new Configuration());
        OutputTarget target = claimOutput(out, "--out", table);
        SparkSession spark = spark(config);
        Configuration hadoop = spark.sparkContext().hadoopConfiguration();
        List<ScoreReport.Line> lines = ScoreReport.lines(scores.read(spark).collectAsList());
        try (OutputTarget.Staging staging = target.stage()) {
            Outputs.writeText(staging.file("metrics.csv"), ScoreReport.csv(lines), hadoop);
            Outputs.writeText(staging.file("index.html"), ScoreReport.html(lines, table, hadoop), hadoop);
            staging.commit();
        }
        out().println(new Json().put("command", "eval report").put("table", table).put("out", target.toString()).put("rows", lines.size()));
        return ExitCodes.OK;
    }
}
