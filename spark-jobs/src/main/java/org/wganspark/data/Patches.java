package org.wganspark.data;

import java.io.IOException;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Iterator;
import java.util.List;
import java.util.SplittableRandom;
import org.apache.hadoop.fs.Path;
import org.apache.spark.SparkEnv;
import org.apache.spark.api.java.JavaRDD;
import org.wganspark.io.AtomicOutput;
import org.wganspark.io.BadInputException;
import org.wganspark.io.HadoopConf;
import org.wganspark.io.NpyWriter;
import org.wganspark.ot.patch.PatchExtractor;
import org.wganspark.ot.patch.PatchGeometry;

/**
 * Patch extraction on executors, a thin layer over {@link PatchExtractor}: each image block becomes one
 * block of pooled patches (global row = image * locations + location), or one block per location
 * ({@link FloatBlock#group} = location, global row = image index).
 */
public final class Patches {

    private Patches() {
    }

    public static PatchGeometry geometry(ImageShape shape, int patchSize, int stride) {
        if (patchSize > shape.height() || patchSize > shape.width()) {
            throw new BadInputException("patches.size: " + patchSize + " is larger than the " + shape.height() + "x" + shape.width() + " images");
        }
        if (patchSize < 1 || stride < 1) {
            throw new BadInputException("patches.size and patches.stride: expected positive values, found " + patchSize + " and " + stride);
        }
        return new PatchGeometry(shape.channels(), shape.height(), shape.width(), patchSize, stride);
    }

    /**
     * @param slowdownMillis fault-injection aid: sleep this long per image block (0 in normal use)
     */
    public static JavaRDD<FloatBlock> extract(JavaRDD<FloatBlock> images, PatchGeometry g, boolean perLocation, long slowdownMillis) {
        int locations = g.locations();
        int dimension = g.dimension();
        return images.flatMap(block -> {
            if (slowdownMillis > 0) {
                Thread.sleep(slowdownMillis);
            }
            boolean wide = block.doubles != null;
            if (!perLocation) {
                float[] out = new float[block.rows * locations * dimension];
                double[] outWide = wide ? new double[out.length] : null;
                PatchExtractor.pooled(block.values, block.rows, g, out);
                if (wide) {
                    PatchExtractor.pooled(block.doubles, block.rows, g, outWide);
                }
                return Collections.singletonList(new FloatBlock(block.firstRow * locations, block.rows * locations, dimension, -1, out, outWide))
                        .iterator();
            }
            List<FloatBlock> byLocation = new ArrayList<>(locations);
            for (int k = 0; k < locations; k++) {
                float[] out = new float[block.rows * dimension];
                double[] outWide = wide ? new double[out.length] : null;
                PatchExtractor.atLocation(block.values, block.rows, g, k, out);
                if (wide) {
                    PatchExtractor.atLocation(block.doubles, block.rows, g, k, outWide);
                }
                byLocation.add(new FloatBlock(block.firstRow, block.rows, dimension, k, out, outWide));
            }
            return byLocation.iterator();
        });
    }

    /** Count, moments, exact checksum and executor names of all rows, by treeAggregate. */
    public static PatchStats summarize(JavaRDD<FloatBlock> rows) {
        return rows.treeAggregate(PatchStats.EMPTY,
                (acc, block) -> acc.merge(PatchStats.of(block, SparkEnv.get().executorId())),
                PatchStats::merge, 2);
    }

    /**
     * Up to {@code k} rows drawn without replacement from {@code [0, total)} with a seeded generator, in
     * index order; for per-location blocks only {@code group == 0} is sampled.
     */
    public static float[] sample(JavaRDD<FloatBlock> rows, long total, int k, long seed, int dimension) {
        long[] picks = new SplittableRandom(seed).longs(Math.min(k * 4L, total * 4L), 0, Math.max(1, total)).distinct()
                .limit(Math.min(k, total)).sorted().toArray();
        List<float[]> found = rows.flatMap(block -> {
            List<float[]> hits = new ArrayList<>();
            if (block.group > 0) {
                return hits.iterator();
            }
            int from = Arrays.binarySearch(picks, block.firstRow);
            from = from < 0 ? -from - 1 : from;
            for (int i = from; i < picks.length && picks[i] < block.firstRow + block.rows; i++) {
                long r = picks[i] - block.firstRow;
                float[] row = new float[block.cols + 1];
                row[0] = picks[i];
                System.arraycopy(block.values, (int) (r * block.cols), row, 1, block.cols);
                hits.add(row);
            }
            return hits.iterator();
        }).collect();
        List<float[]> sorted = new ArrayList<>(found);
        sorted.sort((a, b) -> Float.compare(a[0], b[0]));
        float[] out = new float[sorted.size() * dimension];
        for (int i = 0; i < sorted.size(); i++) {
            System.arraycopy(sorted.get(i), 1, out, i * dimension, dimension);
        }
        return out;
    }

    /**
     * Writes each partition's rows as {@code part-NNNNN.npy} (pooled) or {@code loc-KKK/part-NNNNN.npy}
     * (per location) under {@code folder}; a retried task rewrites the same file with the same bytes.
     */
    public static void writeNpyParts(JavaRDD<FloatBlock> rows, String folder, HadoopConf conf) {
        rows.foreachPartition(new NpyPartWriter(folder, conf));
    }

    private static final class NpyPartWriter implements org.apache.spark.api.java.function.VoidFunction<Iterator<FloatBlock>> {
        private final String folder;
        private final HadoopConf conf;

        NpyPartWriter(String folder, HadoopConf conf) {
            this.folder = folder;
            this.conf = conf;
        }

        @Override
        public void call(Iterator<FloatBlock> it) throws IOException {
            int partition = org.apache.spark.TaskContext.getPartitionId();
            java.util.Map<Integer, List<FloatBlock>> byGroup = new java.util.TreeMap<>();
            while (it.hasNext()) {
                FloatBlock b = it.next();
                byGroup.computeIfAbsent(b.group, g -> new ArrayList<>()).add(b);
            }
            for (var entry : byGroup.entrySet()) {
                List<FloatBlock> blocks = entry.getValue();
                long rowCount = blocks.stream().mapToLong(b -> b.rows).sum();
                int cols = blocks.get(0).cols;
                String sub = entry.getKey() < 0 ? "" : String.format("loc-%03d/", entry.getKey());
                Path target = new Path(folder + "/" + sub + String.format("part-%05d.npy", partition));
                AtomicOutput.writeFile(target, conf.get(), (OutputStream out) -> {
                    NpyWriter.writeHeader(out, rowCount, cols);
                    for (FloatBlock b : blocks) {
                        NpyWriter.writeFloats(out, b.values, 0, b.values.length);
                    }
                });
            }
        }
    }
}
