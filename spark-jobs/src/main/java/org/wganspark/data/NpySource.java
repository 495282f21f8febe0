package org.wganspark.data;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.wganspark.io.BadInputException;

/**
 * NumPy {@code .npy} files (format 1.0-3.0), C or Fortran order, little-endian float32, float64 or uint8; one file or a
 * folder of parts ({@code *.npy}, sorted by name, concatenated along the first axis). Shapes: (n, d) rows,
 * (n, h, w) gray images, (n, c, h, w) images; (n, h, w, c) is read channel-last when c is 1, 3 or 4 and the second axis is not.
 * A 1-D array (n,) is n rows of one value (weights, points on a line). Floats are taken as they are (float64 rows
 * keep their doubles beside the float rounding); uint8 pixels become [-1, 1].
 */
public final class NpySource implements RowSource {

    private static final byte[] MAGIC = {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y'};
    private static final Pattern DESCR = Pattern.compile("'descr'\\s*:\\s*'([^']*)'");
    private static final Pattern FORTRAN = Pattern.compile("'fortran_order'\\s*:\\s*(True|False)");
    private static final Pattern SHAPE = Pattern.compile("'shape'\\s*:\\s*\\(([^)]*)\\)");

    /** One file: where its data starts, how many rows it holds, whether it is stored in Fortran (column-major) order. */
    record Part(String path, long dataOffset, long rows, boolean fortran) implements java.io.Serializable {
    }

    private final List<Part> parts;
    private final String dtype;
    private final boolean channelLast;
    private final ImageShape shape;
    private final long rows;
    private final String origin;
    /** The dimensions of one row as stored (the shape without its first axis). */
    private final long[] rowDims;

    private NpySource(List<Part> parts, String dtype, boolean channelLast, ImageShape shape, long rows, String origin, long[] rowDims) {
        this.parts = parts;
        this.dtype = dtype;
        this.channelLast = channelLast;
        this.shape = shape;
        this.rows = rows;
        this.origin = origin;
        this.rowDims = rowDims;
    }

    /** A file, or a folder of {@code .npy} parts with one row shape and type. */
    public static NpySource open(String path, Configuration conf) {
        FileStatus status = HadoopFiles.status(path, conf);
        List<String> files = new ArrayList<>();
        if (status.isDirectory()) {
            for (FileStatus f : HadoopFiles.listFiles(path, conf)) {
                if (f.getPath().getName().endsWith(".npy")) {
                    files.add(f.getPath().toString());
                }
            }
            if (files.isEmpty()) {
                throw new BadInputException(path + ": folder holds no .npy files");
            }
        } else {
            files.add(path);
        }
        List<Part> parts = new ArrayList<>();
        Header first = null;
        long total = 0;
        for (String file : files) {
            Header h = readHeader(file, conf);
            if (first == null) {
                first = h;
            } else if (!Arrays.equals(Arrays.copyOfRange(h.shape, 1, h.shape.length), Arrays.copyOfRange(first.shape, 1, first.shape.length))
                    || !h.dtype.equals(first.dtype)) {
                throw new BadInputException(file + ": shape " + Arrays.toString(h.shape) + " " + h.dtype + " does not match "
                        + files.get(0) + " " + Arrays.toString(first.shape) + " " + first.dtype);
            }
            parts.add(new Part(file, h.dataOffset, h.shape[0], h.fortran));
            total += h.shape[0];
        }
        long[] s = first.shape;
        boolean channelLast = s.length == 4 && isChannelCount(s[3]) && !isChannelCount(s[1]);
        ImageShape shape = switch (s.length) {
            case 2 -> ImageShape.flat(Math.toIntExact(s[1]));
            case 3 -> new ImageShape(1, Math.toIntExact(s[1]), Math.toIntExact(s[2]));
            case 4 -> channelLast ? new ImageShape(Math.toIntExact(s[3]), Math.toIntExact(s[1]), Math.toIntExact(s[2]))
                    : new ImageShape(Math.toIntExact(s[1]), Math.toIntExact(s[2]), Math.toIntExact(s[3]));
            default -> throw new BadInputException(files.get(0) + ": shape " + Arrays.toString(s)
                    + ", expected (n, d), (n, h, w), (n, c, h, w) or (n, h, w, c)");
        };
        return new NpySource(parts, first.dtype, channelLast, shape, total, path, Arrays.copyOfRange(s, 1, s.length));
    }

    private static boolean isChannelCount(long n) {
        return n == 1 || n == 3 || n == 4;
    }

    private record Header(long dataOffset, String dtype, long[] shape, boolean fortran) {
    }

    private static Header readHeader(String file, Configuration conf) {
        long length = HadoopFiles.status(file, conf).getLen();
        try (InputStream in = new BufferedInputStream(HadoopFiles.open(file, conf))) {
            byte[] pre = new byte[10];
            int got = in.readNBytes(pre, 0, 10);
            if (got < 8 || !Arrays.equals(Arrays.copyOf(pre, 6), MAGIC)) {
                throw new BadInputException(file + ": not a .npy file (no \\x93NUMPY magic)");
            }
            int major = pre[6];
            int headerLength;
            int prefix;
            if (major == 1) {
                headerLength = (pre[8] & 0xff) | (pre[9] & 0xff) << 8;
                prefix = 10;
            } else if (major == 2 || major == 3) {
                byte[] two = new byte[2];
                in.readNBytes(two, 0, 2);
                headerLength = (pre[8] & 0xff) | (pre[9] & 0xff) << 8 | (two[0] & 0xff) << 16 | (two[1] & 0xff) << 24;
                prefix = 12;
            } else {
                throw new BadInputException(file + ": .npy format version " + major + ", expected 1, 2 or 3");
            }
            if (headerLength < 0 || headerLength > 1 << 20 || prefix + headerLength > length) {
                throw new BadInputException(file + ": truncated or corrupt .npy header (" + headerLength + " bytes claimed)");
            }
            byte[] dict = new byte[headerLength];
            HadoopFiles.readFully(in, dict, headerLength, file, "the .npy header");
            String text = new String(dict, StandardCharsets.ISO_8859_1);
            String descr = match(DESCR, text, file, "descr");
            if (!descr.equals("<f4") && !descr.equals("<f8") && !descr.equals("|u1") && !descr.equals("<u1")) {
                throw new BadInputException(file + ": dtype " + descr + ", expected little-endian float32 (<f4), float64 (<f8) or uint8 (|u1)");
            }
            boolean fortran = match(FORTRAN, text, file, "fortran_order").equals("True");
            String[] dimText = match(SHAPE, text, file, "shape").split(",");
            List<Long> dims = new ArrayList<>();
            for (String d : dimText) {
                if (!d.isBlank()) {
                    dims.add(Long.parseLong(d.trim()));
                }
            }
            long[] shape = dims.stream().mapToLong(Long::longValue).toArray();
            if (shape.length == 1) {
                shape = new long[] {shape[0], 1};  // a vector: n rows of one value (weights, 1-D points)
            }
            if (shape.length == 0) {
                throw new BadInputException(file + ": a scalar, expected an array with rows first");
            }
            int itemBytes = descr.endsWith("8") ? 8 : descr.endsWith("4") ? 4 : 1;
            long rowValues = 1;
            for (int i = 1; i < shape.length; i++) {
                rowValues = Math.multiplyExact(rowValues, shape[i]);
            }
            if (rowValues > Integer.MAX_VALUE / 8) {
                throw new BadInputException(file + ": rows of " + rowValues + " values are too large");
            }
            long expected = prefix + headerLength + shape[0] * rowValues * itemBytes;
            if (length != expected) {
                throw new BadInputException(file + ": header claims shape " + Arrays.toString(shape) + " " + descr + " (" + expected
                        + " bytes with header), the file has " + length + " bytes" + (length < expected ? " (truncated)" : ""));
            }
            return new Header(prefix + headerLength, descr, shape, fortran);
        } catch (IOException | NumberFormatException | ArithmeticException e) {
            throw new BadInputException(file + ": unreadable .npy header: " + HadoopFiles.oneLine(e));
        }
    }

    private static String match(Pattern p, String text, String file, String key) {
        Matcher m = p.matcher(text);
        if (!m.find()) {
            throw new BadInputException(file + ": .npy header has no '" + key + "': " + text.trim());
        }
        return m.group(1);
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
        return origin + " (npy " + dtype + (parts.size() > 1 ? ", " + parts.size() + " parts" : "") + "): " + rows + " rows of " + shape;
    }

    @Override
    public String precision() {
        return dtype.equals("<f8") ? "float64" : "float32";
    }

    @Override
    public RowSource limit(long limit) {
        return limit <= 0 || limit >= rows ? this : new NpySource(parts, dtype, channelLast, shape, limit, origin, rowDims);
    }

    @Override
    public Iterator<FloatBlock> read(long first, long count, int blockRows, Configuration conf) {
        int size = shape.size();
        int itemBytes = dtype.endsWith("8") ? 8 : dtype.endsWith("4") ? 4 : 1;
        return new RowBlocks(first, count, blockRows, size, rows, dtype.equals("<f8")) {
            private int partIndex = -1;
            private long partRow;  // next row inside the open part
            private InputStream in;
            private final byte[] raw = new byte[size * itemBytes];

            private int[] fortranIndex;

            @Override
            protected void fill(long firstRow, int n, float[] values, double[] doubles) {
                int r = 0;
                while (r < n) {
                    positionAt(firstRow + r);
                    Part part = parts.get(partIndex);
                    int run = (int) Math.min(n - r, part.rows() - partRow);
                    if (part.fortran()) {
                        readFortranRows(part, run, values, doubles, r);
                    } else {
                        for (int k = 0; k < run; k++) {
                            HadoopFiles.readFully(in, raw, raw.length, part.path(), "row " + (firstRow + r + k));
                            decodeRow(raw, 0, values, doubles, (r + k) * size);
                        }
                    }
                    partRow += run;
                    r += run;
                }
            }

            /**
             * Rows [partRow, partRow + run) of a Fortran-ordered part: each stored value of a row is a column of the file,
             * its rows contiguous, so each is one seek and one read of {@code run} items.
             */
            private void readFortranRows(Part part, int run, float[] values, double[] doubles, int at) {
                if (fortranIndex == null) {
                    fortranIndex = fortranIndex(rowDims);
                }
                byte[] column = new byte[run * itemBytes];
                byte[] rowsRaw = new byte[run * size * itemBytes];
                for (int k = 0; k < size; k++) {
                    HadoopFiles.seek(in, part.dataOffset() + ((long) fortranIndex[k] * part.rows() + partRow) * itemBytes, part.path());
                    HadoopFiles.readFully(in, column, column.length, part.path(), "rows " + partRow + " to " + (partRow + run - 1));
                    for (int r = 0; r < run; r++) {
                        System.arraycopy(column, r * itemBytes, rowsRaw, (r * size + k) * itemBytes, itemBytes);
                    }
                }
                for (int r = 0; r < run; r++) {
                    decodeRow(rowsRaw, r * size * itemBytes, values, doubles, (at + r) * size);
                }
            }

            private void positionAt(long globalRow) {
                if (in != null && partRow < parts.get(partIndex).rows()) {
                    return;
                }
                close();
                long start = 0;
                int p = 0;
                while (start + parts.get(p).rows() <= globalRow) {
                    start += parts.get(p).rows();
                    p++;
                }
                Part part = parts.get(p);
                partIndex = p;
                partRow = globalRow - start;
                if (part.fortran()) {
                    in = HadoopFiles.open(part.path(), conf);  // seekable: read column by column
                    return;
                }
                in = new BufferedInputStream(HadoopFiles.open(part.path(), conf), 1 << 16);
                HadoopFiles.skipFully(in, part.dataOffset() + partRow * size * itemBytes, part.path());
            }

            @Override
            protected void close() {
                if (in != null) {
                    HadoopFiles.close(in);
                    in = null;
                }
            }
        };
    }

    /**
     * For value k of a row in C order (the last axis fastest), its index among the row's values in Fortran order (the
     * first axis fastest): for a row of dims (d1, ..., dr) and C indices (j1, ..., jr), j1 + d1 (j2 + d2 (j3 + ...)).
     */
    static int[] fortranIndex(long[] rowDims) {
        int size = 1;
        for (long dim : rowDims) {
            size *= (int) dim;
        }
        int[] index = new int[size];
        for (int k = 0; k < size; k++) {
            int rest = k;
            int f = 0;
            int stride = 1;
            int[] digits = new int[rowDims.length];
            for (int a = rowDims.length - 1; a >= 0; a--) {
                digits[a] = (int) (rest % rowDims[a]);
                rest /= (int) rowDims[a];
            }
            for (int a = 0; a < rowDims.length; a++) {
                f += digits[a] * stride;
                stride *= (int) rowDims[a];
            }
            index[k] = f;
        }
        return index;
    }

    /** One stored row (C order, starting at raw[from]) into {@code out} (and, for float64 files, {@code wide}) at {@code offset}. */
    private void decodeRow(byte[] raw, int from, float[] out, double[] wide, int offset) {
        int size = shape.size();
        ByteBuffer buf = ByteBuffer.wrap(raw, from, raw.length - from).slice().order(ByteOrder.LITTLE_ENDIAN);
        for (int k = 0; k < size; k++) {
            // channel-last files are stored (h, w, c): value k of the stored row goes to plane k % c
            int target = channelLast ? (k % shape.channels()) * shape.height() * shape.width() + k / shape.channels() : k;
            switch (dtype) {
                case "<f4" -> out[offset + target] = buf.getFloat(4 * k);
                case "<f8" -> {
                    double v = buf.getDouble(8 * k);
                    wide[offset + target] = v;
                    out[offset + target] = (float) v;
                }
                default -> out[offset + target] = (raw[from + k] & 0xff) * (2f / 255f) - 1f;
            }
        }
    }
}
