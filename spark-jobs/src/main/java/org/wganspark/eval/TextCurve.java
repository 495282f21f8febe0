package org.wganspark.eval;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;

/** A metric's curve for the terminal: one line per evaluation with its value and a bar scaled between the first value and the best. */
public final class TextCurve {

    private TextCurve() {
    }

    /**
     * @param metricsCsv a run's metrics.csv (header line first)
     * @param column     the column to draw (0 is the step)
     */
    public static List<String> of(String metricsCsv, int column) {
        List<String> rows = metricsCsv.lines().skip(1).filter(l -> !l.isBlank()).toList();
        List<String> out = new ArrayList<>();
        if (rows.isEmpty()) {
            return out;
        }
        double first = value(rows.get(0), column);
        double low = rows.stream().mapToDouble(l -> value(l, column)).min().orElse(first);
        for (String row : rows) {
            double v = value(row, column);
            int bar = first > low ? (int) Math.round(10 + 40 * (v - low) / (first - low)) : 10;
            out.add(String.format(Locale.ROOT, "  step %6s  %8.4f  %s", row.split(",")[0], v, "#".repeat(bar)));
        }
        return out;
    }

    /** {@link #of} for a metrics.csv on any Hadoop file system. */
    public static List<String> of(Path metricsCsv, Configuration conf, int column) {
        try (InputStream in = metricsCsv.getFileSystem(conf).open(metricsCsv)) {
            return of(new String(in.readAllBytes(), StandardCharsets.UTF_8), column);
        } catch (IOException e) {
            throw new UncheckedIOException(metricsCsv + ": " + e.getMessage(), e);
        }
    }

    private static double value(String row, int column) {
        return Double.parseDouble(row.split(",")[column]);
    }
}
