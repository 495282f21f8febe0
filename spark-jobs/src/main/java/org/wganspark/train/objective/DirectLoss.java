package org.wganspark.train.objective;

import java.io.Serializable;
import org.wganspark.ot.cost.PointSet;
import org.wganspark.ot.loss.ExactW1Loss;
import org.wganspark.ot.loss.LossGradient;
import org.wganspark.ot.loss.PatchSlicedLoss;
import org.wganspark.ot.patch.PatchGeometry;

/**
 * A metric the generator minimizes directly, without a critic (the paper's {@code --D_step_every -1} with a
 * MiniBatch loss): exact W1 between the fake and the real batch ({@code w1}), or the sliced W1 between their pooled
 * patches ({@code patch-swd}, fresh seeded directions every step).
 *
 * @param metric     w1 | patch-swd
 * @param patches    patch-swd: the patch layout (null for w1)
 * @param directions patch-swd: random directions per step
 */
public record DirectLoss(String metric, PatchGeometry patches, int directions) implements Serializable {

    public DirectLoss {
        if (!metric.equals("w1") && !metric.equals("patch-swd")) {
            throw new IllegalArgumentException("direct metric: expected w1 or patch-swd, found '" + metric + "'");
        }
        if (metric.equals("patch-swd") && (patches == null || directions < 1)) {
            throw new IllegalArgumentException("direct patch-swd needs a patch layout and at least one direction, found " + patches + ", "
                    + directions);
        }
    }

    /** The metric between {@code fake} and {@code real} (row-major, d values a row) and its gradient in the fakes. */
    public LossGradient between(float[] fake, int nFake, float[] real, int nReal, int d, long seed) {
        return metric.equals("w1") ? ExactW1Loss.of(new PointSet(fake, nFake, d), new PointSet(real, nReal, d))
                : PatchSlicedLoss.of(fake, nFake, real, nReal, patches, directions, seed);
    }

    /** One line for the run's log. */
    public String describe() {
        return metric.equals("w1") ? "no critic: exact W1 between the fake and the real batch, minimized directly"
                : String.format(java.util.Locale.ROOT, "no critic: sliced W1 (%d directions a step) between the pooled %d x %d patches (stride %d) "
                        + "of the fake and the real batch, minimized directly", directions, patches.patchSize(), patches.patchSize(), patches.stride());
    }
}
