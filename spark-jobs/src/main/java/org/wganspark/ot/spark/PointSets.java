package org.wganspark.ot.spark;

import java.util.List;
import org.apache.spark.api.java.JavaRDD;
import org.wganspark.data.FloatBlock;
import org.wganspark.io.BadInputException;
import org.wganspark.ot.cost.PointSet;

/**
 * Brings a (moderate) set of rows to the driver as a {@link PointSet}: O(n d) memory, in row order, at the data's
 * own precision (float64 data stays float64).
 */
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
        return of(blocks.collect(), (int) rows, dimension, what);
    }

    /**
     * The rows of {@code blocks} (each placed by its firstRow) as one set: float64 when the blocks carry doubles.
     *
     * @param rows the rows to keep, [0, rows): blocks and rows beyond are left out
     */
    public static PointSet of(List<FloatBlock> blocks, int rows, int dimension, String what) {
        boolean wide = !blocks.isEmpty() && blocks.get(0).doubles != null;
        float[] values = new float[rows * dimension];
        double[] doubles = wide ? new double[values.length] : null;
        for (FloatBlock b : blocks) {
            int take = (int) Math.min(b.rows, rows - b.firstRow);
            if (take <= 0) {
                continue;
            }
            System.arraycopy(b.values, 0, values, (int) (b.firstRow * dimension), take * dimension);
            if (wide) {
                System.arraycopy(b.doubles, 0, doubles, (int) (b.firstRow * dimension), take * dimension);
            }
        }
        for (int k = 0; k < values.length; k++) {
            if (wide ? !Double.isFinite(doubles[k]) : !Float.isFinite(values[k])) {
                throw new BadInputException(what + ": row " + k / dimension + " has a non-finite value " + (wide ? doubles[k] : values[k])
                        + " at coordinate " + k % dimension);
            }
        }
        return new PointSet(values, doubles, rows, dimension);
    }

    /** The first {@code rows} rows of {@code blocks} on the driver, at the data's precision. */
    public static PointSet firstRows(JavaRDD<FloatBlock> blocks, int rows, int dimension) {
        return of(blocks.filter(b -> b.firstRow < rows).collect(), rows, dimension, "the first " + rows + " rows");
    }
}
