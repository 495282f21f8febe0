package org.wganspark.data;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.storage.StorageLevel;
import org.wganspark.io.BadInputException;
import org.wganspark.io.HadoopConf;
import org.wganspark.ot.Blocks;

/**
 * Opens a dataset on the driver (header checks only) and turns it into an RDD of {@link FloatBlock}s that
 * executors read themselves and keep cached: partition k reads its own contiguous run of rows.
 */
public final class Datasets {

    /** A dataset ready for jobs. Unpersist {@code blocks} when done. */
    public record Loaded(JavaRDD<FloatBlock> blocks, ImageShape shape, long rows, int partitions, String description) {
    }

    private Datasets() {
    }

    /** Finds the format (named dataset, IDX, npy, image folder) and checks the header. */
    public static RowSource open(DataSpec spec, Configuration conf, NamedDatasets named) {
        String source = spec.source();
        if (source == null || source.isBlank()) {
            throw new BadInputException("data.source: empty; expected mnist, fashion-mnist, ring8 or a path");
        }
        RowSource rows;
        if (source.equals(RingSource.NAME)) {
            rows = new RingSource(Math.max(spec.limit(), RingSource.DEFAULT_ROWS));
        } else if (NamedDatasets.isNamed(source)) {
            rows = IdxSource.open(named.resolve(source, spec.split(), spec.dir()), conf);
        } else {
            // relative paths resolve here, on the driver: executors run in other working directories
            source = HadoopFiles.absolute(source, conf);
            FileStatus status = HadoopFiles.status(source, conf);
            if (status.isDirectory()) {
                boolean npyParts = HadoopFiles.listFiles(source, conf).stream().anyMatch(s -> s.getPath().getName().endsWith(".npy"));
                rows = npyParts ? NpySource.open(source, conf) : ImageFolderSource.open(source, spec.transform(), conf);
            } else if (source.endsWith(".npy") || startsWith(source, conf, new byte[] {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y'})) {
                rows = NpySource.open(source, conf);
            } else {
                rows = IdxSource.open(source, conf);
            }
        }
        if (spec.shape() != null) {
            rows = new ReshapedSource(rows, spec.shape());
        }
        if (spec.limit() > 0 && spec.limit() > rows.rows()) {
            throw new BadInputException("data.limit: " + spec.limit() + " rows asked, " + rows.describe());
        }
        return rows.limit(spec.limit());
    }

    private static boolean startsWith(String path, Configuration conf, byte[] magic) {
        try (InputStream in = new BufferedInputStream(HadoopFiles.open(path, conf))) {
            byte[] head = in.readNBytes(magic.length);
            return java.util.Arrays.equals(head, magic);
        } catch (IOException e) {
            return false;
        }
    }

    /** The blocks of {@code source}, read on executors and cached there (MEMORY_ONLY). */
    public static Loaded load(JavaSparkContext sc, RowSource source, DataSpec spec) {
        int partitions = spec.partitions() > 0 ? spec.partitions() : sc.defaultParallelism();
        partitions = (int) Math.max(1, Math.min(partitions, source.rows()));
        List<long[]> ranges = new ArrayList<>(partitions);
        long rows = source.rows();
        for (int p = 0; p < partitions; p++) {
            long from = Blocks.start(rows, p, partitions);
            long to = Blocks.start(rows, p + 1, partitions);
            ranges.add(new long[] {from, to - from});
        }
        HadoopConf conf = new HadoopConf(sc.hadoopConfiguration());
        int blockRows = spec.blockRows();
        JavaRDD<FloatBlock> blocks = sc.parallelize(ranges, partitions)
                .flatMap(range -> source.read(range[0], range[1], blockRows, conf.get()))
                .persist(StorageLevel.MEMORY_ONLY());
        blocks.setName(source.describe());
        return new Loaded(blocks, source.shape(), rows, partitions, source.describe());
    }
}
