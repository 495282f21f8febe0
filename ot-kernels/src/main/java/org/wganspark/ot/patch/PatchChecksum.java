package org.wganspark.ot.patch;

/**
 * An order-independent fingerprint of a set of rows: exact (integer arithmetic modulo 2^64 on the
 * float bit patterns, each weighted by a hash of its global row index and column), so blocks can be
 * summed in any order, on any executor, and a retried task gives the same value bit for bit.
 */
public final class PatchChecksum {

    private PatchChecksum() {
    }

    /**
     * @param values   rows * dimension values, row-major
     * @param firstRow global index of the first row
     */
    public static long of(float[] values, int rows, int dimension, long firstRow) {
        long sum = 0;
        for (int r = 0; r < rows; r++) {
            long rowWeight = mix(firstRow + r);
            int base = r * dimension;
            for (int k = 0; k < dimension; k++) {
                sum += (Float.floatToIntBits(values[base + k]) + 0x9E3779B9L * (k + 1)) * rowWeight;
            }
        }
        return sum;
    }

    // SplitMix64 finalizer (Steele, Lea & Flood 2014): a cheap bijective mix of the row index.
    static long mix(long x) {
        x += 0x9E3779B97F4A7C15L;
        x = (x ^ (x >>> 30)) * 0xBF58476D1CE4E5B9L;
        x = (x ^ (x >>> 27)) * 0x94D049BB133111EBL;
        return x ^ (x >>> 31) | 1L;
    }
}
