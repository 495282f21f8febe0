package org.wganspark.io;

import java.io.IOException;
import java.io.OutputStream;
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

/**
 * Where a command writes its output folder, checked before any work starts, so that no command ever destroys
 * what a user has:
 * <ul>
 *   <li>a target that is an input of the command, or holds one, is refused, with or without {@code --overwrite};</li>
 *   <li>a target that does not exist, or is an empty folder, is taken;</li>
 *   <li>a folder that this command wrote before (its marker file names the same kind) is replaced;</li>
 *   <li>anything else is refused with one line, unless {@code --overwrite} says to replace it.</li>
 * </ul>
 * The output is built in a hidden staging folder beside the target and swapped in when complete: the old
 * content is moved aside, the staging folder renamed into place, then the old content deleted. A reader sees the
 * old folder or the new one, never a half-written one. The marker, {@value #MARKER}, is hidden from our readers
 * and from Spark's (names starting with '_' are skipped).
 */
public final class OutputTarget {

    /** The file in every output folder that says which command wrote it. */
    public static final String MARKER = "_wgan-spark.json";
    private static final Pattern KIND = Pattern.compile("\"command\"\\s*:\\s*\"([^\"]*)\"");

    private final Path path;
    private final String typed;
    private final String kind;
    private final Configuration conf;

    private OutputTarget(Path path, String typed, String kind, Configuration conf) {
        this.path = path;
        this.typed = typed;
        this.kind = kind;
        this.conf = conf;
    }

    /**
     * @param target    the folder to write (any Hadoop path; relative paths resolve against the working directory)
     * @param option    how the user named it, for messages (e.g. "--out", "--plan-out")
     * @param kind      the command's name, written into the marker
     * @param overwrite whether the user passed {@code --overwrite}
     * @param inputs    paths the command reads (not named datasets; blanks are skipped)
     */
    public static OutputTarget claim(String target, String option, String kind, boolean overwrite, Collection<String> inputs,
                                     Configuration conf) {
        Path path = HadoopPaths.qualified(target, option, conf);
        refuseInputs(path, option, inputs, conf);
        try {
            FileSystem fs = path.getFileSystem(conf);
            if (!fs.exists(path)) {
                return new OutputTarget(path, target, kind, conf);
            }
            FileStatus status = fs.getFileStatus(path);
            if (!status.isDirectory()) {
                if (!overwrite) {
                    throw new BadInputException(option + " " + target + ": a file is there; choose another path or pass --overwrite to replace it");
                }
                return new OutputTarget(path, target, kind, conf);
            }
            FileStatus[] entries = fs.listStatus(path);
            if (entries.length == 0 || overwrite || kind.equals(kindOf(path, fs))) {
                return new OutputTarget(path, target, kind, conf);
            }
            throw new BadInputException(option + " " + target + ": holds " + describe(entries) + ", not the output of an earlier '" + kind
                    + "'; choose another folder or pass --overwrite to replace it");
        } catch (IOException e) {
            throw new BadInputException(option + " " + target + ": cannot be checked: " + e.getMessage());
        }
    }

    /** The command that wrote {@code folder} (its marker), or null when it has none. */
    public static String kindOf(Path folder, FileSystem fs) throws IOException {
        Path marker = new Path(folder, MARKER);
        if (!fs.exists(marker)) {
            return null;
        }
        try (var in = fs.open(marker)) {
            Matcher m = KIND.matcher(new String(in.readNBytes(4096), StandardCharsets.UTF_8));
            return m.find() ? m.group(1) : null;
        }
    }

    /** Inputs are never written over: not the target itself, nothing inside it. */
    public static void refuseInputs(Path target, String option, Collection<String> inputs, Configuration conf) {
        String prefix = target.toString().endsWith("/") ? target.toString() : target + "/";
        for (String input : inputs) {
            if (input == null || input.isBlank()) {
                continue;
            }
            Path in = HadoopPaths.qualified(input, "input", conf);
            if (in.equals(target) || in.toString().startsWith(prefix)) {
                throw new BadInputException(option + " " + target + ": " + (in.equals(target) ? "is" : "holds") + " the input " + input
                        + "; a command never replaces its input, choose another path");
            }
        }
    }

    private static String describe(FileStatus[] entries) {
        List<String> names = new ArrayList<>();
        for (int k = 0; k < Math.min(3, entries.length); k++) {
            names.add(entries[k].getPath().getName());
        }
        return entries.length + (entries.length == 1 ? " entry (" : " entries (") + String.join(", ", names) + (entries.length > 3 ? ", ..." : "") + ")";
    }

    /** The qualified target. */
    public Path path() {
        return path;
    }

    /** The target as the user gave it, for messages and results. */
    @Override
    public String toString() {
        return typed;
    }

    /**
     * A fresh hidden staging folder beside the target, to fill and then {@link Staging#commit}; closing it without a
     * commit (the command failed) deletes it, and the target stays as it was.
     */
    public Staging stage() {
        try {
            FileSystem fs = path.getFileSystem(conf);
            Path staging = new Path(path.getParent(), "." + path.getName() + ".staging-" + Long.toHexString(System.nanoTime()));
            if (!fs.mkdirs(staging)) {
                throw new IOException("could not create " + staging);
            }
            return new Staging(staging);
        } catch (IOException e) {
            throw new UncheckedIOException("preparing " + path + ": " + e.getMessage(), e);
        }
    }

    /** An output being written; commit swaps it in for the target. */
    public final class Staging implements AutoCloseable {

        private final Path folder;
        private boolean committed;

        private Staging(Path folder) {
            this.folder = folder;
        }

        /** Where the output's files go until the commit. */
        public Path path() {
            return folder;
        }

        /** A file of the output, in the staging folder. */
        public Path file(String name) {
            return new Path(folder, name);
        }

        /** Writes the marker and swaps the complete output in for the target: the old content moved aside, then deleted. */
        public void commit() {
            writeMarker(folder, kind, conf);
            try {
                FileSystem fs = path.getFileSystem(conf);
                Path aside = null;
                if (fs.exists(path)) {
                    aside = new Path(path.getParent(), "." + path.getName() + ".replaced-" + Long.toHexString(System.nanoTime()));
                    if (!fs.rename(path, aside)) {
                        throw new IOException("could not move the earlier " + path + " aside");
                    }
                }
                if (!fs.rename(folder, path)) {
                    if (aside != null) {
                        fs.rename(aside, path);
                    }
                    throw new IOException("could not rename " + folder + " to " + path);
                }
                committed = true;
                if (aside != null) {
                    fs.delete(aside, true);
                }
            } catch (IOException e) {
                throw new UncheckedIOException("committing " + path + ": " + e.getMessage(), e);
            }
        }

        /** Deletes the staging folder unless it was committed. */
        @Override
        public void close() {
            if (committed) {
                return;
            }
            try {
                folder.getFileSystem(conf).delete(folder, true);
            } catch (IOException e) {
                throw new UncheckedIOException("removing " + folder + ": " + e.getMessage(), e);
            }
        }
    }

    /** The marker of a folder written in place (a run folder). */
    public static void writeMarker(Path folder, String kind, Configuration conf) {
        String json = "{\"command\":\"" + kind + "\",\"version\":\"" + Version.current() + "\"}\n";
        AtomicOutput.writeFile(new Path(folder, MARKER), conf, (OutputStream out) -> out.write(json.getBytes(StandardCharsets.UTF_8)));
    }
}
