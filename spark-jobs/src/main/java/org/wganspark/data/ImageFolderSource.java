package org.wganspark.data;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import javax.imageio.ImageIO;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.wganspark.io.BadInputException;

/**
 * A folder of PNG/JPEG images, sorted by file name (hidden files left out). Every file must decode, and
 * without a resize all images must share one size. Executors decode their own files.
 */
public final class ImageFolderSource implements RowSource {

    private final String folder;
    private final List<String> files;
    private final ImageTransform transform;
    private final ImageShape shape;
    private final long rows;

    private ImageFolderSource(String folder, List<String> files, ImageTransform transform, ImageShape shape, long rows) {
        this.folder = folder;
        this.files = files;
        this.transform = transform;
        this.shape = shape;
        this.rows = rows;
    }

    /** Lists the folder and decodes the first image to fix the shape. */
    public static ImageFolderSource open(String folder, ImageTransform transform, Configuration conf) {
        List<String> files = new ArrayList<>();
        for (FileStatus s : HadoopFiles.listFiles(folder, conf)) {
            files.add(s.getPath().toString());
        }
        if (files.isEmpty()) {
            throw new BadInputException(folder + ": folder holds no images");
        }
        BufferedImage first = decode(files.get(0), conf);
        ImageShape shape = transform.outputShape(first.getWidth(), first.getHeight());
        if (shape == null) {
            throw new BadInputException(files.get(0) + ": image is " + first.getWidth() + "x" + first.getHeight()
                    + ", smaller than data.image.crop = " + transform.crop());
        }
        return new ImageFolderSource(folder, List.copyOf(files), transform, shape, files.size());
    }

    static BufferedImage decode(String file, Configuration conf) {
        try (InputStream in = HadoopFiles.open(file, conf)) {
            BufferedImage image = ImageIO.read(in);
            if (image == null) {
                throw new BadInputException(file + ": not a decodable image (expected PNG or JPEG)");
            }
            return image;
        } catch (IOException e) {
            throw new BadInputException(file + ": not a decodable image (expected PNG or JPEG): " + HadoopFiles.oneLine(e));
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
        return folder + " (image folder): " + rows + " images, read as " + shape
                + (transform.crop() > 0 ? ", center crop " + transform.crop() : "")
                + (transform.size() > 0 ? ", resized to " + transform.size() : "");
    }

    @Override
    public RowSource limit(long limit) {
        return limit <= 0 || limit >= rows ? this : new ImageFolderSource(folder, files, transform, shape, limit);
    }

    @Override
    public Iterator<FloatBlock> read(long first, long count, int blockRows, Configuration conf) {
        int size = shape.size();
        return new RowBlocks(first, count, blockRows, size, rows) {
            @Override
            protected void fill(long firstRow, int n, float[] values, double[] doubles) {
                for (int r = 0; r < n; r++) {
                    String file = files.get((int) (firstRow + r));
                    BufferedImage image = decode(file, conf);
                    ImageShape s = transform.outputShape(image.getWidth(), image.getHeight());
                    if (s == null || !s.equals(shape)) {
                        throw new BadInputException(file + ": image is " + image.getWidth() + "x" + image.getHeight()
                                + ", expected " + shape.width() + "x" + shape.height() + " like " + files.get(0)
                                + " (set data.image.size to resize, or data.image.crop to crop)");
                    }
                    transform.apply(image, values, r * size);
                }
            }
        };
    }
}
