package org.wganspark.train;

import org.bytedeco.javacpp.Pointer;

/**
 * ND4J frees an array's native memory only when the garbage collector has collected its Java wrapper. The wrappers
 * are small, so the heap fills slowly and collections are rare while the native side grows by megabytes per
 * training step: a Fig. 5 run reached 18 GB of resident memory, and native allocation slowed to a crawl long before.
 * Trainers call {@link #collectIfGrown()} once per step: when the process has grown by {@link #SLACK} since the
 * last collection, a collection returns the dead arrays' memory (measured on the 784-512-512-1 critic: 58 instead
 * of 120-160 ms per step, and 0.7 GB instead of a steady climb past 4 GB).
 */
public final class OffHeap {

    static final long SLACK = 512L << 20;
    private static long afterLastCollection = -1;

    private OffHeap() {
    }

    public static synchronized void collectIfGrown() {
        long resident = Pointer.physicalBytes();
        if (afterLastCollection < 0 || resident < afterLastCollection) {
            afterLastCollection = resident;
        } else if (resident - afterLastCollection > SLACK) {
            System.gc();
            afterLastCollection = Pointer.physicalBytes();
        }
    }
}
