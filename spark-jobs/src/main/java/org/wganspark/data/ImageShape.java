package org.wganspark.data;

import java.io.Serializable;

/** Shape of one image: channels x height x width, stored row-major (channel planes). */
public record ImageShape(int channels, int height, int width) implements Serializable {

    public ImageShape {
        if (channels < 1 || height < 1 || width < 1) {
            throw new IllegalArgumentException("image shape must be positive, found " + channels + "x" + height + "x" + width);
        }
    }

    /** A flat (non-image) row of {@code d} values, seen as 1 x 1 x d. */
    public static ImageShape flat(int dimension) {
        return new ImageShape(1, 1, dimension);
    }

    public int size() {
        return channels * height * width;
    }

    @Override
    public String toString() {
        return channels + "x" + height + "x" + width;
    }
}
