package org.wganspark.experiment;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.SparkSession;
import org.wganspark.data.DataSpec;
import org.wganspark.data.Datasets;
import org.wganspark.data.FloatBlock;
import org.wganspark.data.NamedDatasets;
import org.wganspark.data.RowSource;
import org.wganspark.eval.EvalMetric;
import org.wganspark.eval.EvalSettings;
import org.wganspark.eval.Reference;
import org.wganspark.eval.ReferenceCache;
import org.wganspark.eval.Score;
import org.wganspark.eval.ScoreTable;
import org.wganspark.eval.SetScorer;
import org.wganspark.eval.TableLock;
import org.wganspark.io.BadInputException;
import org.wganspark.io.HadoopPaths;
import org.wganspark.ot.cost.PointSet;
import org.wganspark.ot.patch.PatchGeometry;
import org.wganspark.ot.spark.PointSets;
import org.wganspark.spark.SparkRuntime;

/**
 * {@code eval score}: every (generated set, metric, parameters, reference) the score table does not hold yet is
 * scored and appended, one batch per generated set, under the table's lock. The expensive reference work comes from
 * the cache beside the table. A set that cannot be read is named in one line and skipped; the others are scored.
 * Run it again and it adds nothing: the table's keys decide what is new.
 */
public final class EvalJob {

    /**
     * What to score.
     *
     * @param runs         run folders, globs of them, or generated sets (as typed)
     * @param reference    the reference data
     * @param heldOut      the floor's held-out data, or null for no floor
     * @param table        the score table (as typed)
     * @param settings     metrics and their parameters
     * @param staleMinutes the lock's stale limit
     */
    public record Request(List<String> runs, DataSpec reference, DataSpec heldOut, String table, EvalSettings settings, double staleMinutes) {
    }

    /** What a job did; {@code failures} holds one line per set it could not score. */
    public record Outcome(int sets, int added, int skipped, List<String> failures, String cache, String reference, double seconds) {
    }

    /** A generated set found under --runs. */
    record GeneratedSet(String run, long step, String path) {
    }

    /** A set to score: its opened source and the metrics the table lacks for it. */
    private record Pending(RowSource source, List<EvalMetric> metrics) {
    }

    private final SparkSession spark;
    private final NamedDatasets named;
    private final Consumer<String> progress;

    public EvalJob(SparkSession spark, NamedDatasets named, Consumer<String> progress) {
        this.spark = spark;
        this.named = named;
        this.progress = progress;
    }

    public Outcome run(Request request) {
        long start = System.nanoTime();
        Configuration conf = spark.sparkContext().hadoopConfiguration();
        EvalSettings settings = request.settings();
        List<String> failures = new ArrayList<>();
        List<GeneratedSet> sets = discover(request.runs(), conf, failures);
        RowSource referenceSource = Datasets.open(request.reference(), conf, named);
        String referenceId = referenceId(request.reference(), conf);
        ScoreTable table = ScoreTable.open(request.table(), true, conf);
        try (TableLock lock = TableLock.acquire(table.path(), request.table(), conf, request.staleMinutes(), progress)) {
            int leftovers = table.removeLeftovers();
            if (leftovers > 0) {
                progress.accept("removed " + leftovers + " half-written batch(es) of an interrupted job");
            }
            Set<String> keys = table.keys(spark);
            int skipped = 0;
            Map<GeneratedSet, Pending> work = new LinkedHashMap<>();
            TreeSet<Integer> floorSizes = new TreeSet<>();
            for (GeneratedSet set : sets) {
                List<EvalMetric> missing = new ArrayList<>();
                for (EvalMetric m : settings.metrics()) {
                    if (keys.contains(Score.key(set.run(), set.step(), m.id(), m.parameters(settings), referenceId))) {
                        skipped++;
                    } else {
                        missing.add(m);
                    }
                }
                if (missing.isEmpty()) {
                    continue;
                }
                RowSource source;
                try {
                    source = Datasets.open(request.reference().with(set.path(), "train", 0), conf, named);
                    if (source.shape().size() != referenceSource.shape().size()) {
                        throw new BadInputException(set.path() + ": images of " + source.shape() + ", the reference " + referenceId + " has "
                                + referenceSource.shape());
                    }
                } catch (BadInputException e) {
                    failures.add(e.getMessage());
                    progress.accept("skipped: " + e.getMessage());
                    continue;
                }
                work.put(set, new Pending(source, missing));
                floorSizes.add((int) source.rows());
            }
            Map<Integer, List<EvalMetric>> floorWork = new LinkedHashMap<>();
            if (settings.floor() && request.heldOut() != null) {
                for (int n : floorSizes) {
                    List<EvalMetric> missing = settings.metrics().stream()
                            .filter(m -> !keys.contains(Score.key(Score.FLOOR, n, m.id(), m.parameters(settings), referenceId))).toList();
                    if (!missing.isEmpty()) {
                        floorWork.put(n, missing);
                    }
                }
            }
            if (work.isEmpty() && floorWork.isEmpty()) {
                progress.accept(String.format(Locale.ROOT, "nothing new: %d generated set(s), every metric already in %s", sets.size(), request.table()));
                return new Outcome(sets.size(), 0, skipped, failures, "unused", referenceId, seconds(start));
            }
            ReferenceCache cache = new ReferenceCache(table.path(), conf);
            Reference reference = reference(request, referenceSource, referenceId, cache, conf);
            progress.accept(String.format(Locale.ROOT, "reference %s: %d images, %s (%s); %d set(s) to score", referenceId, reference.images().n(),
                    reference.patches() == null ? "no patches" : reference.patchCount() + " patches, " + reference.patches().n() + " distinct",
                    cache.last() == ReferenceCache.Outcome.HIT ? "from the cache" : "prepared and cached", work.size()));
            JavaSparkContext sc = SparkRuntime.context(spark);
            SetScorer scorer = new SetScorer(sc, reference, settings, progress);
            int added = 0;
            int batch = 0;
            for (Map.Entry<GeneratedSet, Pending> e : work.entrySet()) {
                GeneratedSet set = e.getKey();
                PointSet generated;
                try {
                    generated = read(e.getValue().source(), set.path(), conf);
                } catch (BadInputException bad) {
                    failures.add(bad.getMessage());
                    progress.accept("skipped: " + bad.getMessage());
                    continue;
                }
                List<Score> rows = scorer.score(set.run(), set.step(), set.path(), generated, e.getValue().metrics());
                int index = ++batch;
                table.append(spark, rows, () -> FaultInjection.point("eval-batch-written", index));
                added += rows.size();
            }
            for (Map.Entry<Integer, List<EvalMetric>> e : floorWork.entrySet()) {
                int n = e.getKey();
                if (reference.heldOut() == null || reference.heldOut().n() < n) {
                    progress.accept("no floor for " + n + " images: the held-out set has " + (reference.heldOut() == null ? 0 : reference.heldOut().n()));
                    continue;
                }
                List<Score> rows = scorer.score(Score.FLOOR, n, reference.heldOutId(), reference.heldOut().range(0, n), e.getValue());
                int index = ++batch;
                table.append(spark, rows, () -> FaultInjection.point("eval-batch-written", index));
                added += rows.size();
            }
            return new Outcome(sets.size(), added, skipped, failures, cache.last() == ReferenceCache.Outcome.HIT ? "hit" : "built", referenceId,
                    seconds(start));
        }
    }

    /** The reference from the cache, or loaded on the executors, its patches extracted and merged, and cached. */
    private Reference reference(Request request, RowSource source, String id, ReferenceCache cache, Configuration conf) {
        EvalSettings s = request.settings();
        boolean patches = s.needsPatches();
        String heldOutId = request.heldOut() == null || !s.floor() ? "" : referenceId(request.heldOut(), conf);
        String key = ReferenceCache.key(id, fingerprint(request.reference(), source, conf), s.patchSize(), s.patchStride(), patches, heldOutId);
        return cache.get(key, () -> {
            long t0 = System.nanoTime();
            JavaSparkContext sc = SparkRuntime.context(spark);
            PointSet images = collect(sc, source, request.reference(), "--reference " + request.reference().source());
            PointSet heldOut = null;
            if (!heldOutId.isEmpty()) {
                DataSpec h = request.heldOut();
                heldOut = collect(sc, Datasets.open(h, conf, named), h, "eval.floor " + h.source());
            }
            var shape = source.shape();
            PatchGeometry geometry = patches ? new PatchGeometry(shape.channels(), shape.height(), shape.width(), s.patchSize(), s.patchStride()) : null;
            Reference r = Reference.of(id, shape, images, geometry, heldOut, heldOutId);
            progress.accept(String.format(Locale.ROOT, "reference prepared in %.1f s", seconds(t0)));
            return r;
        });
    }

    private static PointSet collect(JavaSparkContext sc, RowSource source, DataSpec spec, String what) {
        Datasets.Loaded loaded = Datasets.load(sc, source, spec);
        try {
            return PointSets.collect(loaded.blocks(), loaded.rows(), source.shape().size(), what);
        } finally {
            loaded.blocks().unpersist(false);
        }
    }

    /** A generated set on the driver (it is small), at its precision. */
    private static PointSet read(RowSource source, String path, Configuration conf) {
        if (source.rows() == 0) {
            throw new BadInputException(path + ": empty generated set");
        }
        List<FloatBlock> blocks = new ArrayList<>();
        Iterator<FloatBlock> it = source.read(0, source.rows(), 4096, conf);
        it.forEachRemaining(blocks::add);
        return PointSets.of(blocks, (int) source.rows(), source.shape().size(), path);
    }

    /** What the table records as the reference: the source (absolute when a path), split and limit. */
    static String referenceId(DataSpec spec, Configuration conf) {
        String source = NamedDatasets.isNamed(spec.source()) ? spec.source() : HadoopPaths.absolute(spec.source(), "--reference", conf);
        return source + (NamedDatasets.isNamed(spec.source()) ? ":" + spec.split() : "") + (spec.limit() > 0 ? ":limit=" + spec.limit() : "");
    }

    /** What changes when the reference's files change: their sizes and modification times, and the rows read. */
    private static String fingerprint(DataSpec spec, RowSource source, Configuration conf) {
        StringBuilder f = new StringBuilder(source.describe()).append('|').append(source.rows()).append('|').append(source.shape());
        if (!NamedDatasets.isNamed(spec.source())) {
            try {
                Path p = HadoopPaths.qualified(spec.source(), "--reference", conf);
                FileSystem fs = p.getFileSystem(conf);
                for (FileStatus s : fs.getFileStatus(p).isDirectory() ? fs.listStatus(p) : new FileStatus[] {fs.getFileStatus(p)}) {
                    f.append('|').append(s.getPath().getName()).append(':').append(s.getLen()).append(':').append(s.getModificationTime());
                }
            } catch (IOException e) {
                throw new UncheckedIOException("reading " + spec.source() + ": " + e.getMessage(), e);
            }
        }
        return f.toString();
    }

    /**
     * The generated sets under --runs: in a train run folder each generated-NNNNNNN.npy (step N); in a w1fe output
     * those of each level's folder k&lt;K&gt; (a run each); a .npy file, a folder of .npy parts or of images is one set
     * (step 0), unless another wgan-spark command wrote the folder. Globs are expanded; a path that matches nothing, or a
     * folder with no generated set, is one failure line.
     */
    static List<GeneratedSet> discover(List<String> runs, Configuration conf, List<String> failures) {
        List<GeneratedSet> sets = new ArrayList<>();
        for (String typed : runs) {
            try {
                FileStatus[] matches = matches(typed, conf);
                if (matches.length == 0) {
                    failures.add("--runs " + typed + ": no such file or folder");
                    continue;
                }
                FileSystem fs = matches[0].getPath().getFileSystem(conf);
                for (FileStatus match : matches) {
                    Path p = match.getPath();
                    if (!match.isDirectory()) {
                        sets.add(new GeneratedSet(p.toString(), 0, p.toString()));
                        continue;
                    }
                    FileStatus[] entries = fs.listStatus(p);
                    List<GeneratedSet> steps = steps(p, entries);
                    if (steps.isEmpty()) {
                        // a w1fe output: one run folder per persistency level K
                        for (FileStatus f : entries) {
                            if (f.isDirectory() && RunFolder.LEVEL_FOLDER.matcher(f.getPath().getName()).matches()) {
                                steps.addAll(steps(f.getPath(), fs.listStatus(f.getPath())));
                            }
                        }
                    }
                    boolean plain = java.util.Arrays.stream(entries).map(f -> f.getPath().getName())
                            .anyMatch(name -> !name.startsWith(".") && !name.startsWith("_") && name.matches("(?i).*\\.(npy|png|jpe?g)"));
                    if (!steps.isEmpty()) {
                        sets.addAll(steps);
                    } else if (plain && !fs.exists(new Path(p, RunFolder.CONFIG)) && org.wganspark.io.OutputTarget.kindOf(p, fs) == null) {
                        // a folder of .npy parts or images that no command of ours wrote (a w1fe output's plots are not a set)
                        sets.add(new GeneratedSet(p.toString(), 0, p.toString()));
                    } else {
                        failures.add("--runs " + typed + ": " + p + " holds no generated sets (expected the generated-NNNNNNN.npy of a train run "
                                + "with a discrete prior or of a w1fe run, .npy files or images)");
                    }
                }
            } catch (IOException e) {
                throw new UncheckedIOException("listing --runs " + typed + ": " + e.getMessage(), e);
            }
        }
        return sets;
    }

    /** The logged steps of one run folder (its generated-NNNNNNN.npy among its {@code entries}), in step order. */
    private static List<GeneratedSet> steps(Path run, FileStatus[] entries) {
        List<GeneratedSet> steps = new ArrayList<>();
        for (FileStatus f : entries) {
            Matcher m = RunFolder.GENERATED_FILE.matcher(f.getPath().getName());
            if (m.matches()) {
                steps.add(new GeneratedSet(run.toString(), Long.parseLong(m.group(1)), f.getPath().toString()));
            }
        }
        steps.sort(java.util.Comparator.comparingLong(GeneratedSet::step));
        return steps;
    }

    /** What one --runs argument matches (a path or a glob), in name order; empty when nothing. */
    private static FileStatus[] matches(String typed, Configuration conf) throws IOException {
        Path pattern = HadoopPaths.qualified(typed, "--runs", conf);
        FileStatus[] matches = pattern.getFileSystem(conf).globStatus(pattern);
        if (matches == null) {
            return new FileStatus[0];
        }
        java.util.Arrays.sort(matches);
        return matches;
    }

    /** The config.conf of every train or w1fe run folder among --runs: what the runs were trained on. */
    public static List<Path> runConfigs(List<String> runs, Configuration conf) {
        List<Path> configs = new ArrayList<>();
        for (String typed : runs) {
            try {
                for (FileStatus m : matches(typed, conf)) {
                    Path config = new Path(m.getPath(), RunFolder.CONFIG);
                    if (RunFolder.LEVEL_FOLDER.matcher(m.getPath().getName()).matches() && !m.getPath().getFileSystem(conf).exists(config)) {
                        config = new Path(m.getPath().getParent(), RunFolder.CONFIG);  // one level of a w1fe output
                    }
                    if (m.isDirectory() && m.getPath().getFileSystem(conf).exists(config)) {
                        configs.add(config);
                    }
                }
            } catch (IOException e) {
                throw new UncheckedIOException("listing --runs " + typed + ": " + e.getMessage(), e);
            }
        }
        return configs;
    }

    private static double seconds(long start) {
        return (System.nanoTime() - start) / 1e9;
    }
}
