package org.wganspark.io;

import java.io.IOException;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;

/**
 * Paths as the user typed them, made absolute on the driver: a relative path resolves against the driver's
 * working directory (or, on HDFS, the user's home folder) before it travels to executors, whose working
 * directories are elsewhere.
 */
public final class HadoopPaths {

    private HadoopPaths() {
    }

    /** {@code path} with its file system's scheme and authority and an absolute location. */
    public static Path qualified(String path, String option, Configuration conf) {
        try {
            Path p = new Path(path);
            return p.getFileSystem(conf).makeQualified(p);
        } catch (IOException | IllegalArgumentException e) {
            throw new BadInputException(option + " " + path + ": not a usable path: " + e.getMessage());
        }
    }

    /** {@link #qualified} as a string, for sources that are shipped to executors. */
    public static String absolute(String path, String option, Configuration conf) {
        return qualified(path, option, conf).toString();
    }
}
