package org.wganspark.ot;

/**
 * Sorts an index array by double keys, on primitives (the sliced distances sort 10^4-10^5 projections per
 * direction, hundreds of times a training step): an LSD radix sort on the keys rounded to float (three 11-bit
 * passes), then one insertion pass on the exact doubles, which only moves keys that differ below float resolution.
 * Both passes are stable, so equal keys keep their index order.
 */
public final class IndexSort {

    private static final int BITS = 11;
    private static final int BUCKETS = 1 << BITS;

    private IndexSort() {
    }

    /** The indices 0..n-1 ordered by ascending {@code key}, ties by index. */
    public static int[] argsort(double[] key) {
        int[] order = new int[key.length];
        argsort(key, order);
        return order;
    }

    /** Fills {@code order} with 0..n-1 ordered by ascending {@code key}, ties by index. */
    public static void argsort(double[] key, int[] order) {
        int n = order.length;
        int[] bits = new int[n];
        int[] scratchBits = new int[n];
        int[] scratch = new int[n];
        for (int i = 0; i < n; i++) {
            int b = Float.floatToRawIntBits((float) key[i]);
            bits[i] = b ^ ((b >> 31) | Integer.MIN_VALUE);  // unsigned order = float order (negatives reversed)
            order[i] = i;
        }
        int[] count = new int[BUCKETS];
        int[] srcBits = bits;
        int[] srcOrder = order;
        int[] dstBits = scratchBits;
        int[] dstOrder = scratch;
        for (int shift = 0; shift < 32; shift += BITS) {
            java.util.Arrays.fill(count, 0);
            for (int i = 0; i < n; i++) {
                count[(srcBits[i] >>> shift) & (BUCKETS - 1)]++;
            }
            int at = 0;
            for (int b = 0; b < BUCKETS; b++) {
                int c = count[b];
                count[b] = at;
                at += c;
            }
            for (int i = 0; i < n; i++) {
                int slot = count[(srcBits[i] >>> shift) & (BUCKETS - 1)]++;
                dstBits[slot] = srcBits[i];
                dstOrder[slot] = srcOrder[i];
            }
            int[] t = srcBits;
            srcBits = dstBits;
            dstBits = t;
            t = srcOrder;
            srcOrder = dstOrder;
            dstOrder = t;
        }
        if (srcOrder != order) {  // three passes: the result sits in the scratch array
            System.arraycopy(srcOrder, 0, order, 0, n);
        }
        for (int i = 1; i < n; i++) {
            int v = order[i];
            double k = key[v];
            int j = i - 1;
            while (j >= 0 && key[order[j]] > k) {
                order[j + 1] = order[j];
                j--;
            }
            order[j + 1] = v;
        }
    }
}
