package org.wganspark.ot.entropic;

/** Runs one fused sweep over all rows, split in blocks; returns the blocks' results in row order. */
@FunctionalInterface
public interface Sweeper {
    Sweep[] sweep(double[] f, double[] h, double eps, double w, double[] fOut);
}
