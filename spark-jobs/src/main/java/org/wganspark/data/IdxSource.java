package org.wganspark.data;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.Iterator;
import java.util.zip.GZIPInputStream;
import org.apache.hadoop.conf.Configuration;
import org.wganspark.io.BadInputException;

/**
 * IDX image files (MNIST, Fashion-MNIST), raw or gzipped: magic 0x00000803 (unsigned bytes, 3 dims),
 * then big-endian count, height, width, then the pixels. Pixels become [-1, 1] as the paper's
 * Normalize(0.5, 0.5) does. The header is checked against the file before anything is allocated.
 */
public final class IdxSource implements RowSource {

    public static final int IMAGE_MAGIC = 0x00000803;
    private static final int HEADER_BYTES = 16;

    private final String path;
    private final boolean gzip;
    private final ImageShape shape;
    private final long rows;

    private IdxSource(String path, boolean gzip, ImageShape shape, long rows) {
        this.path = path;
        this.gzip = gzip;
        this.shape = shape;
        this.rows = rows;
    }

    /** Reads and checks the header, and that the file holds every image it claims. */
    public static IdxSource open(String path, Configuration conf) {
        long fileLength = HadoopFiles.status(path, conf).getLen();
        boolean gzip;
        byte[] header = new byte[HEADER_BYTES];
        try (InputStream raw = new BufferedInputStream(HadoopFiles.open(path, conf))) {
            raw.mark(2);
            byte[] two = new byte[2];
            int got = raw.readNBytes(two, 0, 2);
            raw.reset();
            gzip = got == 2 && HadoopFiles.startsWithGzipMagic(two);
            InputStream in = gzip ? gunzip(raw, path) : raw;
            int headerRead = in.readNBytes(header, 0, HEADER_BYTES);
            if (headerRead >= 4 && readInt(header, 0) != IMAGE_MAGIC) {
                throw new BadInputException(path + ": not an IDX image file: magic number " + hex(readInt(header, 0))
                        + ", expected " + hex(IMAGE_MAGIC) + " (unsigned-byte images, 3 dimensions)");
            }
            if (headerRead < HEADER_BYTES) {
                throw new BadInputException(path + ": truncated: " + headerRead + " bytes, an IDX image header needs " + HEADER_BYTES);
            }
            int count = readInt(header, 4);
            int height = readInt(header, 8);
            int width = readInt(header, 12);
            if (count < 0 || height <= 0 || width <= 0 || (long) height * width > (1 << 26)) {
                throw new BadInputException(path + ": implausible IDX header: " + count + " images of " + height + "x" + width);
            }
            long imageBytes = (long) height * width;
            long claimed = (long) count * imageBytes;
            // Count what is really there, capped just past the claim: never trust the header with an allocation.
            long present = gzip ? HadoopFiles.countRemaining(in, claimed + 1, path) : fileLength - HEADER_BYTES;
            if (present < claimed) {
                throw new BadInputException(path + ": truncated: header claims " + count + " images of " + height + "x" + width
                        + " (" + claimed + " bytes of pixels), the file holds " + present + " bytes (" + (present / imageBytes)
                        + " whole images)");
            }
            if (present > claimed) {
                throw new BadInputException(path + ": header claims " + count + " images of " + height + "x" + width
                        + " but the file holds more bytes than that (wrong header or concatenated files?)");
            }
            return new IdxSource(path, gzip, new ImageShape(1, height, width), count);
        } catch (IOException e) {
            throw new BadInputException(path + ": unreadable: " + HadoopFiles.oneLine(e));
        }
    }

    private static InputStream gunzip(InputStream raw, String path) {
        try {
            return new GZIPInputStream(raw, 1 << 16);
        } catch (IOException e) {
            throw new BadInputException(path + ": corrupt gzip header: " + HadoopFiles.oneLine(e));
        }
    }

    @Override
    public ImageShape shape() {
        return shape;
    }

    @Override
    public long rows() {
        return rows;
    }

    @Override
    public String describe() {
        return path + " (IDX" + (gzip ? ", gzip" : "") + "): " + rows + " images of " + shape;
    }

    @Override
    public RowSource limit(long limit) {
        return limit <= 0 || limit >= rows ? this : new IdxSource(path, gzip, shape, limit);
    }

    @Override
    public Iterator<FloatBlock> read(long first, long count, int blockRows, Configuration conf) {
        int size = shape.size();
        return new RowBlocks(first, count, blockRows, size, rows) {
            private InputStream in;
            private byte[] pixels;

            @Override
            protected void fill(long firstRow, int n, float[] values, double[] doubles) {
                if (in == null) {
                    InputStream raw = HadoopFiles.open(path, conf);
                    in = gzip ? gunzip(new BufferedInputStream(raw, 1 << 16), path) : raw;
                    HadoopFiles.skipFully(in, HEADER_BYTES + firstRow * size, path);
                    pixels = new byte[(int) Math.min(count, blockRows) * size];
                }
                HadoopFiles.readFully(in, pixels, n * size, path, n + " images");
                HadoopFiles.toUnitRange(pixels, n * size, values);
            }

            @Override
            protected void close() {
                if (in != null) {
                    HadoopFiles.close(in);
                }
            }
        };
    }

    static int readInt(byte[] b, int at) {
        return ((b[at] & 0xff) << 24) | ((b[at + 1] & 0xff) << 16) | ((b[at + 2] & 0xff) << 8) | (b[at + 3] & 0xff);
    }

    private static String hex(int v) {
        return String.format("0x%08X", v);
    }
}
