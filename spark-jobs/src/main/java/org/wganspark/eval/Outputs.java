package org.wganspark.eval;

import java.nio.charset.StandardCharsets;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;
import org.wganspark.data.ImageShape;
import org.wganspark.eval.ImageGrid;
import org.wganspark.io.AtomicOutput;

/** Small files every command writes into its output folder. */
public final class Outputs {

    private Outputs() {
    }

    public static void writeText(Path file, String text, Configuration conf) {
        AtomicOutput.writeFile(file, conf, out -> out.write(text.getBytes(StandardCharsets.UTF_8)));
    }

    public static void writeGrid(Path file, float[] rows, ImageShape shape, Configuration conf) {
        int count = rows.length / shape.size();
        int columns = (int) Math.ceil(Math.sqrt(count));
        AtomicOutput.writeFile(file, conf, out -> ImageGrid.writePng(ImageGrid.render(rows, count, shape, columns, 56), out));
    }

    /** The first count rows as a float32 .npy of shape (count, C, H, W): a generated set that eval score reads. */
    public static void writeNpy(Path file, float[] rows, int count, ImageShape shape, Configuration conf) {
        AtomicOutput.writeFile(file, conf, out -> {
            org.wganspark.io.NpyWriter.writeHeader(out, count, shape.channels(), shape.height(), shape.width());
            org.wganspark.io.NpyWriter.writeFloats(out, rows, 0, count * shape.size());
        });
    }

    /** count images as {@code name}.npy (count, C, H, W) and, for images (not vectors), {@code name}.png, a grid. */
    public static void writeImages(Path dir, String name, float[] rows, int count, ImageShape shape, Configuration conf) {
        writeNpy(new Path(dir, name + ".npy"), rows, count, shape, conf);
        if (shape.height() > 1) {
            writeGrid(new Path(dir, name + ".png"), rows, shape, conf);
        }
    }
}
