package org.wganspark.eval;

import java.util.Locale;
import org.wganspark.ot.Weights;
import org.wganspark.ot.cost.PointSet;
import org.wganspark.ot.patch.PatchGeometry;
import org.wganspark.ot.sliced.Sliced;
import org.wganspark.ot.sliced.SlicedResult;

/**
 * The in-run metrics of a generated set, the one evaluation that {@code train} and {@code w1fe} log as they go: exact
 * image W1 against a sample of the data (its first rows), and optionally the sliced distances (SWD over 128 seeded
 * directions and its upper bound on W1) and the exact W1 between the pooled patches of the first {@code patchImages}
 * generated and data images. Sample metrics: they compare against the rows given, not the whole dataset.
 *
 * @param data        the data rows compared against (at the data's precision)
 * @param patches     the patch layout of the patch W1, or null for none
 * @param patchImages the images of each side whose patches are compared
 * @param sliced      whether to compute the SWD and the upper bound
 * @param seed        the seed of the sliced directions
 */
public record SampleMetrics(PointSet data, PatchGeometry patches, int patchImages, boolean sliced, long seed) {

    /** One evaluation; NaN where a metric is off (or the generated set is not finite). */
    public record Values(double w1, double swd, double upperBound, double patchW1) {

        /** Up to 9 significant digits, empty where NaN: a CSV row's metric cells. */
        public String csv() {
            return cell(w1) + "," + cell(swd) + "," + cell(upperBound) + "," + cell(patchW1);
        }

        private static String cell(double v) {
            return Double.isNaN(v) ? "" : String.format(Locale.ROOT, "%.9g", v);
        }
    }

    /** The CSV header of {@link Values#csv()}. */
    public static final String CSV_HEADER = "sample_w1,sample_swd,sample_w1_upper_bound,sample_patch_w1";

    /** The metrics of {@code generated} (rows of the data's dimension). */
    public Values of(PointSet generated) {
        for (int k = 0; k < generated.values().length; k++) {
            if (!Float.isFinite(generated.values()[k])) {
                return new Values(Double.NaN, Double.NaN, Double.NaN, Double.NaN);
            }
        }
        double w1 = ExactW1.between(generated, data);
        double patchW1 = patches == null ? Double.NaN
                : ExactW1.betweenPatches(generated.range(0, Math.min(patchImages, generated.n())), data.range(0, Math.min(patchImages, data.n())),
                        patches);
        if (!sliced) {
            return new Values(w1, Double.NaN, Double.NaN, patchW1);
        }
        SlicedResult s = Sliced.compute(Weights.uniform(generated.n()), generated, Weights.uniform(data.n()), data, 128, seed, false);
        return new Values(w1, s.swd(), s.upperBound(), patchW1);
    }

    /** One line for people on what is compared with what. */
    public String describe(int generated) {
        return String.format(Locale.ROOT, "exact W1%s of %d generated images against the first %d data rows%s", sliced ? " and SWD" : "", generated,
                data.n(), patches == null ? "" : String.format(Locale.ROOT, "; exact patch W1 between the %dx%d patches (stride %d) of %d generated "
                        + "and of the first %d data images", patches.patchSize(), patches.patchSize(), patches.stride(), Math.min(generated, patchImages),
                        Math.min(data.n(), patchImages)));
    }
}
