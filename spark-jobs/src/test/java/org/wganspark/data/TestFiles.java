package org.wganspark.data;

import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.SplittableRandom;
import java.util.zip.GZIPOutputStream;
import javax.imageio.ImageIO;

/** Real files on disk for the readers: IDX, .npy, PNG/JPEG, written byte by byte, seeded. */
public final class TestFiles {

    private TestFiles() {
    }

    /** IDX image bytes (header claims {@code claimedCount}, {@code pixels} follow). */
    public static byte[] idx(int magic, int claimedCount, int height, int width, byte[] pixels) {
        ByteBuffer b = ByteBuffer.allocate(16 + pixels.length).order(ByteOrder.BIG_ENDIAN);
        b.putInt(magic).putInt(claimedCount).putInt(height).putInt(width).put(pixels);
        return b.array();
    }

    public static byte[] randomPixels(int n, long seed) {
        byte[] p = new byte[n];
        new SplittableRandom(seed).nextBytes(p);
        return p;
    }

    public static byte[] gzip(byte[] raw) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (OutputStream gz = new GZIPOutputStream(bytes)) {
            gz.write(raw);
        }
        return bytes.toByteArray();
    }

    public static Path write(Path file, byte[] content) throws IOException {
        Files.createDirectories(file.getParent());
        return Files.write(file, content);
    }

    /** A .npy file with a hand-written header (dtype as NumPy spells it) and raw little-endian data. */
    public static byte[] npy(String descr, String shape, boolean fortran, byte[] data) {
        String dict = "{'descr': '" + descr + "', 'fortran_order': " + (fortran ? "True" : "False") + ", 'shape': " + shape + ", }";
        int pad = (64 - (10 + dict.length() + 1) % 64) % 64;
        String header = dict + " ".repeat(pad) + "\n";
        ByteBuffer b = ByteBuffer.allocate(10 + header.length() + data.length).order(ByteOrder.LITTLE_ENDIAN);
        b.put(new byte[] {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y', 1, 0}).putShort((short) header.length());
        b.put(header.getBytes(StandardCharsets.ISO_8859_1)).put(data);
        return b.array();
    }

    public static byte[] floatsLE(float[] v) {
        ByteBuffer b = ByteBuffer.allocate(4 * v.length).order(ByteOrder.LITTLE_ENDIAN);
        b.asFloatBuffer().put(v);
        return b.array();
    }

    public static byte[] doublesLE(double[] v) {
        ByteBuffer b = ByteBuffer.allocate(8 * v.length).order(ByteOrder.LITTLE_ENDIAN);
        b.asDoubleBuffer().put(v);
        return b.array();
    }

    /** An RGB image whose pixel (x, y) is ((x * 7 + y) mod 256, (y * 5) mod 256, (x + y * 3 + seed) mod 256). */
    public static BufferedImage rgb(int width, int height, int seed) {
        BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
                image.setRGB(x, y, (((x * 7 + y) & 0xff) << 16) | (((y * 5) & 0xff) << 8) | ((x + y * 3 + seed) & 0xff));
            }
        }
        return image;
    }

    public static Path png(Path file, BufferedImage image) throws IOException {
        Files.createDirectories(file.getParent());
        ImageIO.write(image, "png", file.toFile());
        return file;
    }

    /** The Fashion-MNIST test images from Debian's dataset-fashion-mnist (.ci/run installs it). */
    public static Path fashionMnistTest() {
        return Path.of("/usr/share/datasets/fashion-mnist/t10k-images-idx3-ubyte.gz");
    }
}
