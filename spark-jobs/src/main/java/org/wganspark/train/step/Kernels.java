package org.wganspark.train.step;

/**
 * Which code runs a training step (the config key {@code kernels}). AUTO takes the hand-written CPU paths of
 * {@code train.step.cpu} where they apply (a float network on ND4J's CPU backend, a critic shape they know) and the
 * portable path elsewhere; PORTABLE takes only ND4J and DL4J operations, which is what ND4J's CUDA backend runs.
 * {@link StepKernels} is the one place that reads it.
 */
public enum Kernels {
    AUTO,
    PORTABLE;

    /** "auto" or "portable"; IllegalArgumentException otherwise. */
    public static Kernels parse(String name) {
        return switch (name) {
            case "auto" -> AUTO;
            case "portable" -> PORTABLE;
            default -> throw new IllegalArgumentException("expected auto or portable, found '" + name + "'");
        };
    }
}
