package org.wganspark.eval;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;
import org.wganspark.io.BadInputException;

/**
 * The metrics of {@code eval score}, by the names scripts and schedulers use. Each row of the score table records
 * the metric's name and the parameters it was computed with ({@link #parameters}), so a changed parameter is a new
 * row and never overwrites an old one.
 */
public enum EvalMetric {
    /** Exact W1 between the generated images and the reference images, with its dual certificate. */
    IMAGE_W1("image-w1"),
    /** Exact W1 between all pooled p x p patches of the generated images and of the reference, with its certificate. */
    PATCH_W1("patch-w1"),
    /** Entropic OT cost (log-domain Sinkhorn) between the same pooled patches. */
    PATCH_SINKHORN("patch-sinkhorn"),
    /** Sliced W1 over seeded random directions (the paper's code's swd). */
    SWD("swd"),
    /** The full-dimensional cost of the sliced plans: an upper bound on image W1 (the paper's code's full_dim_swd). */
    W1_UPPER_BOUND("w1-upper-bound"),
    /** SWD between the patches at each grid location, averaged over locations (the paper's code's local patch loss). */
    LOCAL_PATCH_SWD("local-patch-swd"),
    /** Median nearest / second-nearest reference distance ratio; the detail counts the copies. */
    MEMORIZATION("memorization");

    private final String id;

    EvalMetric(String id) {
        this.id = id;
    }

    /** The name in tables, options and reports. */
    public String id() {
        return id;
    }

    /** The parameters that change this metric's value, as a canonical string ("p=7 s=7"). */
    public String parameters(EvalSettings s) {
        return switch (this) {
            case IMAGE_W1 -> "";
            case PATCH_W1 -> "p=" + s.patchSize() + " s=" + s.patchStride();
            case PATCH_SINKHORN -> "p=" + s.patchSize() + " s=" + s.patchStride() + " eps=" + s.epsilon();
            case SWD, W1_UPPER_BOUND -> "directions=" + s.directions() + " seed=" + s.seed();
            case LOCAL_PATCH_SWD -> "p=" + s.patchSize() + " s=" + s.patchStride() + " directions=" + s.directions() + " seed=" + s.seed();
            case MEMORIZATION -> "copy-ratio=" + s.copyRatio();
        };
    }

    /** Whether the metric needs the reference's pooled patches. */
    boolean needsPatches() {
        return this == PATCH_W1 || this == PATCH_SINKHORN;
    }

    /** The metric of a name; bad input naming {@code key} and the valid names otherwise. */
    public static EvalMetric named(String name, String key) {
        for (EvalMetric m : values()) {
            if (m.id.equals(name.trim())) {
                return m;
            }
        }
        throw new BadInputException(key + ": unknown metric \"" + name.trim() + "\"; expected one of " + names());
    }

    /** A comma-separated list of names, in the order given, each once. */
    public static List<EvalMetric> list(String names, String key) {
        LinkedHashSet<EvalMetric> out = new LinkedHashSet<>();
        for (String name : names.split(",")) {
            if (!name.isBlank()) {
                out.add(named(name, key));
            }
        }
        if (out.isEmpty()) {
            throw new BadInputException(key + ": no metric named; expected some of " + names());
        }
        return new ArrayList<>(out);
    }

    public static String names() {
        return Arrays.stream(values()).map(EvalMetric::id).collect(Collectors.joining(", "));
    }

    @Override
    public String toString() {
        return id.toLowerCase(Locale.ROOT);
    }
}
