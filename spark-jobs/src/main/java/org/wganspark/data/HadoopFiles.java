package org.wganspark.data;

import java.io.EOFException;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.security.AccessControlException;
import org.wganspark.io.BadInputException;

/** Small helpers over the Hadoop FileSystem API that turn I/O failures into one-line input errors. */
final class HadoopFiles {

    private HadoopFiles() {
    }

    /**
     * A relative path made absolute against this JVM's working directory (or the file system's home, on HDFS); a path
     * that is absolute already, with or without a scheme, is returned as given.
     */
    static String absolute(String path, Configuration conf) {
        Path p = new Path(path);
        if (p.isAbsolute() || p.toUri().getScheme() != null) {
            return path;
        }
        try {
            return p.getFileSystem(conf).makeQualified(p).toString();
        } catch (IOException | IllegalArgumentException e) {
            throw new BadInputException(path + ": not a usable path: " + oneLine(e));
        }
    }

    static FileStatus status(String path, Configuration conf) {
        try {
            Path p = new Path(path);
            return p.getFileSystem(conf).getFileStatus(p);
        } catch (FileNotFoundException e) {
            throw new BadInputException(path + ": no such file or folder");
        } catch (AccessControlException e) {
            throw new BadInputException(path + ": not readable (permission denied)");
        } catch (IOException | IllegalArgumentException e) {
            throw new BadInputException(path + ": cannot be opened: " + oneLine(e));
        }
    }

    static InputStream open(String path, Configuration conf) {
        try {
            Path p = new Path(path);
            return p.getFileSystem(conf).open(p);
        } catch (FileNotFoundException e) {
            throw new BadInputException(path + ": no such file or folder");
        } catch (AccessControlException e) {
            throw new BadInputException(path + ": not readable (permission denied)");
        } catch (IOException e) {
            throw new BadInputException(path + ": cannot be opened: " + oneLine(e));
        }
    }

    /** Files directly in a folder, hidden ones (".x", "_x") left out, sorted by name. */
    static List<FileStatus> listFiles(String folder, Configuration conf) {
        try {
            Path p = new Path(folder);
            FileStatus[] all = p.getFileSystem(conf).listStatus(p);
            List<FileStatus> files = new ArrayList<>();
            for (FileStatus s : all) {
                String name = s.getPath().getName();
                if (s.isFile() && !name.startsWith(".") && !name.startsWith("_")) {
                    files.add(s);
                }
            }
            files.sort(Comparator.comparing(s -> s.getPath().getName()));
            return files;
        } catch (FileNotFoundException e) {
            throw new BadInputException(folder + ": no such file or folder");
        } catch (IOException e) {
            throw new BadInputException(folder + ": cannot be listed: " + oneLine(e));
        }
    }

    static void readFully(InputStream in, byte[] buffer, int length, String path, String what) {
        int done = 0;
        try {
            while (done < length) {
                int n = in.read(buffer, done, length - done);
                if (n < 0) {
                    throw new EOFException();
                }
                done += n;
            }
        } catch (EOFException e) {
            throw new BadInputException(path + ": truncated: ended after " + done + " of the " + length + " bytes of " + what);
        } catch (IOException e) {
            throw new UncheckedIOException(path + ": read failed: " + oneLine(e), e);
        }
    }

    /** Moves a stream from {@link #open} (a Hadoop FSDataInputStream) to {@code position}. */
    static void seek(InputStream in, long position, String path) {
        try {
            ((org.apache.hadoop.fs.Seekable) in).seek(position);
        } catch (java.io.EOFException e) {
            throw new BadInputException(path + ": truncated: ends before byte " + position);
        } catch (IOException e) {
            throw new UncheckedIOException(path + ": read failed: " + oneLine(e), e);
        }
    }

    static void skipFully(InputStream in, long bytes, String path) {
        try {
            long left = bytes;
            byte[] scratch = null;
            while (left > 0) {
                long n = in.skip(left);
                if (n <= 0) {
                    if (scratch == null) {
                        scratch = new byte[1 << 16];
                    }
                    int r = in.read(scratch, 0, (int) Math.min(scratch.length, left));
                    if (r < 0) {
                        throw new BadInputException(path + ": truncated: ended " + left + " bytes before the requested rows");
                    }
                    n = r;
                }
                left -= n;
            }
        } catch (IOException e) {
            throw new UncheckedIOException(path + ": read failed: " + oneLine(e), e);
        }
    }

    /** Counts the bytes left in a stream, stopping at {@code cap} (so a lying header cannot make us read forever). */
    static long countRemaining(InputStream in, long cap, String path) {
        byte[] scratch = new byte[1 << 16];
        long total = 0;
        try {
            while (total < cap) {
                int r = in.read(scratch, 0, (int) Math.min(scratch.length, cap - total));
                if (r < 0) {
                    break;
                }
                total += r;
            }
        } catch (IOException e) {
            throw new BadInputException(path + ": unreadable (corrupt compressed data?): " + oneLine(e));
        }
        return total;
    }

    static boolean startsWithGzipMagic(byte[] head) {
        return head.length >= 2 && (head[0] & 0xff) == 0x1f && (head[1] & 0xff) == 0x8b;
    }

    /** Closes a reader's stream; a failure to close is an I/O error, not bad input. */
    static void close(InputStream in) {
        try {
            in.close();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static String oneLine(Throwable e) {
        String m = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        int nl = m.indexOf('\n');
        return nl < 0 ? m : m.substring(0, nl);
    }

    static float[] toUnitRange(byte[] pixels, int length, float[] out) {
        for (int i = 0; i < length; i++) {
            out[i] = (pixels[i] & 0xff) * (2f / 255f) - 1f;
        }
        return out;
    }
}
