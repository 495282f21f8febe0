package org.wganspark.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.hadoop.conf.Configuration;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.wganspark.io.HadoopConf;
import org.wganspark.ot.patch.PatchChecksum;
import org.wganspark.ot.patch.PatchExtractor;
import org.wganspark.ot.patch.PatchGeometry;
import org.wganspark.spark.TestSpark;

/** The Spark layer only partitions and reduces: its results must equal the local kernel's. */
class PatchesSparkTest {

    @TempDir
    Path dir;

    private static final int IMAGES = 300;

    private static RowSource fashion(Configuration conf) {
        return IdxSource.open(TestFiles.fashionMnistTest().toString(), conf).limit(IMAGES);
    }

    private static float[] localImages(RowSource s, Configuration conf) {
        float[] all = new float[(int) s.rows() * s.shape().size()];
        s.read(0, s.rows(), 1 << 20, conf).forEachRemaining(b -> System.arraycopy(b.values, 0, all, (int) b.firstRow * b.cols, b.values.length));
        return all;
    }

    @Test
    void distributedPoolingMatchesTheLocalKernel() {
        JavaSparkContext sc = TestSpark.context();
        Configuration conf = new Configuration();
        RowSource source = fashion(conf);
        DataSpec spec = new DataSpec("x", "", "test", 0, new ImageTransform(0, 0, true), 37, 3);
        Datasets.Loaded images = Datasets.load(sc, source, spec);
        assertEquals(3, images.blocks().getNumPartitions());
        PatchGeometry g = Patches.geometry(source.shape(), 7, 3);
        PatchStats stats = Patches.summarize(Patches.extract(images.blocks(), g, false, 0));

        float[] local = new float[IMAGES * g.locations() * g.dimension()];
        PatchExtractor.pooled(localImages(source, conf), IMAGES, g, local);
        assertEquals((long) IMAGES * 64, stats.rows());
        assertEquals(PatchChecksum.of(local, IMAGES * g.locations(), g.dimension(), 0), stats.checksum());
        double sum = 0;
        for (float v : local) {
            sum += v;
        }
        assertEquals(sum / local.length, stats.mean(), 1e-9);
        images.blocks().unpersist();
    }

    @Test
    void perLocationBlocksHoldEveryImageOncePerLocation() {
        JavaSparkContext sc = TestSpark.context();
        Configuration conf = new Configuration();
        RowSource source = fashion(conf);
        Datasets.Loaded images = Datasets.load(sc, source, new DataSpec("x", "", "test", 0, new ImageTransform(0, 0, true), 64, 2));
        PatchGeometry g = Patches.geometry(source.shape(), 7, 7);
        JavaRDD<FloatBlock> byLocation = Patches.extract(images.blocks(), g, true, 0);
        List<FloatBlock> loc5 = byLocation.filter(b -> b.group == 5).collect();
        float[] expected = new float[IMAGES * g.dimension()];
        PatchExtractor.atLocation(localImages(source, conf), IMAGES, g, 5, expected);
        float[] got = new float[expected.length];
        for (FloatBlock b : loc5) {
            System.arraycopy(b.values, 0, got, (int) b.firstRow * g.dimension(), b.values.length);
        }
        assertArrayEquals(expected, got);
        assertEquals((long) IMAGES * 16, Patches.summarize(byLocation).rows());
        images.blocks().unpersist();
    }

    @Test
    void sampleIsSeededAndIndependentOfPartitioning() {
        JavaSparkContext sc = TestSpark.context();
        Configuration conf = new Configuration();
        RowSource source = fashion(conf);
        List<float[]> samples = new ArrayList<>();
        for (int partitions : new int[] {1, 4}) {
            Datasets.Loaded images = Datasets.load(sc, source, new DataSpec("x", "", "test", 0, new ImageTransform(0, 0, true), 50, partitions));
            samples.add(Patches.sample(images.blocks(), IMAGES, 16, 42, 784));
            images.blocks().unpersist();
        }
        assertEquals(16 * 784, samples.get(0).length);
        assertArrayEquals(samples.get(0), samples.get(1));
        Datasets.Loaded images = Datasets.load(sc, source, new DataSpec("x", "", "test", 0, new ImageTransform(0, 0, true), 50, 2));
        float[] otherSeed = Patches.sample(images.blocks(), IMAGES, 16, 43, 784);
        assertTrue(!java.util.Arrays.equals(samples.get(0), otherSeed));
        images.blocks().unpersist();
    }

    @Test
    void writtenPartsReadBackAsTheSameRows() {
        JavaSparkContext sc = TestSpark.context();
        Configuration conf = new Configuration();
        RowSource source = fashion(conf);
        Datasets.Loaded images = Datasets.load(sc, source, new DataSpec("x", "", "test", 0, new ImageTransform(0, 0, true), 64, 3));
        PatchGeometry g = Patches.geometry(source.shape(), 7, 7);
        JavaRDD<FloatBlock> patches = Patches.extract(images.blocks(), g, false, 0);
        String folder = dir.resolve("parts").toString();
        Patches.writeNpyParts(patches, folder, new HadoopConf(conf));
        NpySource back = NpySource.open(folder, conf);
        assertEquals((long) IMAGES * 16, back.rows());
        assertEquals(ImageShape.flat(49), back.shape());
        PatchStats reread = Patches.summarize(Datasets.load(sc, back, new DataSpec("x", "", "test", 0, new ImageTransform(0, 0, true), 100, 2)).blocks());
        assertEquals(Patches.summarize(patches).checksum(), reread.checksum());
        images.blocks().unpersist();
    }
}
