package org.wganspark.io;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

/**
 * Write-then-rename of one file on any Hadoop file system, so a reader never sees a half-written file: content goes
 * to a hidden sibling first and is renamed into place when complete. Whole folders: {@link OutputTarget}.
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
}
