package org.wganspark.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.zip.GZIPInputStream;
import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.wganspark.io.BadInputException;

class IdxSourceTest {

    @TempDir
    Path dir;

    private final Configuration conf = new Configuration();

    private static List<FloatBlock> readAll(RowSource s, long first, long count, int blockRows, Configuration conf) {
        List<FloatBlock> blocks = new ArrayList<>();
        Iterator<FloatBlock> it = s.read(first, count, blockRows, conf);
        it.forEachRemaining(blocks::add);
        return blocks;
    }

    @Test
    void rawAndGzipGiveTheSamePixelsScaledToMinusOneOne() throws Exception {
        byte[] pixels = TestFiles.randomPixels(7 * 5 * 4, 1);
        pixels[0] = 0;
        pixels[1] = (byte) 255;
        byte[] file = TestFiles.idx(IdxSource.IMAGE_MAGIC, 7, 5, 4, pixels);
        Path raw = TestFiles.write(dir.resolve("a-idx3-ubyte"), file);
        Path gz = TestFiles.write(dir.resolve("a-idx3-ubyte.gz"), TestFiles.gzip(file));
        for (Path p : List.of(raw, gz)) {
            IdxSource s = IdxSource.open(p.toString(), conf);
            assertEquals(7, s.rows());
            assertEquals(new ImageShape(1, 5, 4), s.shape());
            List<FloatBlock> blocks = readAll(s, 0, 7, 3, conf);
            assertEquals(3, blocks.size());
            assertEquals(List.of(0L, 3L, 6L), blocks.stream().map(b -> b.firstRow).toList());
            assertEquals(-1f, blocks.get(0).values[0]);
            assertEquals(1f, blocks.get(0).values[1]);
            int k = 0;
            for (FloatBlock b : blocks) {
                for (float v : b.values) {
                    assertEquals((pixels[k++] & 0xff) / 127.5f - 1f, v, 1e-6f);
                }
            }
        }
    }

    @Test
    void aRangeInTheMiddleStartsAtItsOwnRow() throws Exception {
        byte[] pixels = TestFiles.randomPixels(10 * 9, 2);
        Path gz = TestFiles.write(dir.resolve("b.gz"), TestFiles.gzip(TestFiles.idx(IdxSource.IMAGE_MAGIC, 10, 3, 3, pixels)));
        IdxSource s = IdxSource.open(gz.toString(), conf);
        FloatBlock b = readAll(s, 4, 3, 100, conf).get(0);
        assertEquals(4, b.firstRow);
        assertEquals(3, b.rows);
        assertEquals((pixels[4 * 9] & 0xff) / 127.5f - 1f, b.values[0], 1e-6f);
        assertEquals((pixels[7 * 9 - 1] & 0xff) / 127.5f - 1f, b.values[26], 1e-6f);
    }

    @Test
    void truncatedFileNamesTheFileAndTheShortfall() throws Exception {
        byte[] pixels = TestFiles.randomPixels(10 * 9 - 5, 3);
        Path raw = TestFiles.write(dir.resolve("short-idx3-ubyte"), TestFiles.idx(IdxSource.IMAGE_MAGIC, 10, 3, 3, pixels));
        BadInputException e = assertThrows(BadInputException.class, () -> IdxSource.open(raw.toString(), conf));
        assertTrue(e.getMessage().startsWith(raw.toString()), e.getMessage());
        assertTrue(e.getMessage().contains("truncated") && e.getMessage().contains("claims 10 images") && e.getMessage().contains("9 whole images"),
                e.getMessage());
        Path gz = TestFiles.write(dir.resolve("short.gz"), TestFiles.gzip(TestFiles.idx(IdxSource.IMAGE_MAGIC, 10, 3, 3, pixels)));
        assertTrue(assertThrows(BadInputException.class, () -> IdxSource.open(gz.toString(), conf)).getMessage().contains("truncated"));
        Path header = TestFiles.write(dir.resolve("tiny"), new byte[] {0, 0, 8, 3, 0, 0});
        assertTrue(assertThrows(BadInputException.class, () -> IdxSource.open(header.toString(), conf)).getMessage()
                .contains("an IDX image header needs 16"));
    }

    @Test
    void wrongMagicIsRejectedWithBothNumbers() throws Exception {
        Path labels = TestFiles.write(dir.resolve("labels-idx1-ubyte"), TestFiles.idx(0x00000801, 4, 1, 1, new byte[4]));
        BadInputException e = assertThrows(BadInputException.class, () -> IdxSource.open(labels.toString(), conf));
        assertTrue(e.getMessage().contains("0x00000801") && e.getMessage().contains("0x00000803"), e.getMessage());
    }

    @Test
    void lyingHeaderFailsBeforeAnyAllocation() throws Exception {
        // 2^31 - 1 images of 64 x 64 would be 8 TiB; the file holds 3 images. Raw and gzip.
        byte[] file = TestFiles.idx(IdxSource.IMAGE_MAGIC, Integer.MAX_VALUE, 64, 64, TestFiles.randomPixels(3 * 4096, 4));
        Path raw = TestFiles.write(dir.resolve("liar-idx3-ubyte"), file);
        Path gz = TestFiles.write(dir.resolve("liar.gz"), TestFiles.gzip(file));
        for (Path p : List.of(raw, gz)) {
            BadInputException e = assertThrows(BadInputException.class, () -> IdxSource.open(p.toString(), conf));
            assertTrue(e.getMessage().contains("claims 2147483647 images") && e.getMessage().contains("3 whole images"), e.getMessage());
        }
    }

    @Test
    void extraBytesAfterTheClaimedImagesAreRejected() throws Exception {
        Path raw = TestFiles.write(dir.resolve("long-idx3-ubyte"), TestFiles.idx(IdxSource.IMAGE_MAGIC, 2, 2, 2, new byte[9]));
        assertTrue(assertThrows(BadInputException.class, () -> IdxSource.open(raw.toString(), conf)).getMessage().contains("more bytes"));
    }

    @Test
    void missingPathIsOneLine() {
        BadInputException e = assertThrows(BadInputException.class, () -> IdxSource.open(dir.resolve("nope.gz").toString(), conf));
        assertTrue(e.getMessage().endsWith("no such file or folder"), e.getMessage());
        assertFalse(e.getMessage().contains("\n"));
    }

    @Test
    void limitKeepsTheFirstRows() throws Exception {
        Path raw = TestFiles.write(dir.resolve("c-idx3-ubyte"), TestFiles.idx(IdxSource.IMAGE_MAGIC, 6, 2, 2, TestFiles.randomPixels(24, 5)));
        RowSource s = IdxSource.open(raw.toString(), conf).limit(4);
        assertEquals(4, s.rows());
        assertThrows(IllegalArgumentException.class, () -> s.read(2, 3, 10, conf));
    }

    @Test
    void realFashionMnistTestSetHasItsKnownShapeAndMean() throws Exception {
        Path f = TestFiles.fashionMnistTest();
        IdxSource s = IdxSource.open(f.toString(), conf);
        assertEquals(10_000, s.rows());
        assertEquals(new ImageShape(1, 28, 28), s.shape());
        // An independent decode of the first image with java.util.zip only.
        byte[] first = new byte[784];
        try (InputStream in = new GZIPInputStream(Files.newInputStream(f))) {
            in.readNBytes(16);
            in.readNBytes(first, 0, 784);
        }
        double sum = 0;
        long n = 0;
        for (FloatBlock b : readAll(s, 0, 10_000, 4096, conf)) {
            if (b.firstRow == 0) {
                for (int k = 0; k < 784; k++) {
                    assertEquals((first[k] & 0xff) / 127.5f - 1f, b.values[k], 1e-6f);
                }
            }
            for (float v : b.values) {
                sum += (v + 1) / 2;
                n++;
            }
        }
        // Fashion-MNIST test-set pixel mean in [0, 1] is 0.2868 (training set: 0.2860).
        assertEquals(0.2868, sum / n, 5e-4);
    }
}
