package org.wganspark.eval;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.OutputStream;
import javax.imageio.ImageIO;
import org.wganspark.data.ImageShape;

/**
 * A PNG grid of images (or patches) for people to look at: values in [-1, 1] map to [0, 255], small
 * tiles are scaled up by pixel repetition, tiles are separated by a 1-pixel gray gutter.
 */
public final class ImageGrid {

    private ImageGrid() {
    }

    /**
     * @param rows    count * shape.size() values, channel planes per row, not modified
     * @param columns tiles per grid row
     * @param minSide tiles are repeated up to at least this many pixels per side
     */
    public static BufferedImage render(float[] rows, int count, ImageShape shape, int columns, int minSide) {
        int scale = Math.max(1, (minSide + Math.max(shape.height(), shape.width()) - 1) / Math.max(shape.height(), shape.width()));
        int tileW = shape.width() * scale;
        int tileH = shape.height() * scale;
        int gridCols = Math.max(1, Math.min(columns, count));
        int gridRows = Math.max(1, (count + gridCols - 1) / gridCols);
        int gutter = 1;
        BufferedImage image = new BufferedImage(gridCols * (tileW + gutter) + gutter, gridRows * (tileH + gutter) + gutter,
                BufferedImage.TYPE_INT_RGB);
        int gray = 0x808080;
        for (int y = 0; y < image.getHeight(); y++) {
            for (int x = 0; x < image.getWidth(); x++) {
                image.setRGB(x, y, gray);
            }
        }
        int plane = shape.height() * shape.width();
        for (int t = 0; t < count; t++) {
            int ox = gutter + (t % gridCols) * (tileW + gutter);
            int oy = gutter + (t / gridCols) * (tileH + gutter);
            int base = t * shape.size();
            for (int y = 0; y < shape.height(); y++) {
                for (int x = 0; x < shape.width(); x++) {
                    int p = y * shape.width() + x;
                    int r = toByte(rows[base + p]);
                    int g = shape.channels() >= 3 ? toByte(rows[base + plane + p]) : r;
                    int b = shape.channels() >= 3 ? toByte(rows[base + 2 * plane + p]) : r;
                    int rgb = (r << 16) | (g << 8) | b;
                    for (int dy = 0; dy < scale; dy++) {
                        for (int dx = 0; dx < scale; dx++) {
                            image.setRGB(ox + x * scale + dx, oy + y * scale + dy, rgb);
                        }
                    }
                }
            }
        }
        return image;
    }

    public static void writePng(BufferedImage image, OutputStream out) throws IOException {
        if (!ImageIO.write(image, "png", out)) {
            throw new IOException("no PNG writer available");
        }
    }

    private static int toByte(float v) {
        float clamped = Math.max(-1f, Math.min(1f, Float.isNaN(v) ? 0f : v));
        return Math.round((clamped + 1f) * 127.5f);
    }
}
