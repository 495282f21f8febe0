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
    private long done;
    private boolean closed;

    RowBlocks(long first, long count, int blockRows, int rowSize, long available) {
        if (first < 0 || count < 0 || first + count > available) {
            throw new IllegalArgumentException("rows [" + first + ", " + (first + count) + ") outside [0, " + available + ")");
        }
        this.first = first;
        this.count = count;
        this.blockRows = blockRows;
        this.rowSize = rowSize;
    }

    /** Reads the next {@code rows} rows (starting at global row {@code firstRow}) into {@code values}. */
    protected abstract void fill(long firstRow, int rows, float[] values);

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
        fill(first + done, n, values);
        FloatBlock block = new FloatBlock(first + done, n, rowSize, values);
        done += n;
        return block;
    }
}
