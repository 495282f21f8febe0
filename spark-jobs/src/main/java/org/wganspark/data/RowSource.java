package org.wganspark.data;

import java.io.Serializable;
import java.util.Iterator;
import org.apache.hadoop.conf.Configuration;

/**
 * A dataset whose header has been checked on the driver: a row count, a row shape, and a way for an
 * executor to read any contiguous run of rows itself, straight from the (Hadoop) file system. Sources
 * are small and serializable; the pixels never pass through the driver.
 */
public interface RowSource extends Serializable {

    /** Shape of one row. */
    ImageShape shape();

    /** Rows available (after any limit). */
    long rows();

    /** One line for people: what was opened, how many rows, which shape. */
    String describe();

    /**
     * Reads rows [first, first + count) as blocks of at most {@code blockRows} rows, values in [-1, 1]
     * for pixel data. Throws {@link BadInputException} naming the file when the content is not as the
     * header promised.
     */
    Iterator<FloatBlock> read(long first, long count, int blockRows, Configuration conf);

    /** "float64" when the rows are read at double precision (their blocks carry doubles), else "float32". */
    default String precision() {
        return "float32";
    }

    /** The same source with at most {@code limit} rows (0 keeps all). */
    RowSource limit(long limit);
}
