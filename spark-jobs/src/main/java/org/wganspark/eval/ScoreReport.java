package org.wganspark.eval;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.Row;

/**
 * {@code eval report}: the score table as {@code metrics.csv} (one row per score, sorted) and {@code index.html}, a page
 * that needs nothing but itself: per metric and parameters a plot of every run against its steps with the reference
 * floor as a flat line (PNG, inlined), a table of each run's last step, and each run's last image grid.
 */
public final class ScoreReport {

    /** metrics.csv's header. */
    public static final String CSV_HEADER = "run,step,metric,parameters,reference,value,certificate,status,detail,generated,reference_points,seed,version,seconds,scored_at";
    private static final Pattern GRID = Pattern.compile("grid-(\\d+)\\.png");

    private ScoreReport() {
    }

    /** One score as the report reads it. */
    public record Line(String run, long step, String metric, String parameters, String reference, double value, Double certificate, String status,
                       String detail, int generated, long referencePoints, long seed, String version, double seconds, String scoredAt) {

        static Line of(Row r) {
            return new Line(r.getAs("run"), r.getAs("step"), r.getAs("metric"), r.getAs("parameters"), r.getAs("reference"), r.getAs("value"),
                    r.getAs("certificate"), r.getAs("status"), r.getAs("detail"), r.getAs("generated"), r.getAs("reference_points"), r.getAs("seed"),
                    r.getAs("version"), r.getAs("seconds"), r.getAs("scored_at"));
        }

        String series() {
            return metric + (parameters.isEmpty() ? "" : " (" + parameters + ")") + " vs " + reference;
        }
    }

    /** The table's rows, in report order. */
    public static List<Line> lines(List<Row> rows) {
        List<Line> lines = new ArrayList<>(rows.stream().map(Line::of).toList());
        lines.sort(Comparator.comparing(Line::run).thenComparingLong(Line::step).thenComparing(Line::metric).thenComparing(Line::parameters)
                .thenComparing(Line::reference));
        return lines;
    }

    public static String csv(List<Line> lines) {
        StringBuilder out = new StringBuilder(CSV_HEADER).append('\n');
        for (Line l : lines) {
            out.append(String.join(",", cell(l.run()), Long.toString(l.step()), cell(l.metric()), cell(l.parameters()), cell(l.reference()),
                    num(l.value()), l.certificate() == null ? "" : num(l.certificate()), cell(l.status()), cell(l.detail()), Integer.toString(l.generated()),
                    Long.toString(l.referencePoints()), Long.toString(l.seed()), cell(l.version()), String.format(Locale.ROOT, "%.3f", l.seconds()),
                    cell(l.scoredAt()))).append('\n');
        }
        return out.toString();
    }

    /** The self-contained page; {@code conf} reads each run's last grid (when the run is a folder that has one). */
    public static String html(List<Line> lines, String table, Configuration conf) {
        StringBuilder h = new StringBuilder();
        h.append("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>wgan-spark scores</title>\n<style>")
                .append("body{font-family:sans-serif;margin:2em;color:#222}table{border-collapse:collapse;margin:1em 0}")
                .append("td,th{border:1px solid #ccc;padding:3px 8px;text-align:right}th{background:#eee}td.l{text-align:left}")
                .append("img{max-width:100%;border:1px solid #ddd}figure{display:inline-block;margin:0 1em 1em 0}</style></head><body>\n");
        h.append("<h1>Scores</h1>\n<p>Table <code>").append(esc(table)).append("</code>: ").append(lines.size()).append(" scores of ")
                .append(lines.stream().filter(l -> !l.run().equals(Score.FLOOR)).map(Line::run).distinct().count())
                .append(" runs. Exact metrics are certified: the certificate column is the largest dual violation over all pairs. ")
                .append("The flat line of a plot is the reference floor: the same metric for as many held-out real images.</p>\n");
        Map<String, List<Line>> bySeries = new TreeMap<>();
        for (Line l : lines) {
            bySeries.computeIfAbsent(l.series(), k -> new ArrayList<>()).add(l);
        }
        for (Map.Entry<String, List<Line>> e : bySeries.entrySet()) {
            h.append("<h2>").append(esc(e.getKey())).append("</h2>\n");
            h.append("<img alt=\"").append(esc(e.getKey())).append("\" src=\"data:image/png;base64,").append(plot(e.getKey(), e.getValue())).append("\">\n");
            h.append(lastSteps(e.getValue()));
        }
        h.append("<h2>Last image grid of each run</h2>\n");
        lines.stream().map(Line::run).filter(r -> !r.equals(Score.FLOOR)).distinct().forEach(run -> {
            String grid = lastGrid(run, conf);
            if (grid != null) {
                h.append("<figure><img alt=\"last grid of ").append(esc(run)).append("\" src=\"data:image/png;base64,").append(grid)
                        .append("\"><figcaption>").append(esc(run)).append("</figcaption></figure>\n");
            }
        });
        h.append("</body></html>\n");
        return h.toString();
    }

    private static String plot(String title, List<Line> lines) {
        Map<String, List<Line>> byRun = new LinkedHashMap<>();
        for (Line l : lines) {
            byRun.computeIfAbsent(l.run(), k -> new ArrayList<>()).add(l);
        }
        double maxStep = lines.stream().filter(l -> !l.run().equals(Score.FLOOR)).mapToLong(Line::step).max().orElse(1);
        List<Plots.Series> series = new ArrayList<>();
        for (Map.Entry<String, List<Line>> e : byRun.entrySet()) {
            if (e.getKey().equals(Score.FLOOR)) {
                for (Line l : e.getValue()) {
                    series.add(new Plots.Series("floor: " + l.step() + " held-out images", new double[] {0, Math.max(1, maxStep)},
                            new double[] {l.value(), l.value()}));
                }
            } else {
                List<Line> run = e.getValue();
                series.add(new Plots.Series(shortName(e.getKey()), run.stream().mapToDouble(Line::step).toArray(),
                        run.stream().mapToDouble(Line::value).toArray()));
            }
        }
        String metric = lines.get(0).metric();
        return png(Plots.lines(List.of(new Plots.Panel(metric, "step (critic steps)", metric, series))));
    }

    private static String lastSteps(List<Line> lines) {
        Map<String, Line> last = new TreeMap<>();
        for (Line l : lines) {
            last.merge(l.run(), l, (p, q) -> q.step() >= p.step() ? q : p);
        }
        StringBuilder t = new StringBuilder("<table><tr><th>run</th><th>step</th><th>value</th><th>certificate</th><th>status</th><th>detail</th></tr>\n");
        for (Line l : last.values()) {
            t.append("<tr><td class=\"l\">").append(esc(l.run())).append("</td><td>").append(l.step()).append("</td><td>").append(num(l.value()))
                    .append("</td><td>").append(l.certificate() == null ? "" : String.format(Locale.ROOT, "%.1e", l.certificate())).append("</td><td>")
                    .append(esc(l.status())).append("</td><td class=\"l\">").append(esc(l.detail())).append("</td></tr>\n");
        }
        return t.append("</table>\n").toString();
    }

    /** The run folder's latest grid-NNNNNNN.png as base64, or null. */
    private static String lastGrid(String run, Configuration conf) {
        try {
            Path dir = new Path(run);
            FileSystem fs = dir.getFileSystem(conf);
            if (!fs.exists(dir) || !fs.getFileStatus(dir).isDirectory()) {
                return null;
            }
            Path best = null;
            long bestStep = -1;
            for (FileStatus f : fs.listStatus(dir)) {
                Matcher m = GRID.matcher(f.getPath().getName());
                if (m.matches() && Long.parseLong(m.group(1)) > bestStep) {
                    bestStep = Long.parseLong(m.group(1));
                    best = f.getPath();
                }
            }
            if (best == null) {
                return null;
            }
            try (var in = fs.open(best)) {
                return Base64.getEncoder().encodeToString(in.readAllBytes());
            }
        } catch (IOException | IllegalArgumentException e) {
            return null;  // a run whose folder is gone still has its scores
        }
    }

    private static String png(java.awt.image.BufferedImage image) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try {
            ImageGrid.writePng(image, bytes);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return Base64.getEncoder().encodeToString(bytes.toByteArray());
    }

    private static String shortName(String run) {
        String trimmed = run.endsWith("/") ? run.substring(0, run.length() - 1) : run;
        int slash = trimmed.lastIndexOf('/', trimmed.lastIndexOf('/') - 1);
        return slash < 0 ? trimmed : trimmed.substring(slash + 1);
    }

    private static String num(double v) {
        return Double.isNaN(v) ? "" : String.format(Locale.ROOT, "%.9g", v);
    }

    private static String cell(String s) {
        return s.contains(",") || s.contains("\"") || s.contains("\n") ? "\"" + s.replace("\"", "\"\"") + "\"" : s;
    }

    private static String esc(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }
}
