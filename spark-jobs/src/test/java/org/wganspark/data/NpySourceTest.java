package org.wganspark.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.wganspark.io.BadInputException;
import org.wganspark.io.NpyWriter;

class NpySourceTest {

    @TempDir
    Path dir;

    private final Configuration conf = new Configuration();

    private static float[] all(RowSource s, int blockRows, Configuration conf) {
        List<FloatBlock> blocks = new ArrayList<>();
        s.read(0, s.rows(), blockRows, conf).forEachRemaining(blocks::add);
        float[] out = new float[(int) s.rows() * s.shape().size()];
        int at = 0;
        for (FloatBlock b : blocks) {
            System.arraycopy(b.values, 0, out, at, b.values.length);
            at += b.values.length;
        }
        return out;
    }

    private static float[] ramp(int n) {
        float[] v = new float[n];
        for (int i = 0; i < n; i++) {
            v[i] = i * 0.25f - 3f;
        }
        return v;
    }

    @Test
    void float32RowsAreReadAsTheyAre() throws Exception {
        float[] v = ramp(5 * 3);
        Path f = TestFiles.write(dir.resolve("x.npy"), TestFiles.npy("<f4", "(5, 3)", false, TestFiles.floatsLE(v)));
        NpySource s = NpySource.open(f.toString(), conf);
        assertEquals(5, s.rows());
        assertEquals(ImageShape.flat(3), s.shape());
        assertArrayEquals(v, all(s, 2, conf));
    }

    @Test
    void float64ImagesAreNarrowedToFloat() throws Exception {
        double[] v = new double[4 * 2 * 3];
        for (int i = 0; i < v.length; i++) {
            v[i] = Math.sin(i);
        }
        Path f = TestFiles.write(dir.resolve("img.npy"), TestFiles.npy("<f8", "(4, 2, 3)", false, TestFiles.doublesLE(v)));
        NpySource s = NpySource.open(f.toString(), conf);
        assertEquals(new ImageShape(1, 2, 3), s.shape());
        float[] got = all(s, 3, conf);
        for (int i = 0; i < v.length; i++) {
            assertEquals((float) v[i], got[i]);
        }
    }

    @Test
    void uint8PixelsBecomeMinusOneOne() throws Exception {
        Path f = TestFiles.write(dir.resolve("u8.npy"), TestFiles.npy("|u1", "(2, 1, 2, 2)", false, new byte[] {0, (byte) 255, 51, 102, 0, 0, 0, 0}));
        NpySource s = NpySource.open(f.toString(), conf);
        assertEquals(new ImageShape(1, 2, 2), s.shape());
        float[] got = all(s, 8, conf);
        assertEquals(-1f, got[0]);
        assertEquals(1f, got[1]);
        assertEquals(51 / 127.5f - 1f, got[2], 1e-6f);
    }

    @Test
    void channelLastImagesBecomeChannelPlanes() throws Exception {
        // one 2 x 5 RGB image stored (h, w, c): value = 100 * c + 10 * y + x
        float[] hwc = new float[2 * 5 * 3];
        int k = 0;
        for (int y = 0; y < 2; y++)
            for (int x = 0; x < 5; x++)
                for (int c = 0; c < 3; c++)
                    hwc[k++] = 100 * c + 10 * y + x;
        Path f = TestFiles.write(dir.resolve("hwc.npy"), TestFiles.npy("<f4", "(1, 2, 5, 3)", false, TestFiles.floatsLE(hwc)));
        NpySource s = NpySource.open(f.toString(), conf);
        assertEquals(new ImageShape(3, 2, 5), s.shape());
        float[] chw = all(s, 1, conf);
        for (int c = 0; c < 3; c++)
            for (int y = 0; y < 2; y++)
                for (int x = 0; x < 5; x++)
                    assertEquals(100 * c + 10 * y + x, chw[(c * 2 + y) * 5 + x]);
    }

    @Test
    void folderOfPartsIsOneDatasetAcrossPartBoundaries() throws Exception {
        float[] v = ramp(10 * 2);
        Path parts = dir.resolve("parts");
        TestFiles.write(parts.resolve("part-00000.npy"), TestFiles.npy("<f4", "(3, 2)", false, TestFiles.floatsLE(java.util.Arrays.copyOfRange(v, 0, 6))));
        TestFiles.write(parts.resolve("part-00001.npy"), TestFiles.npy("<f4", "(0, 2)", false, new byte[0]));
        TestFiles.write(parts.resolve("part-00002.npy"), TestFiles.npy("<f4", "(7, 2)", false, TestFiles.floatsLE(java.util.Arrays.copyOfRange(v, 6, 20))));
        TestFiles.write(parts.resolve("_SUCCESS"), new byte[0]);
        NpySource s = NpySource.open(parts.toString(), conf);
        assertEquals(10, s.rows());
        assertArrayEquals(v, all(s, 4, conf));
        // a range that starts inside the first part and ends inside the last
        List<FloatBlock> mid = new ArrayList<>();
        s.read(2, 5, 100, conf).forEachRemaining(mid::add);
        assertArrayEquals(java.util.Arrays.copyOfRange(v, 4, 14), mid.get(0).values);
    }

    @Test
    void ourWriterRoundTrips() throws Exception {
        float[] v = ramp(6 * 4);
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        NpyWriter.writeHeader(bytes, 6, 4);
        NpyWriter.writeFloats(bytes, v, 0, v.length);
        Path f = TestFiles.write(dir.resolve("ours.npy"), bytes.toByteArray());
        assertArrayEquals(v, all(NpySource.open(f.toString(), conf), 5, conf));
    }

    @Test
    void truncatedDataIsRejectedWithSizes() throws Exception {
        Path f = TestFiles.write(dir.resolve("t.npy"), TestFiles.npy("<f4", "(1000000, 784)", false, new byte[400]));
        BadInputException e = assertThrows(BadInputException.class, () -> NpySource.open(f.toString(), conf));
        assertTrue(e.getMessage().startsWith(f.toString()) && e.getMessage().contains("truncated"), e.getMessage());
    }

    /** The values of a C-order array of shape (n, dims...) in Fortran order (the first axis fastest). */
    private static double[] toFortran(double[] c, int... shape) {
        double[] f = new double[c.length];
        int rank = shape.length;
        for (int k = 0; k < c.length; k++) {
            int rest = k;
            int[] index = new int[rank];
            for (int a = rank - 1; a >= 0; a--) {
                index[a] = rest % shape[a];
                rest /= shape[a];
            }
            int offset = 0;
            int stride = 1;
            for (int a = 0; a < rank; a++) {
                offset += index[a] * stride;
                stride *= shape[a];
            }
            f[offset] = c[k];
        }
        return f;
    }

    @Test
    void fortranOrderedArraysAreReadAsTheirCOrderTwins() throws Exception {
        // np.save of a transposed array writes fortran_order: True; every block size must give the same rows
        int[][] shapes = {{7, 3}, {5, 4, 3}, {6, 2, 3, 4}};
        for (int[] shape : shapes) {
            int count = 1;
            for (int dim : shape) {
                count *= dim;
            }
            double[] c = new double[count];
            for (int k = 0; k < count; k++) {
                c[k] = Math.sin(k) + k;
            }
            String dims = java.util.Arrays.toString(shape).replace('[', '(').replace(']', ')');
            Path cFile = TestFiles.write(dir.resolve("c" + shape.length + ".npy"), TestFiles.npy("<f8", dims, false, TestFiles.doublesLE(c)));
            Path fFile = TestFiles.write(dir.resolve("f" + shape.length + ".npy"),
                    TestFiles.npy("<f8", dims, true, TestFiles.doublesLE(toFortran(c, shape))));
            NpySource cs = NpySource.open(cFile.toString(), conf);
            NpySource fs = NpySource.open(fFile.toString(), conf);
            assertEquals(cs.shape(), fs.shape());
            for (int blockRows : new int[] {1, 2, 100}) {
                assertArrayEquals(all(cs, blockRows, conf), all(fs, blockRows, conf), java.util.Arrays.toString(shape) + " in blocks of " + blockRows);
            }
            // a limit and an offset read the right rows
            List<FloatBlock> tail = new ArrayList<>();
            fs.read(2, 3, 100, conf).forEachRemaining(tail::add);
            float[] expected = java.util.Arrays.copyOfRange(all(cs, 100, conf), 2 * cs.shape().size(), 5 * cs.shape().size());
            assertArrayEquals(expected, java.util.Arrays.copyOf(tail.get(0).values, tail.get(0).values.length), 0f);
            assertEquals(c[2 * cs.shape().size()], tail.get(0).doubles[0], 0.0, "float64 rows keep their doubles");
        }
    }

    @Test
    void unsupportedLayoutsAreRejected() throws Exception {
        Path bigEndian = TestFiles.write(dir.resolve("b.npy"), TestFiles.npy(">f4", "(2, 2)", false, new byte[16]));
        assertTrue(assertThrows(BadInputException.class, () -> NpySource.open(bigEndian.toString(), conf)).getMessage().contains(">f4"));
        Path notNpy = TestFiles.write(dir.resolve("n.npy"), "hello world".getBytes());
        assertTrue(assertThrows(BadInputException.class, () -> NpySource.open(notNpy.toString(), conf)).getMessage().contains("not a .npy"));
    }
}
