package org.wganspark.ot.entropic;

import java.util.Locale;
import java.util.function.Consumer;

/** The progress lines of one Sinkhorn run: every {@code every} iterations and at the end of each epsilon stage. */
final class StageProgress {

    private final Consumer<String> out;
    private final int every;
    private final long start = System.nanoTime();

    /** @param out receives the lines (null: none) */
    StageProgress(Consumer<String> out, int every) {
        this.out = out;
        this.every = every;
    }

    void iteration(double eps, int iterations, double error, OverRelaxation relax, boolean stageDone) {
        if (out != null && (iterations % every == 0 || stageDone)) {
            out.accept(String.format(Locale.ROOT, "eps %.4g: iteration %d, marginal error %.3g, %s, %.2f s",
                    eps, iterations, error, relax == null ? "Anderson mixing" : String.format(Locale.ROOT, "over-relaxation %.3f", relax.omega()),
                    (System.nanoTime() - start) / 1e9));
        }
    }

    void say(String line) {
        if (out != null) {
            out.accept(line);
        }
    }
}
