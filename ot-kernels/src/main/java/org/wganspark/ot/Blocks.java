package org.wganspark.ot;

/**
 * The one split of n rows into {@code blocks} contiguous ranges: block b is [start(n, b, blocks), start(n, b + 1,
 * blocks)), sizes differing by at most one. Threads, Spark partitions and kernels all split with it, so a result
 * assembled from blocks does not depend on who computed them (the local-equals-distributed contract).
 */
public final class Blocks {

    private Blocks() {
    }

    /** The first row of block {@code b} of {@code blocks} over {@code n} rows (b = blocks gives n). */
    public static int start(int n, int b, int blocks) {
        return (int) ((long) n * b / blocks);
    }

    /** {@link #start(int, int, int)} for row counts beyond int. */
    public static long start(long n, int b, int blocks) {
        return n * b / blocks;
    }
}
