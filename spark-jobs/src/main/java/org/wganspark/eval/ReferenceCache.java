package org.wganspark.eval;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.function.Supplier;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.wganspark.io.AtomicOutput;
import org.wganspark.io.Version;

/**
 * The expensive part of a reference (loading, patch extraction, merging duplicates) kept beside the score table, in
 * {@code TABLE/_cache/<key>.bin}: the key hashes what the reference is (its id and a fingerprint of its files), the
 * patch geometry and the version, so a changed input or parameter is a new entry and an entry is never stale. Written
 * whole (write then rename); an entry that cannot be read is rebuilt.
 */
public final class ReferenceCache {

    /** How the last {@link #get} was served. */
    public enum Outcome { HIT, BUILT }

    private final Path folder;
    private final Configuration conf;
    private Outcome last;

    public ReferenceCache(Path table, Configuration conf) {
        this.folder = new Path(table, "_cache");
        this.conf = conf;
    }

    /** The key of a reference with these settings. */
    public static String key(String id, String fingerprint, int patchSize, int patchStride, boolean patches, String heldOutId) {
        String text = String.join("\n", "reference v1", Version.current(), id, fingerprint, heldOutId,
                patches ? "p=" + patchSize + ",s=" + patchStride : "no patches");
        try {
            byte[] hash = MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(hash, 0, 16);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The cached reference of {@code key}, or the one {@code build} makes, stored for next time. */
    public Reference get(String key, Supplier<Reference> build) {
        Path file = new Path(folder, key + ".bin");
        try {
            FileSystem fs = file.getFileSystem(conf);
            if (fs.exists(file)) {
                try (ObjectInputStream in = new ObjectInputStream(new BufferedInputStream(fs.open(file), 1 << 20))) {
                    Reference r = (Reference) in.readObject();
                    last = Outcome.HIT;
                    return r;
                } catch (IOException | ClassNotFoundException | ClassCastException e) {
                    fs.delete(file, false);  // unreadable: rebuilt below
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("reading the reference cache " + file + ": " + e.getMessage(), e);
        }
        Reference built = build.get();
        AtomicOutput.writeFile(file, conf, stream -> {
            ObjectOutputStream out = new ObjectOutputStream(new BufferedOutputStream(stream, 1 << 20));
            out.writeObject(built);
            out.flush();
        });
        last = Outcome.BUILT;
        return built;
    }

    /** How the last reference was served, or null before any. */
    public Outcome last() {
        return last;
    }
}
