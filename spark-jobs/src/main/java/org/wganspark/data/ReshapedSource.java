package org.wganspark.data;

import java.util.Iterator;
import org.apache.hadoop.conf.Configuration;
import org.wganspark.io.BadInputException;

/**
 * A source whose rows are declared to be images of another shape with the same number of values
 * ({@code data.image.shape}: a flat (n, 784) array seen as 28x28 images, so patches and convolutional critics can
 * use it). The values are read as they are: channel planes, then rows, then columns.
 */
final class ReshapedSource implements RowSource {

    private final RowSource rows;
    private final ImageShape shape;

    ReshapedSource(RowSource rows, ImageShape shape) {
        if (rows.shape().size() != shape.size()) {
            throw new BadInputException("data.image.shape " + shape + ": " + rows.describe() + " hold " + rows.shape().size() + " values a row, "
                    + shape + " needs " + shape.size());
        }
        this.rows = rows;
        this.shape = shape;
    }

    @Override
    public ImageShape shape() {
        return shape;
    }

    @Override
    public long rows() {
        return rows.rows();
    }

    @Override
    public String describe() {
        return rows.describe() + " as " + shape + " images";
    }

    @Override
    public Iterator<FloatBlock> read(long first, long count, int blockRows, Configuration conf) {
        return rows.read(first, count, blockRows, conf);
    }

    @Override
    public String precision() {
        return rows.precision();
    }

    @Override
    public RowSource limit(long limit) {
        return new ReshapedSource(rows.limit(limit), shape);
    }
}
