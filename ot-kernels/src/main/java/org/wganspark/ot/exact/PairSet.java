package org.wganspark.ot.exact;

/**
 * A set of (row, column) pairs packed into longs, open addressing with linear probing: the shortlist's arcs,
 * millions of them, at 16 bytes each instead of a boxed hash set's ~60.
 */
final class PairSet {

    private static final long EMPTY = -1L;
    private long[] slots = new long[1 << 10];
    private int size;

    PairSet() {
        java.util.Arrays.fill(slots, EMPTY);
    }

    /** Adds the pair; false if it was there already. */
    boolean add(int i, int j) {
        if (2 * (size + 1) > slots.length) {
            grow();
        }
        return insert(slots, ((long) i << 32) | (j & 0xffffffffL));
    }

    int size() {
        return size;
    }

    private boolean insert(long[] table, long key) {
        int mask = table.length - 1;
        int at = (int) (mix(key) & mask);
        while (table[at] != EMPTY) {
            if (table[at] == key) {
                return false;
            }
            at = (at + 1) & mask;
        }
        table[at] = key;
        size++;
        return true;
    }

    private void grow() {
        long[] old = slots;
        slots = new long[old.length * 2];
        java.util.Arrays.fill(slots, EMPTY);
        size = 0;
        for (long key : old) {
            if (key != EMPTY) {
                insert(slots, key);
            }
        }
    }

    // a 64-bit finalizer (murmur3's fmix64), so rows and columns with regular strides spread over the table
    private static long mix(long key) {
        key ^= key >>> 33;
        key *= 0xff51afd7ed558ccdL;
        key ^= key >>> 33;
        key *= 0xc4ceb9fe1a85ec53L;
        key ^= key >>> 33;
        return key;
    }
}
