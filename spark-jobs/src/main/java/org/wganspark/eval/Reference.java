package org.wganspark.eval;

import java.io.Serializable;
import org.wganspark.data.ImageShape;
import org.wganspark.ot.Weights;
import org.wganspark.ot.cost.Deduplicated;
import org.wganspark.ot.cost.PointSet;
import org.wganspark.ot.patch.PatchExtractor;
import org.wganspark.ot.patch.PatchGeometry;

/**
 * The reference of an evaluation, prepared once and cached beside the score table ({@link ReferenceCache}): the
 * images, the same images with duplicates merged into weights (the exact image W1's columns), their pooled patches
 * merged likewise (the exact patch W1's columns: 960,000 Fashion-MNIST 7 x 7 patches are 771,811 distinct), and the
 * held-out images of the reference floor.
 *
 * @param id        what was compared against, as the table records it (source, split, limit)
 * @param shape     the image shape every generated set must have
 * @param images    the reference images, in order, at their precision
 * @param distinct  the distinct images
 * @param distinctWeights their counts
 * @param patches   the distinct pooled patches, or null when no metric needs them
 * @param patchWeights their counts, or null
 * @param geometry  the patches' layout, or null
 * @param heldOut   held-out images of the floor (the test split), or null for no floor
 * @param heldOutId what the held-out images are, or ""
 */
public record Reference(String id, ImageShape shape, PointSet images, PointSet distinct, Weights distinctWeights, PointSet patches,
                       Weights patchWeights, PatchGeometry geometry, PointSet heldOut, String heldOutId) implements Serializable {

    /** Prepares the reference from its images (merging duplicates, extracting and merging patches when asked). */
    public static Reference of(String id, ImageShape shape, PointSet images, PatchGeometry geometry, PointSet heldOut, String heldOutId) {
        Deduplicated d = Deduplicated.of(images, Weights.uniform(images.n()));
        PointSet patches = null;
        Weights patchWeights = null;
        if (geometry != null) {
            PointSet all = PatchExtractor.pooled(images, geometry);
            Deduplicated p = Deduplicated.of(all, Weights.uniform(all.n()));
            patches = p.points();
            patchWeights = p.weights();
        }
        return new Reference(id, shape, images, d.points(), d.weights(), patches, patchWeights, geometry, heldOut, heldOutId);
    }

    /** Reference patches as counted (all of them, duplicates included). */
    public long patchCount() {
        return geometry == null ? 0 : (long) images.n() * geometry.locations();
    }
}
