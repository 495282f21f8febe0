package org.wganspark.ot;

import java.util.concurrent.atomic.AtomicReference;
import java.util.function.ToLongFunction;

/**
 * One large array kept from a call for the next (a scratch buffer, a dense cost matrix). Every page of fresh memory
 * faults when first touched, so a fresh array of megabytes can cost more than the work done in it; a training run
 * evaluates W1 every log interval and meets the same sizes again. Safe across threads: a caller takes the kept
 * object or none, and the last one kept wins.
 */
public final class Spare<T> {

    private final AtomicReference<T> kept = new AtomicReference<>();
    private final ToLongFunction<T> size;
    private final long limit;

    /**
     * @param size  how much an object holds (in the caller's unit)
     * @param limit objects holding more are not kept
     */
    public Spare(ToLongFunction<T> size, long limit) {
        this.size = size;
        this.limit = limit;
    }

    /** The kept object if it holds at least {@code needed}, else null (the caller makes a new one); either way none is kept now. */
    public T take(long needed) {
        T object = kept.getAndSet(null);
        return object != null && size.applyAsLong(object) >= needed ? object : null;
    }

    /** Keeps the object for the next {@link #take} unless it is above the limit. */
    public void keep(T object) {
        if (object != null && size.applyAsLong(object) <= limit) {
            kept.set(object);
        }
    }
}
