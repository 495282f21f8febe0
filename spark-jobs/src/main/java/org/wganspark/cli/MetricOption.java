package org.wganspark.cli;

import org.wganspark.io.BadInputException;
import org.wganspark.ot.cost.Metric;
import picocli.CommandLine.Option;

/** --metric of the OT commands that take any ground cost (exact and entropic; sliced distances are Euclidean). */
final class MetricOption {

    @Option(names = "--metric", defaultValue = "euclidean", description = "euclidean (W1) or sqeuclidean (W2^2); default ${DEFAULT-VALUE}.")
    String metric;

    Metric ground() {
        return switch (metric) {
            case "euclidean" -> Metric.EUCLIDEAN;
            case "sqeuclidean" -> Metric.SQEUCLIDEAN;
            default -> throw new BadInputException("--metric: expected euclidean or sqeuclidean, found '" + metric + "'");
        };
    }
}
