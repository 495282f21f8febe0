package org.wganspark.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.wganspark.io.BadInputException;

class ImageFolderSourceTest {

    @TempDir
    Path dir;

    private final Configuration conf = new Configuration();

    private static List<FloatBlock> readAll(RowSource s, Configuration conf) {
        List<FloatBlock> blocks = new ArrayList<>();
        s.read(0, s.rows(), 2, conf).forEachRemaining(blocks::add);
        return blocks;
    }

    @Test
    void grayscaleIsLuminanceInNameOrder() throws Exception {
        Path folder = dir.resolve("imgs");
        TestFiles.png(folder.resolve("b.png"), TestFiles.rgb(6, 4, 1));
        TestFiles.png(folder.resolve("a.png"), TestFiles.rgb(6, 4, 0));
        TestFiles.write(folder.resolve(".hidden"), "not an image".getBytes());
        ImageFolderSource s = ImageFolderSource.open(folder.toString(), new ImageTransform(0, 0, true), conf);
        assertEquals(2, s.rows());
        assertEquals(new ImageShape(1, 4, 6), s.shape());
        FloatBlock b = readAll(s, conf).get(0);
        BufferedImage a = TestFiles.rgb(6, 4, 0);
        for (int y = 0; y < 4; y++) {
            for (int x = 0; x < 6; x++) {
                int p = a.getRGB(x, y);
                double lum = 0.299 * ((p >> 16) & 0xff) + 0.587 * ((p >> 8) & 0xff) + 0.114 * (p & 0xff);
                assertEquals(lum / 127.5 - 1, b.values[y * 6 + x], 1e-5);
            }
        }
        // second image (b.png) differs only in blue by the seed
        assertTrue(b.values[6 * 4] != b.values[0]);
    }

    @Test
    void rgbCenterCropKeepsTheMiddle() throws Exception {
        Path folder = dir.resolve("rgb");
        BufferedImage img = TestFiles.rgb(10, 8, 3);
        TestFiles.png(folder.resolve("x.png"), img);
        ImageFolderSource s = ImageFolderSource.open(folder.toString(), new ImageTransform(4, 0, false), conf);
        assertEquals(new ImageShape(3, 4, 4), s.shape());
        float[] v = readAll(s, conf).get(0).values;
        // left = round(6 / 2) = 3, top = round(4 / 2) = 2
        int p = img.getRGB(3, 2);
        assertEquals(((p >> 16) & 0xff) / 127.5 - 1, v[0], 1e-6);
        assertEquals(((p >> 8) & 0xff) / 127.5 - 1, v[16], 1e-6);
        assertEquals((p & 0xff) / 127.5 - 1, v[32], 1e-6);
    }

    @Test
    void resizeOfAConstantImageIsConstantAndShrinkAverages() throws Exception {
        float[] constant = new float[16 * 16];
        java.util.Arrays.fill(constant, 200f);
        for (float v : ImageTransform.resize(constant, 16, 16, 5, 5)) {
            assertEquals(200f, v, 1e-3f);
        }
        // 2x shrink of a checkerboard: the antialias filter averages it to mid-gray
        float[] checker = new float[8 * 8];
        for (int i = 0; i < 64; i++) {
            checker[i] = ((i / 8 + i % 8) % 2) * 255f;
        }
        for (float v : ImageTransform.resize(checker, 8, 8, 4, 4)) {
            assertEquals(127.5f, v, 32f);
        }
    }

    @Test
    void mixedSizesWithoutResizeNameTheOddFile() throws Exception {
        Path folder = dir.resolve("mixed");
        TestFiles.png(folder.resolve("a.png"), TestFiles.rgb(28, 28, 0));
        TestFiles.png(folder.resolve("b.png"), TestFiles.rgb(32, 30, 0));
        ImageFolderSource s = ImageFolderSource.open(folder.toString(), new ImageTransform(0, 0, true), conf);
        BadInputException e = assertThrows(BadInputException.class, () -> readAll(s, conf));
        assertTrue(e.getMessage().contains("b.png") && e.getMessage().contains("32x30") && e.getMessage().contains("28x28"), e.getMessage());
        // with a resize they are fine
        ImageFolderSource resized = ImageFolderSource.open(folder.toString(), new ImageTransform(0, 16, true), conf);
        assertEquals(2, readAll(resized, conf).stream().mapToInt(b -> b.rows).sum());
    }

    @Test
    void nonImageFileIsNamed() throws Exception {
        Path folder = dir.resolve("junk");
        TestFiles.png(folder.resolve("a.png"), TestFiles.rgb(4, 4, 0));
        TestFiles.write(folder.resolve("notes.txt"), "hello".getBytes());
        ImageFolderSource s = ImageFolderSource.open(folder.toString(), new ImageTransform(0, 0, true), conf);
        BadInputException e = assertThrows(BadInputException.class, () -> readAll(s, conf));
        assertTrue(e.getMessage().contains("notes.txt") && e.getMessage().contains("not a decodable image"), e.getMessage());
    }

    @Test
    void cropLargerThanTheImageIsRejected() throws Exception {
        Path folder = dir.resolve("small");
        TestFiles.png(folder.resolve("a.png"), TestFiles.rgb(4, 4, 0));
        BadInputException e = assertThrows(BadInputException.class,
                () -> ImageFolderSource.open(folder.toString(), new ImageTransform(8, 0, true), conf));
        assertTrue(e.getMessage().contains("data.image.crop = 8"), e.getMessage());
    }
}
