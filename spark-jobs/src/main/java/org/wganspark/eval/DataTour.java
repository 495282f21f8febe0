package org.wganspark.eval;

import java.io.PrintStream;
import java.util.Locale;
import org.apache.hadoop.conf.Configuration;
import org.apache.spark.api.java.JavaRDD;
import org.wganspark.data.Datasets;
import org.wganspark.data.FloatBlock;
import org.wganspark.data.ImageShape;
import org.wganspark.data.PatchStats;
import org.wganspark.data.Patches;
import org.wganspark.io.Json;
import org.wganspark.io.OutputTarget;
import org.wganspark.ot.patch.PatchGeometry;

/**
 * The data half of the quickstart: a loaded image set and its pooled patches, counted and summarized on the
 * executors, with a seeded sample grid of each: images.png, patches.png and summary.json in the target.
 */
public final class DataTour {

    private DataTour() {
    }

    /**
     * Writes the three files into {@code target} (whole, or nothing); returns the summary as one JSON object, whose
     * seconds count from {@code startedNanos}.
     */
    public static Json write(Datasets.Loaded images, PatchGeometry geometry, long seed, OutputTarget target, Configuration hadoop, PrintStream err,
                             long startedNanos) {
        PatchStats imageStats = Patches.summarize(images.blocks());
        JavaRDD<FloatBlock> patches = Patches.extract(images.blocks(), geometry, false, 0);
        PatchStats patchStats = Patches.summarize(patches);
        err.printf(Locale.ROOT, "[quickstart] %d images -> %d patches of %dx%d (dimension %d, %d per image), mean %.4f, std %.4f%n",
                imageStats.rows(), patchStats.rows(), geometry.patchSize(), geometry.patchSize(), geometry.dimension(),
                geometry.locations(), patchStats.mean(), patchStats.std());
        try (OutputTarget.Staging staging = target.stage()) {
            Outputs.writeGrid(staging.file("images.png"), Patches.sample(images.blocks(), images.rows(), 64, seed, images.shape().size()),
                    images.shape(), hadoop);
            Outputs.writeGrid(staging.file("patches.png"), Patches.sample(patches, patchStats.rows(), 64, seed, geometry.dimension()),
                    new ImageShape(geometry.channels(), geometry.patchSize(), geometry.patchSize()), hadoop);
            Json summary = new Json().put("command", "quickstart").put("source", images.description())
                    .put("images", imageStats.rows()).put("image_shape", images.shape().toString())
                    .put("patch_size", geometry.patchSize()).put("stride", geometry.stride()).put("patches", patchStats.rows())
                    .put("dimension", geometry.dimension()).put("image_stats", new Json.RawJson(imageStats.toJson()))
                    .put("patch_stats", new Json.RawJson(patchStats.toJson())).put("out", target.toString())
                    .put("seconds", (System.nanoTime() - startedNanos) / 1e9);
            Outputs.writeText(staging.file("summary.json"), summary + "\n", hadoop);
            staging.commit();
            return summary;
        }
    }
}
