package org.wganspark.cli;

import com.typesafe.config.Config;
import org.wganspark.data.DataSpec;
import org.wganspark.data.ImageShape;
import org.wganspark.data.ImageTransform;
import org.wganspark.io.BadInputException;
import org.wganspark.ot.patch.PatchGeometry;

/** Sections of an experiment config as the records the other layers take (only the CLI reads HOCON). */
final class Specs {

    private Specs() {
    }

    /** The {@code data} section. */
    static DataSpec data(Config config) {
        Config data = config.getConfig("data");
        Config image = data.getConfig("image");
        ImageTransform transform;
        try {
            transform = new ImageTransform(image.getInt("crop"), image.getInt("size"), image.getBoolean("grayscale"));
        } catch (IllegalArgumentException e) {
            throw new BadInputException("data.image.crop and data.image.size: " + e.getMessage());
        }
        return new DataSpec(data.getString("source"), data.getString("dir"), data.getString("split"), data.getLong("limit"), transform,
                data.getInt("block-rows"), data.getInt("partitions"), DataSpec.parseShape(image.getString("shape")));
    }

    /** The patch layout of a section's patch-size / patch-stride keys, or a bad-input line naming them. */
    static PatchGeometry patchGeometry(ImageShape shape, int size, int stride, String section) {
        try {
            return new PatchGeometry(shape.channels(), shape.height(), shape.width(), size, stride);
        } catch (IllegalArgumentException e) {
            throw new BadInputException(section + ".patch-size / patch-stride: " + e.getMessage());
        }
    }

    /** The {@code patches.mode} key: true for per-location, false for pooled, else a bad-input line. */
    static boolean perLocation(Config config) {
        String mode = config.getString("patches.mode");
        if (!mode.equals("pooled") && !mode.equals("per-location")) {
            throw new BadInputException("patches.mode: expected pooled or per-location, found '" + mode + "'");
        }
        return mode.equals("per-location");
    }
}
