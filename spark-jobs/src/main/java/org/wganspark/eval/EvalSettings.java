package org.wganspark.eval;

import java.io.Serializable;
import java.util.List;

/**
 * What {@code eval score} computes and how (config keys {@code eval.*}).
 *
 * @param metrics     the metrics to score
 * @param patchSize   side p of the pooled patches (patch-w1, patch-sinkhorn, local-patch-swd)
 * @param patchStride stride between patch corners
 * @param epsilon     patch-sinkhorn's regularization, relative to the median patch distance
 * @param directions  random directions of swd, w1-upper-bound and local-patch-swd
 * @param seed        the seed of those directions
 * @param copyRatio   memorization: a nearest / second-nearest ratio below it counts as a copy
 * @param floor       also score the reference floor (as many held-out images as a run generates)
 */
public record EvalSettings(List<EvalMetric> metrics, int patchSize, int patchStride, double epsilon, int directions, long seed, double copyRatio,
                           boolean floor) implements Serializable {

    /** Whether a metric needs the reference's pooled patches merged (cached with the reference). */
    public boolean needsPatches() {
        return metrics.stream().anyMatch(EvalMetric::needsPatches);
    }
}
