package org.wganspark.data;

import org.wganspark.io.BadInputException;

/**
 * What to load: the {@code data} section of an experiment config.
 *
 * @param source     a named dataset (mnist, fashion-mnist) or a path (file:, hdfs:, s3a:, or plain) to an IDX
 *                   file, a .npy file, a folder of .npy parts or an image folder
 * @param dir        folder holding a named dataset's files, "" to search the usual places
 * @param split      train or test, for named datasets
 * @param limit      keep the first N rows, 0 for all
 * @param transform  crop / grayscale / resize for image folders
 * @param blockRows  rows per block
 * @param partitions partitions of the cached RDD, 0 for the cluster's default parallelism
 * @param shape      the image shape the rows are declared to have (flat arrays as images), or null to keep theirs
 */
public record DataSpec(String source, String dir, String split, long limit, ImageTransform transform, int blockRows, int partitions,
                       ImageShape shape) {

    public DataSpec(String source, String dir, String split, long limit, ImageTransform transform, int blockRows, int partitions) {
        this(source, dir, split, limit, transform, blockRows, partitions, null);
    }

    /** "HxW" (one channel) or "CxHxW", as data.image.shape says it; "" for none. */
    public static ImageShape parseShape(String text) {
        if (text.isBlank()) {
            return null;
        }
        String[] parts = text.trim().split("x");
        try {
            if (parts.length == 2 || parts.length == 3) {
                int c = parts.length == 3 ? Integer.parseInt(parts[0]) : 1;
                int h = Integer.parseInt(parts[parts.length - 2]);
                int w = Integer.parseInt(parts[parts.length - 1]);
                if (c > 0 && h > 0 && w > 0) {
                    return new ImageShape(c, h, w);
                }
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new BadInputException("data.image.shape: expected HxW or CxHxW with positive sizes, like 28x28 or 3x32x32, found '" + text + "'");
    }

    /** The same data with another source, split and limit (the two sets of an OT command). */
    public DataSpec with(String otherSource, String otherSplit, long otherLimit) {
        return new DataSpec(otherSource, dir, otherSplit, otherLimit, transform, blockRows, partitions, shape);
    }

    public DataSpec {
        if (limit < 0) {
            throw new BadInputException("data.limit: expected 0 (all) or a positive count, found " + limit);
        }
        if (blockRows < 1) {
            throw new BadInputException("data.block-rows: expected a positive count, found " + blockRows);
        }
        if (partitions < 0) {
            throw new BadInputException("data.partitions: expected 0 (default) or a positive count, found " + partitions);
        }
    }
}
