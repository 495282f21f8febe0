package org.wganspark.io;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;

/** Writes float32 C-order {@code .npy} (format 1.0) that NumPy reads with {@code np.load}. */
public final class NpyWriter {

    private NpyWriter() {
    }

    /** Header for a float32 array of the given shape; the data must follow, rows * prod(shape[1:]) floats. */
    public static void writeHeader(OutputStream out, long... shape) throws IOException {
        StringBuilder dims = new StringBuilder();
        for (long d : shape) {
            dims.append(d).append(", ");
        }
        String tuple = shape.length == 1 ? "(" + shape[0] + ",)" : "(" + dims.substring(0, dims.length() - 2) + ")";
        String dict = "{'descr': '<f4', 'fortran_order': False, 'shape': " + tuple + ", }";
        int unpadded = 10 + dict.length() + 1;
        int padding = (64 - unpadded % 64) % 64;
        String header = dict + " ".repeat(padding) + "\n";
        out.write(new byte[] {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y', 1, 0});
        out.write(header.length() & 0xff);
        out.write((header.length() >> 8) & 0xff);
        out.write(header.getBytes(StandardCharsets.ISO_8859_1));
    }

    /** Appends floats little-endian. */
    public static void writeFloats(OutputStream out, float[] values, int from, int count) throws IOException {
        ByteBuffer buf = ByteBuffer.allocate(Math.min(count, 1 << 14) * 4).order(ByteOrder.LITTLE_ENDIAN);
        int done = 0;
        while (done < count) {
            buf.clear();
            int n = Math.min(count - done, buf.capacity() / 4);
            buf.asFloatBuffer().put(values, from + done, n);
            out.write(buf.array(), 0, n * 4);
            done += n;
        }
    }
}
