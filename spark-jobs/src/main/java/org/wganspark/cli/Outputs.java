package org.wganspark.cli;

import java.nio.charset.StandardCharsets;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;
import org.wganspark.data.ImageShape;
import org.wganspark.eval.ImageGrid;
import org.wganspark.runtime.AtomicOutput;

/** Small files every command writes into its output folder. */
final class Outputs {

    private Outputs() {
    }

    static void writeText(Path file, String text, Configuration conf) {
        AtomicOutput.writeFile(file, conf, out -> out.write(text.getBytes(StandardCharsets.UTF_8)));
    }

    static void writeGrid(Path file, float[] rows, ImageShape shape, Configuration conf) {
        int count = rows.length / shape.size();
        int columns = (int) Math.ceil(Math.sqrt(count));
        AtomicOutput.writeFile(file, conf, out -> ImageGrid.writePng(ImageGrid.render(rows, count, shape, columns, 56), out));
    }
}
