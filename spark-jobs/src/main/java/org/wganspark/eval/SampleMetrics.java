package org.wganspark.eval;

import java.util.List;
import java.util.Locale;
import org.wganspark.data.ImageShape;
import org.wganspark.ot.cost.PointSet;
import org.wganspark.ot.patch.PatchGeometry;

/**
 * The in-run metrics that {@code train} and {@code w1fe} log as they go, computed by the evaluation code of
 * {@code eval score} ({@link SetScorer}, in the driver's threads) against a <em>sample</em> of the data: exact image W1
 * against the data's first rows, optionally the sliced distances (SWD over seeded directions and its upper bound on
 * W1), and the exact W1 between the pooled patches of the first {@code patchImages} generated and data images. They
 * are named sample metrics wherever they appear (metrics.csv's {@code sample_*} columns); the whole-dataset numbers
 * are {@code eval score}'s.
 */
public final class SampleMetrics {

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

    /** The image metrics when the sliced ones are on, in {@link Values}' order. */
    private static final List<EvalMetric> WITH_SLICED = List.of(EvalMetric.IMAGE_W1, EvalMetric.SWD, EvalMetric.W1_UPPER_BOUND);

    /** Directions of the sliced sample metrics. */
    static final int DIRECTIONS = 128;

    private final int dataRows;
    private final int patchImages;
    private final PatchGeometry patches;
    private final boolean sliced;
    private final SetScorer images;
    private final SetScorer patchScorer;

    /**
     * @param shape       the data's image shape
     * @param data        the data rows compared against (at the data's precision)
     * @param patches     the patch layout of the patch W1, or null for none
     * @param patchImages the images of each side whose patches are compared
     * @param sliced      whether to compute the SWD and the upper bound
     * @param seed        the seed of the sliced directions
     */
    public SampleMetrics(ImageShape shape, PointSet data, PatchGeometry patches, int patchImages, boolean sliced, long seed) {
        this.dataRows = data.n();
        this.patches = patches;
        this.patchImages = patchImages;
        this.sliced = sliced;
        EvalSettings settings = new EvalSettings(List.of(), patches == null ? 0 : patches.patchSize(), patches == null ? 0 : patches.stride(),
                0, DIRECTIONS, seed, 0, false);
        this.images = SetScorer.local(Reference.of("sample: first " + data.n() + " data rows", shape, data, null, null, ""), settings);
        this.patchScorer = patches == null ? null
                : SetScorer.local(Reference.of("sample: patches of the first " + Math.min(patchImages, data.n()) + " data rows", shape,
                        data.range(0, Math.min(patchImages, data.n())), patches, null, ""), settings);
    }

    /** The metrics of {@code generated} (rows of the data's dimension). */
    public Values of(PointSet generated) {
        for (int k = 0; k < generated.values().length; k++) {
            if (!Float.isFinite(generated.values()[k])) {
                return new Values(Double.NaN, Double.NaN, Double.NaN, Double.NaN);
            }
        }
        double[] v = images.values(generated, sliced ? WITH_SLICED : List.of(EvalMetric.IMAGE_W1));
        double patchW1 = patchScorer == null ? Double.NaN
                : patchScorer.values(generated.range(0, Math.min(patchImages, generated.n())), List.of(EvalMetric.PATCH_W1))[0];
        return sliced ? new Values(v[0], v[1], v[2], patchW1) : new Values(v[0], Double.NaN, Double.NaN, patchW1);
    }

    /** The data rows compared against. */
    public int dataRows() {
        return dataRows;
    }

    /** One line for people on what is compared with what. */
    public String describe(int generated) {
        return String.format(Locale.ROOT, "exact W1%s of %d generated images against the first %d data rows%s", sliced ? " and SWD" : "", generated,
                dataRows, patches == null ? "" : String.format(Locale.ROOT, "; exact patch W1 between the %dx%d patches (stride %d) of %d generated "
                        + "and of the first %d data images", patches.patchSize(), patches.patchSize(), patches.stride(), Math.min(generated, patchImages),
                        Math.min(dataRows, patchImages)));
    }
}
