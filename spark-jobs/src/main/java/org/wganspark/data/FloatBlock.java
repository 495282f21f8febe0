package org.wganspark.data;

import com.esotericsoftware.kryo.Kryo;
import com.esotericsoftware.kryo.Serializer;
import com.esotericsoftware.kryo.io.Input;
import com.esotericsoftware.kryo.io.Output;
import java.io.Serializable;

/**
 * A block of consecutive rows (images or patches): {@code rows x cols} floats, row-major. This, not an
 * ND4J array, is what crosses the wire. {@code firstRow} is the global index of row 0, so results can be
 * tied back to the data; {@code group} is a patch location (-1 when the rows are not grouped). Rows read from
 * float64 data also carry their {@code doubles}, so that exact OT and evaluation see the data as given; the
 * floats are then their rounding (what training uses).
 */
public final class FloatBlock implements Serializable {

    public final long firstRow;
    public final int rows;
    public final int cols;
    public final int group;
    public final float[] values;
    /** The rows at float64, or null for float32 data. */
    public final double[] doubles;

    public FloatBlock(long firstRow, int rows, int cols, int group, float[] values, double[] doubles) {
        if ((long) rows * cols != values.length || doubles != null && doubles.length != values.length) {
            throw new IllegalArgumentException("block of " + rows + "x" + cols + " holds " + values.length + " values");
        }
        this.firstRow = firstRow;
        this.rows = rows;
        this.cols = cols;
        this.group = group;
        this.values = values;
        this.doubles = doubles;
    }

    public FloatBlock(long firstRow, int rows, int cols, int group, float[] values) {
        this(firstRow, rows, cols, group, values, null);
    }

    public FloatBlock(long firstRow, int rows, int cols, float[] values) {
        this(firstRow, rows, cols, -1, values, null);
    }

    /** Kryo wire format: four header fields, the raw floats, a flag and the raw doubles when there are some. */
    public static final class KryoSerializer extends Serializer<FloatBlock> {
        @Override
        public void write(Kryo kryo, Output out, FloatBlock b) {
            out.writeLong(b.firstRow);
            out.writeInt(b.rows);
            out.writeInt(b.cols);
            out.writeInt(b.group);
            out.writeFloats(b.values);
            out.writeBoolean(b.doubles != null);
            if (b.doubles != null) {
                out.writeDoubles(b.doubles);
            }
        }

        @Override
        public FloatBlock read(Kryo kryo, Input in, Class<FloatBlock> type) {
            long firstRow = in.readLong();
            int rows = in.readInt();
            int cols = in.readInt();
            int group = in.readInt();
            float[] values = in.readFloats(rows * cols);
            double[] doubles = in.readBoolean() ? in.readDoubles(rows * cols) : null;
            return new FloatBlock(firstRow, rows, cols, group, values, doubles);
        }
    }
}
