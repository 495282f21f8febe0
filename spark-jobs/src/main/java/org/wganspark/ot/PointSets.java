package org.wganspark.ot;

import java.util.List;
import org.apache.spark.api.java.JavaRDD;
import org.wganspark.data.BadInputException;
import org.wganspark.data.FloatBlock;
import org.wganspark.ot.cost.PointSet;

/** Brings a (moderate) set of rows to the driver as a {@link PointSet}: O(n d) memory, in row order. */
public final class PointSets {

    private PointSets() {
    }

    /**
     * @param what names the input in error messages (e.g. "--x fashion-mnist")
     */
    public static PointSet collect(JavaRDD<FloatBlock> blocks, long rows, int dimension, String what) {
        if (rows == 0) {
            throw new BadInputException(what + ": empty set (0 rows)");
        }
        if (rows * dimension > Integer.MAX_VALUE - 8) {
            throw new BadInputException(what + ": " + rows + " rows of " + dimension + " values do not fit one array on the driver");
        }
        float[] values = new float[(int) (rows * dimension)];
        List<FloatBlock> all = blocks.collect();
        for (FloatBlock b : all) {
            System.arraycopy(b.values, 0, values, (int) (b.firstRow * dimension), b.values.length);
        }
        for (int k = 0; k < values.length; k++) {
            if (!Float.isFinite(values[k])) {
                throw new BadInputException(what + ": row " + k / dimension + " has a non-finite value " + values[k] + " at coordinate " + k % dimension);
            }
        }
        return new PointSet(values, (int) rows, dimension);
    }
}
