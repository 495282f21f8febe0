package org.wganspark.runtime;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

/**
 * Write-then-rename on any Hadoop file system, so a reader never sees a half-written file or folder:
 * content goes to a hidden sibling first and is renamed into place when complete.
 */
public final class AtomicOutput {

    /** Writes one stream's worth of content. */
    @FunctionalInterface
    public interface Writer {
        void write(OutputStream out) throws IOException;
    }

    private AtomicOutput() {
    }

    /** Writes {@code target} through a temporary sibling; an existing target is replaced. */
    public static void writeFile(Path target, Configuration conf, Writer writer) {
        try {
            FileSystem fs = target.getFileSystem(conf);
            fs.setWriteChecksum(false);  // no .crc sidecars next to results on the local file system
            Path tmp = new Path(target.getParent(), "." + target.getName() + ".tmp-" + Long.toHexString(System.nanoTime()));
            try (OutputStream out = fs.create(tmp, true)) {
                writer.write(out);
            } catch (IOException | RuntimeException e) {
                fs.delete(tmp, false);
                throw e;
            }
            if (fs.exists(target)) {
                fs.delete(target, false);
            }
            if (!fs.rename(tmp, target)) {
                fs.delete(tmp, false);
                throw new IOException("could not rename " + tmp + " to " + target);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("writing " + target + ": " + e.getMessage(), e);
        }
    }

    /** A hidden staging folder next to {@code target}, to be filled and then {@link #commitDirectory}'d. */
    public static Path stagingDirectory(Path target, Configuration conf) {
        try {
            FileSystem fs = target.getFileSystem(conf);
            Path staging = new Path(target.getParent(), "." + target.getName() + ".staging");
            fs.delete(staging, true);
            fs.mkdirs(staging);
            return staging;
        } catch (IOException e) {
            throw new UncheckedIOException("preparing " + target + ": " + e.getMessage(), e);
        }
    }

    /** Moves a complete staging folder to {@code target}, replacing what was there. */
    public static void commitDirectory(Path staging, Path target, Configuration conf) {
        try {
            FileSystem fs = target.getFileSystem(conf);
            if (fs.exists(target)) {
                fs.delete(target, true);
            }
            if (!fs.rename(staging, target)) {
                throw new IOException("could not rename " + staging + " to " + target);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("committing " + target + ": " + e.getMessage(), e);
        }
    }
}
