package org.wganspark.eval;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.wganspark.io.BadInputException;
import org.wganspark.io.HadoopPaths;
import org.wganspark.io.OutputTarget;

/**
 * The score table: a folder of Parquet files on any Hadoop file system, one file per batch ({@code batch-*.parquet}),
 * with the marker that makes it this job's table, its lock ({@link TableLock}) and the reference cache
 * ({@link ReferenceCache}). A batch is written by Spark into a hidden staging folder and its one file renamed into
 * place: a job killed at any moment leaves the table as it was before the batch, and the next job removes the
 * staging leftovers (it holds the lock) and scores what is missing. Readers see only whole batches.
 */
public final class ScoreTable {

    public static final String KIND = "eval table";
    private static final String STAGING = ".batch-";
    private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss");

    /** The table's columns, in order. */
    public static final StructType SCHEMA = new StructType()
            .add("run", DataTypes.StringType, false).add("step", DataTypes.LongType, false).add("metric", DataTypes.StringType, false)
            .add("parameters", DataTypes.StringType, false).add("reference", DataTypes.StringType, false).add("value", DataTypes.DoubleType, false)
            .add("certificate", DataTypes.DoubleType, true).add("status", DataTypes.StringType, false).add("detail", DataTypes.StringType, false)
            .add("generated", DataTypes.IntegerType, false).add("generated_points", DataTypes.LongType, false)
            .add("reference_points", DataTypes.LongType, false).add("seed", DataTypes.LongType, false).add("version", DataTypes.StringType, false)
            .add("seconds", DataTypes.DoubleType, false).add("scored_at", DataTypes.StringType, false).add("source", DataTypes.StringType, false);

    private final Path path;
    private final String typed;
    private final Configuration conf;

    private ScoreTable(Path path, String typed, Configuration conf) {
        this.path = path;
        this.typed = typed;
        this.conf = conf;
    }

    /**
     * The table at {@code typed} (option {@code --table}); made when absent or empty. Anything else that is not this
     * job's table is refused with one line, and nothing there is touched.
     */
    public static ScoreTable open(String typed, boolean create, Configuration conf) {
        Path path = HadoopPaths.qualified(typed, "--table", conf);
        try {
            FileSystem fs = path.getFileSystem(conf);
            if (fs.exists(path)) {
                if (!fs.getFileStatus(path).isDirectory()) {
                    throw new BadInputException("--table " + typed + ": is a file, expected a score table (a folder written by eval score)");
                }
                String kind = OutputTarget.kindOf(path, fs);
                FileStatus[] entries = fs.listStatus(path);
                if (!KIND.equals(kind) && entries.length > 0) {
                    throw new BadInputException("--table " + typed + ": not a score table (" + (kind == null ? "no marker, " + entries.length + " entries"
                            : "written by " + kind) + "); choose a new or empty folder, or the --table of an earlier eval score");
                }
                if (kind == null && create) {
                    OutputTarget.writeMarker(path, KIND, conf);
                }
            } else if (create) {
                if (!fs.mkdirs(path)) {
                    throw new IOException("could not create " + path);
                }
                OutputTarget.writeMarker(path, KIND, conf);
            } else {
                throw new BadInputException("--table " + typed + ": no such table (eval score makes it)");
            }
            return new ScoreTable(path, typed, conf);
        } catch (IOException e) {
            throw new UncheckedIOException("opening " + typed + ": " + e.getMessage(), e);
        }
    }

    public Path path() {
        return path;
    }

    @Override
    public String toString() {
        return typed;
    }

    /** The batch files, in name order (their time order). */
    List<Path> batches() {
        try {
            FileStatus[] files = path.getFileSystem(conf).listStatus(path, p -> p.getName().startsWith("batch-") && p.getName().endsWith(".parquet"));
            return Arrays.stream(files).map(FileStatus::getPath).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException("listing " + typed + ": " + e.getMessage(), e);
        }
    }

    /** Every row of the table. */
    public Dataset<Row> read(SparkSession spark) {
        List<Path> files = batches();
        if (files.isEmpty()) {
            return spark.createDataFrame(List.of(), SCHEMA);
        }
        return spark.read().schema(SCHEMA).parquet(files.stream().map(Path::toString).toArray(String[]::new));
    }

    /** The keys ({@link Score#key}) of every row. */
    public Set<String> keys(SparkSession spark) {
        Set<String> keys = new HashSet<>();
        for (Row r : read(spark).select("run", "step", "metric", "parameters", "reference").collectAsList()) {
            keys.add(Score.key(r.getString(0), r.getLong(1), r.getString(2), r.getString(3), r.getString(4)));
        }
        return keys;
    }

    /** Removes what killed jobs left half-written; call only under the lock. Returns how many it removed. */
    public int removeLeftovers() {
        try {
            FileSystem fs = path.getFileSystem(conf);
            int removed = 0;
            for (FileStatus f : fs.listStatus(path, p -> p.getName().startsWith(STAGING))) {
                removed += fs.delete(f.getPath(), true) ? 1 : 0;
            }
            return removed;
        } catch (IOException e) {
            throw new UncheckedIOException("cleaning " + typed + ": " + e.getMessage(), e);
        }
    }

    /**
     * Appends {@code rows} as one batch: written whole into a staging folder, then its file renamed into the table;
     * {@code beforeRename} runs in between (a test's kill point).
     */
    public void append(SparkSession spark, List<Score> rows, Runnable beforeRename) {
        if (rows.isEmpty()) {
            return;
        }
        String id = LocalDateTime.now(ZoneOffset.UTC).format(STAMP) + "-" + UUID.randomUUID().toString().substring(0, 8);
        Path staging = new Path(path, STAGING + id);
        List<Row> data = new ArrayList<>(rows.size());
        for (Score s : rows) {
            data.add(RowFactory.create(s.run(), s.step(), s.metric(), s.parameters(), s.reference(), s.value(),
                    Double.isNaN(s.certificate()) ? null : s.certificate(), s.status(), s.detail(), s.generated(), s.generatedPoints(),
                    s.referencePoints(), s.seed(), s.version(), s.seconds(), s.scoredAt(), s.source()));
        }
        try {
            FileSystem fs = path.getFileSystem(conf);
            fs.setWriteChecksum(false);  // no .crc sidecars in the table on the local file system
            spark.createDataFrame(data, SCHEMA).coalesce(1).write().parquet(staging.toString());
            FileStatus[] parts = fs.listStatus(staging, p -> p.getName().startsWith("part-") && p.getName().endsWith(".parquet"));
            if (parts.length != 1) {
                throw new IOException("expected one Parquet file in " + staging + ", found " + parts.length);
            }
            beforeRename.run();
            Path target = new Path(path, "batch-" + id + ".parquet");
            if (!fs.rename(parts[0].getPath(), target)) {
                throw new IOException("could not rename " + parts[0].getPath() + " to " + target);
            }
            fs.delete(staging, true);
        } catch (IOException e) {
            throw new UncheckedIOException("appending to " + typed + ": " + e.getMessage(), e);
        }
    }
}
