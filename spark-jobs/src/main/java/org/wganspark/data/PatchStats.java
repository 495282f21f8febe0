package org.wganspark.data;

import com.esotericsoftware.kryo.Kryo;
import com.esotericsoftware.kryo.Serializer;
import com.esotericsoftware.kryo.io.Input;
import com.esotericsoftware.kryo.io.Output;
import java.io.Serializable;
import java.util.Arrays;
import java.util.TreeSet;
import org.wganspark.ot.patch.PatchChecksum;

/**
 * Summary of a set of rows, mergeable in any order: count, value moments and range, the exact
 * {@link PatchChecksum}, and which executors produced the rows.
 */
public record PatchStats(long rows, int dimension, double sum, double sumSquares, float min, float max, long checksum,
                         String[] executors) implements Serializable {

    public static final PatchStats EMPTY = new PatchStats(0, 0, 0, 0, Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY, 0, new String[0]);

    public static PatchStats of(FloatBlock block, String executor) {
        double s = 0;
        double s2 = 0;
        float lo = Float.POSITIVE_INFINITY;
        float hi = Float.NEGATIVE_INFINITY;
        for (float v : block.values) {
            s += v;
            s2 += (double) v * v;
            lo = Math.min(lo, v);
            hi = Math.max(hi, v);
        }
        long firstRow = block.firstRow;
        return new PatchStats(block.rows, block.cols, s, s2, lo, hi,
                PatchChecksum.of(block.values, block.rows, block.cols, firstRow), new String[] {executor});
    }

    public PatchStats merge(PatchStats o) {
        if (rows > 0 && o.rows > 0 && dimension != o.dimension) {
            throw new IllegalStateException("merging rows of dimension " + dimension + " and " + o.dimension);
        }
        TreeSet<String> names = new TreeSet<>(Arrays.asList(executors));
        names.addAll(Arrays.asList(o.executors));
        return new PatchStats(rows + o.rows, Math.max(dimension, o.dimension), sum + o.sum, sumSquares + o.sumSquares,
                Math.min(min, o.min), Math.max(max, o.max), checksum + o.checksum, names.toArray(new String[0]));
    }

    public double mean() {
        return sum / ((double) rows * dimension);
    }

    public double std() {
        double n = (double) rows * dimension;
        return Math.sqrt(Math.max(0, sumSquares / n - mean() * mean()));
    }

    /** One JSON object, for summary files and stdout. */
    public String toJson() {
        StringBuilder ex = new StringBuilder();
        for (String e : executors) {
            ex.append(ex.length() == 0 ? "" : ",").append('"').append(e).append('"');
        }
        return String.format(java.util.Locale.ROOT,
                "{\"rows\":%d,\"dimension\":%d,\"mean\":%.9g,\"std\":%.9g,\"min\":%.9g,\"max\":%.9g,\"checksum\":\"%016x\",\"executors\":[%s]}",
                rows, dimension, mean(), std(), min, max, checksum, ex);
    }

    /** Kryo wire format for the records that come back from treeAggregate. */
    public static final class KryoSerializer extends Serializer<PatchStats> {
        @Override
        public void write(Kryo kryo, Output out, PatchStats s) {
            out.writeLong(s.rows);
            out.writeInt(s.dimension);
            out.writeDouble(s.sum);
            out.writeDouble(s.sumSquares);
            out.writeFloat(s.min);
            out.writeFloat(s.max);
            out.writeLong(s.checksum);
            out.writeInt(s.executors.length);
            for (String e : s.executors) {
                out.writeString(e);
            }
        }

        @Override
        public PatchStats read(Kryo kryo, Input in, Class<PatchStats> type) {
            long rows = in.readLong();
            int dimension = in.readInt();
            double sum = in.readDouble();
            double sumSquares = in.readDouble();
            float min = in.readFloat();
            float max = in.readFloat();
            long checksum = in.readLong();
            String[] executors = new String[in.readInt()];
            for (int i = 0; i < executors.length; i++) {
                executors[i] = in.readString();
            }
            return new PatchStats(rows, dimension, sum, sumSquares, min, max, checksum, executors);
        }
    }
}
