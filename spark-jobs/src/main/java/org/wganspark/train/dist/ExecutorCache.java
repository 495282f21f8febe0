package org.wganspark.train.dist;

import java.util.HashMap;
import java.util.Map;
import java.util.function.Supplier;

/**
 * What an executor keeps between the rounds of one training run: its data shard as one INDArray and the DL4J
 * networks of each partition it trains. Rebuilding them every round (stacking the shard, parsing the network
 * JSON, initializing and assigning millions of parameters) would cost as much as a round's local steps at small
 * averaging frequencies. Entries belong to one run (the key's prefix); a new run evicts the
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
}
