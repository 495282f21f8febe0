package org.wganspark.eval;

import java.io.Serializable;

/**
 * One row of the score table: one metric of one generated set (a run's logged step, a plain set, or the reference
 * floor) against one reference.
 *
 * @param run         the run folder or generated set (a qualified path), or {@link #FLOOR} for the reference floor
 * @param step        the logged step (critic steps), 0 for a plain set, the held-out image count for the floor
 * @param metric      the metric's name ({@link EvalMetric#id})
 * @param parameters  the metric's parameters ({@link EvalMetric#parameters})
 * @param reference   what was compared against ({@link Reference#id})
 * @param value       the metric
 * @param certificate exact metrics: the largest dual violation over all pairs (NaN otherwise)
 * @param status      OPTIMAL for a certified exact value, CONVERGED or the solver's status for Sinkhorn, OK otherwise
 * @param detail      more of the metric as JSON (memorization: copies), "" if nothing
 * @param generated   images in the generated set
 * @param generatedPoints points compared on the generated side (images or patches, duplicates included)
 * @param referencePoints points compared on the reference side (duplicates included)
 * @param seed        the seed of the metric's random choices
 * @param version     the wgan-spark version that computed it
 * @param seconds     seconds the metric took
 * @param scoredAt    when (ISO-8601, UTC)
 * @param source      the file scored
 */
public record Score(String run, long step, String metric, String parameters, String reference, double value, double certificate, String status,
                    String detail, int generated, long generatedPoints, long referencePoints, long seed, String version, double seconds,
                    String scoredAt, String source) implements Serializable {

    /** The run name of the reference floor's rows. */
    public static final String FLOOR = "reference-floor";

    /** What makes a row unique: a second row with the same key is never written. */
    public String key() {
        return key(run, step, metric, parameters, reference);
    }

    public static String key(String run, long step, String metric, String parameters, String reference) {
        return run + '\u0000' + step + '\u0000' + metric + '\u0000' + parameters + '\u0000' + reference;
    }
}
