package org.wganspark.experiment;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.wganspark.io.AtomicOutput;
import org.wganspark.io.BadInputException;
import org.wganspark.io.HadoopPaths;
import org.wganspark.io.OutputTarget;

/**
 * The folder of a training run, written as the run goes: config.conf, metrics.csv, per logged step a grid and a
 * generated set, and checkpoint.bin, the last write of each logged step. A new run never starts in a folder that
 * holds anything (an earlier run: --resume or --overwrite; anything else: --overwrite); an input is never
 * cleared. A resumed run first returns the folder to its checkpoint ({@link #reconcile}): a process killed
 * between a step's first write and its checkpoint leaves rows and files for a step the checkpoint does not
 * have, and the resumed run writes them again, the same.
 */
public final class RunFolder {

    public static final String CONFIG = "config.conf";
    public static final String METRICS = "metrics.csv";
    public static final String CHECKPOINT = "checkpoint.bin";
    private static final String KIND = "train";
    /** A logged step's generated set, the file eval score reads: generated-0000300.npy (step 300). */
    public static final Pattern GENERATED_FILE = Pattern.compile("generated-(\\d+)\\.npy");
    /** Files of one logged step: grid-0000300.png, generated-0000300.npy. */
    private static final Pattern STEP_FILE = Pattern.compile("(grid|generated)-(\\d+)\\.(png|npy)");

    private final Path path;
    private final String typed;
    private final Configuration conf;

    /** k5: the run folder of persistency level K = 5 inside a w1fe output (its generated sets, as a train run's). */
    public static final Pattern LEVEL_FOLDER = Pattern.compile("k\\d+");

    /** The name of level K's run folder inside a w1fe output. */
    public static String levelFolder(int k) {
        return "k" + k;
    }

    /** The name of step {@code step}'s generated set. */
    public static String generatedFile(long step) {
        return String.format(java.util.Locale.ROOT, "generated-%07d.npy", step);
    }

    private RunFolder(Path path, String typed, Configuration conf) {
        this.path = path;
        this.typed = typed;
        this.conf = conf;
    }

    /**
     * The folder of a new run, checked before any work: refused with one line when it holds anything and
     * {@code overwrite} is not given, or when it is or holds one of the {@code inputs}. {@link #create} makes it.
     */
    public static RunFolder claim(String dir, boolean overwrite, Collection<String> inputs, Configuration conf) {
        Path path = HadoopPaths.qualified(dir, "--out", conf);
        OutputTarget.refuseInputs(path, "--out", inputs, conf);
        try {
            FileSystem fs = path.getFileSystem(conf);
            if (fs.exists(path) && !overwrite) {
                FileStatus[] entries = fs.isDirectory(path) ? fs.listStatus(path) : new FileStatus[] {fs.getFileStatus(path)};
                if (entries.length > 0) {
                    boolean run = KIND.equals(OutputTarget.kindOf(path, fs)) || fs.exists(new Path(path, CHECKPOINT));
                    throw new BadInputException("--out " + dir + ": " + (run ? "holds a train run; pass --resume to continue it, or --overwrite to "
                            + "start over (its files are deleted)" : "holds " + entries.length + " entries that are not a train run; choose another "
                            + "folder or pass --overwrite to replace them"));
                }
            }
            return new RunFolder(path, dir, conf);
        } catch (IOException e) {
            throw new UncheckedIOException("checking " + dir + ": " + e.getMessage(), e);
        }
    }

    /** Makes the claimed folder: what is there goes first (with --overwrite, which {@link #claim} checked). */
    public void create() {
        try {
            FileSystem fs = path.getFileSystem(conf);
            if (fs.exists(path) && !fs.delete(path, true) && fs.exists(path)) {
                throw new IOException("could not clear " + path);
            }
            if (!fs.mkdirs(path)) {
                throw new IOException("could not create " + path);
            }
            OutputTarget.writeMarker(path, KIND, conf);
        } catch (IOException e) {
            throw new UncheckedIOException("preparing " + typed + ": " + e.getMessage(), e);
        }
    }

    /** The folder of a run to resume: it must hold a checkpoint. */
    public static RunFolder resume(String dir, Configuration conf) {
        Path path = HadoopPaths.qualified(dir, "--out", conf);
        try {
            if (!path.getFileSystem(conf).exists(new Path(path, CHECKPOINT))) {
                throw new BadInputException("--resume: no checkpoint at " + new Path(dir, CHECKPOINT)
                        + " (a run stopped before its first logged step has nothing to resume; start it again with --overwrite)");
            }
        } catch (IOException e) {
            throw new UncheckedIOException("reading " + dir + ": " + e.getMessage(), e);
        }
        return new RunFolder(path, dir, conf);
    }

    /** A file of the run. */
    public Path file(String name) {
        return new Path(path, name);
    }

    /** A file of the run as the user would name it, for messages. */
    public String named(String name) {
        return typed.endsWith("/") ? typed + name : typed + "/" + name;
    }

    /** The folder as the user gave it. */
    @Override
    public String toString() {
        return typed;
    }

    /** The run's saved config.conf as text. */
    public String savedConfig() {
        return read(CONFIG);
    }

    /**
     * Returns the folder to the state of its checkpoint at {@code step}: metrics rows and step files of later steps go,
     * and so do the hidden temporary files of writes that a kill cut short. Returns how many rows and files it removed.
     */
    public int reconcile(int step) {
        int removed = 0;
        try {
            FileSystem fs = path.getFileSystem(conf);
            for (FileStatus f : fs.listStatus(path)) {
                String name = f.getPath().getName();
                Matcher m = STEP_FILE.matcher(name);
                boolean later = m.matches() && Long.parseLong(m.group(2)) > step;
                boolean orphan = name.startsWith(".") && name.contains(".tmp-");
                if (later || orphan) {
                    fs.delete(f.getPath(), false);
                    removed += later ? 1 : 0;
                }
            }
            if (fs.exists(file(METRICS))) {
                List<String> kept = new ArrayList<>();
                List<String> lines = read(METRICS).lines().toList();
                for (int k = 0; k < lines.size(); k++) {
                    String line = lines.get(k);
                    if (k == 0 || !line.isBlank() && Long.parseLong(line.substring(0, line.indexOf(','))) <= step) {
                        kept.add(line);
                    }
                }
                if (kept.size() < lines.size()) {
                    removed += lines.size() - kept.size();
                    writeText(METRICS, String.join("\n", kept) + "\n");
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("reconciling " + typed + " with its checkpoint: " + e.getMessage(), e);
        }
        return removed;
    }

    /** The text of one of the run's files. */
    public String read(String name) {
        Path file = file(name);
        try (var in = file.getFileSystem(conf).open(file)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("reading " + file + ": " + e.getMessage(), e);
        }
    }

    /** Replaces one of the run's files, atomically. */
    public void writeText(String name, String text) {
        AtomicOutput.writeFile(file(name), conf, out -> out.write(text.getBytes(StandardCharsets.UTF_8)));
    }
}
