package org.wganspark.train;

import java.util.HashMap;
import java.util.Map;
import java.util.function.Supplier;
import org.bytedeco.javacpp.FloatPointer;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * What an executor keeps between the rounds of one training run: its data shard as one INDArray and the DL4J
 * networks of each partition it trains. Rebuilding them every round (stacking the shard, parsing the network
 * JSON, initializing and assigning 3 M parameters) cost 0.85 s a round in the Fig. 5 setting, a third of the
 * training time at averaging frequency 10. Entries belong to one run (the key's prefix); a new run evicts the
 * others. Every round still assigns all parameters and optimizer state from the broadcast state, so a cached
 * network computes exactly what a fresh one would (a retried task too).
 */
final class ExecutorCache {

    private static final Map<String, Object> ENTRIES = new HashMap<>();
    private static String run = "";

    private ExecutorCache() {
    }

    @SuppressWarnings("unchecked")
    static synchronized <T> T get(String runKey, String key, Supplier<T> make) {
        if (!runKey.equals(run)) {
            ENTRIES.clear();
            run = runKey;
        }
        return (T) ENTRIES.computeIfAbsent(key, k -> make.get());
    }

    /** The values of a float array in row-major order; one bulk copy when it is a whole contiguous buffer. */
    static float[] floats(INDArray a) {
        if (whole(a)) {
            float[] out = new float[(int) a.length()];
            ((FloatPointer) a.data().addressPointer()).get(out, 0, out.length);
            return out;
        }
        return a.castTo(DataType.FLOAT).dup('c').data().asFloat();
    }

    /** target := values (row-major); one bulk copy when the target is a whole contiguous float buffer. */
    static void assign(INDArray target, float[] values) {
        if (target.length() != values.length) {
            throw new IllegalArgumentException("assigning " + values.length + " values to an array of " + target.length());
        }
        if (whole(target)) {
            ((FloatPointer) target.data().addressPointer()).put(values, 0, values.length);
        } else {
            target.assign(org.nd4j.linalg.factory.Nd4j.createFromArray(values).reshape(target.shape()).castTo(target.dataType()));
        }
    }

    private static boolean whole(INDArray a) {
        return a.dataType() == DataType.FLOAT && !a.isView() && a.offset() == 0 && a.data().length() == a.length()
                && (a.rank() <= 1 || a.ordering() == 'c' || a.rows() == 1);
    }
}
