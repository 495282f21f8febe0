package org.wganspark.data;

import java.util.Iterator;
import java.util.NoSuchElementException;

/**
 * Rows [first, first + count) of a source as blocks of at most {@code blockRows} rows: the iteration every
 * reader shares. A reader fills one block's values in order and closes its stream at the end.
 */
abstract class RowBlocks implements Iterator<FloatBlock> {

    private final long first;
    private final long count;
    private final int blockRows;
    private final int rowSize;
    private final boolean wide;
    private long done;
    private boolean closed;

    RowBlocks(long first, long count, int blockRows, int rowSize, long available) {
        this(first, count, blockRows, rowSize, available, false);
    }

    /** @param wide whether the source is float64 (blocks then carry doubles too) */
    RowBlocks(long first, long count, int blockRows, int rowSize, long available, boolean wide) {
        if (first < 0 || count < 0 || first + count > available) {
            throw new IllegalArgumentException("rows [" + first + ", " + (first + count) + ") outside [0, " + available + ")");
        }
        this.first = first;
        this.count = count;
        this.blockRows = blockRows;
        this.rowSize = rowSize;
        this.wide = wide;
    }

    /**
     * Reads the next {@code rows} rows (starting at global row {@code firstRow}) into {@code values}; a reader of
     * float64 data (constructed {@code wide}) also gets {@code doubles} to fill with the values as read, the floats
     * then being their rounding. {@code doubles} is null for the others.
     */
    protected abstract void fill(long firstRow, int rows, float[] values, double[] doubles);

    /** Releases the reader's stream, once, after the last block. */
    protected void close() {
    }

    @Override
    public final boolean hasNext() {
        if (done < count) {
            return true;
        }
        if (!closed) {
            closed = true;
            close();
        }
        return false;
    }

    @Override
    public final FloatBlock next() {
        if (!hasNext()) {
            throw new NoSuchElementException();
        }
        int n = (int) Math.min(blockRows, count - done);
        float[] values = new float[n * rowSize];
        double[] doubles = wide ? new double[n * rowSize] : null;
        fill(first + done, n, values, doubles);
        FloatBlock block = new FloatBlock(first + done, n, rowSize, -1, values, doubles);
        done += n;
        return block;
    }
}
