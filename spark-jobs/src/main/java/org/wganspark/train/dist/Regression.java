package org.wganspark.train.dist;

import org.apache.spark.api.java.JavaRDD;

/**
 * The regression half of a distributed W1-FE step: every worker fits the generator to its shard of fixed targets
 * for K steps from the same start, then the parameters and optimizer states are averaged.
 */
public interface Regression extends AutoCloseable {

    /** The generator's parameters and optimizer state after the fit: {params, optimizer state}. */
    float[][] fit(float[] params, float[] optimizerState, int iteration, JavaRDD<TargetShard> shards, int steps);

    @Override
    default void close() {
    }
}
