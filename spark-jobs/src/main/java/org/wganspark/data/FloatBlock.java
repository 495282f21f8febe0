package org.wganspark.data;

import com.esotericsoftware.kryo.Kryo;
import com.esotericsoftware.kryo.Serializer;
import com.esotericsoftware.kryo.io.Input;
import com.esotericsoftware.kryo.io.Output;
import java.io.Serializable;

/**
 * A block of consecutive rows (images or patches): {@code rows x cols} floats, row-major. This, not an
 * ND4J array, is what crosses the wire. {@code firstRow} is the global index of row 0, so results can be
 * tied back to the data; {@code group} is a patch location (-1 when the rows are not grouped).
 */
public final class FloatBlock implements Serializable {

    public final long firstRow;
    public final int rows;
    public final int cols;
    public final int group;
    public final float[] values;

    public FloatBlock(long firstRow, int rows, int cols, int group, float[] values) {
        if ((long) rows * cols != values.length) {
            throw new IllegalArgumentException("block of " + rows + "x" + cols + " holds " + values.length + " values");
        }
        this.firstRow = firstRow;
        this.rows = rows;
        this.cols = cols;
        this.group = group;
        this.values = values;
    }

    public FloatBlock(long firstRow, int rows, int cols, float[] values) {
        this(firstRow, rows, cols, -1, values);
    }

    /** Kryo wire format: four header fields, then the raw floats. */
    public static final class KryoSerializer extends Serializer<FloatBlock> {
        @Override
        public void write(Kryo kryo, Output out, FloatBlock b) {
            out.writeLong(b.firstRow);
            out.writeInt(b.rows);
            out.writeInt(b.cols);
            out.writeInt(b.group);
            out.writeFloats(b.values);
        }

        @Override
        public FloatBlock read(Kryo kryo, Input in, Class<FloatBlock> type) {
            long firstRow = in.readLong();
            int rows = in.readInt();
            int cols = in.readInt();
            int group = in.readInt();
            return new FloatBlock(firstRow, rows, cols, group, in.readFloats(rows * cols));
        }
    }
}
