package org.wganspark.data;

import com.typesafe.config.Config;

/**
 * What to load, as the {@code data} section of an experiment config says it.
 *
 * @param source     a named dataset (mnist, fashion-mnist) or a path (file:, hdfs:, s3a:, or plain) to an IDX
 *                   file, a .npy file, a folder of .npy parts or an image folder
 * @param dir        folder holding a named dataset's files, "" to search the usual places
 * @param split      train or test, for named datasets
 * @param limit      keep the first N rows, 0 for all
 * @param transform  crop / grayscale / resize for image folders
 * @param blockRows  rows per block
 * @param partitions partitions of the cached RDD, 0 for the cluster's default parallelism
 */
public record DataSpec(String source, String dir, String split, long limit, ImageTransform transform, int blockRows, int partitions) {

    public static DataSpec fromConfig(Config data) {
        Config image = data.getConfig("image");
        return new DataSpec(data.getString("source"), data.getString("dir"), data.getString("split"), data.getLong("limit"),
                new ImageTransform(image.getInt("crop"), image.getInt("size"), image.getBoolean("grayscale")),
                data.getInt("block-rows"), data.getInt("partitions"));
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
