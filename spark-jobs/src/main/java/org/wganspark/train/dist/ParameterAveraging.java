package org.wganspark.train.dist;

import java.util.List;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.storage.StorageLevel;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.wganspark.data.FloatBlock;
import org.wganspark.train.local.LocalTrainer;
import org.wganspark.train.step.StepKernels;

/**
 * WGAN training by parameter averaging, as DL4J's ParameterAveragingTrainingMaster does for supervised nets
 * (which cannot express a critic loss): the real data stays partitioned and cached on the
 * executors; each round the driver broadcasts both networks' parameters and Adam states as float arrays, every
 * partition runs {@code averagingFrequency} local steps of {@link LocalTrainer} on its shard with the seed of
 * (round, partition), and the driver averages parameters and Adam states in partition order. One partition
 * with any frequency follows the single-JVM trajectory reseeded per round, bit for bit (a test).
 */
public final class ParameterAveraging implements AutoCloseable {

    /**
     * Where the workers' states meet each round when there are several: at the driver (task results in, a broadcast
     * out; one Spark job a round), or among the workers themselves ({@link PeerExchange}: one barrier job for all the
     * rounds up to the next evaluation, whose tasks average over direct connections). Both give the same bits.
     */
    public enum Exchange { DRIVER, PEERS }

    private Exchange exchange = Exchange.DRIVER;
    private final JavaSparkContext sc;
    private final JavaRDD<FloatBlock> shards;
    private final Broadcast<TrainingSetup> setup;
    private final int dimension;
    private final boolean ownsCache;

    public ParameterAveraging(JavaSparkContext sc, JavaRDD<FloatBlock> data, int dimension, TrainingSetup setup) {
        this.sc = sc;
        // cached once: by the caller (datasets are loaded cached) or here, and then released here
        this.ownsCache = data.getStorageLevel().equals(StorageLevel.NONE());
        this.shards = ownsCache ? data.persist(StorageLevel.MEMORY_AND_DISK()) : data;
        this.setup = sc.broadcast(setup);
        this.dimension = dimension;
    }

    /** One round: every partition takes {@code steps} local steps from {@code state}; returns the average. */
    public TrainingState round(TrainingState state, int round, int steps) {
        return rounds(state, round, new int[] {steps}, Double.POSITIVE_INFINITY);
    }

    /** Averages at the driver or among the workers (a barrier stage: needs a free task slot for every partition). */
    public ParameterAveraging exchange(Exchange how) {
        this.exchange = how;
        return this;
    }

    /** True when the rounds up to the next evaluation run as one Spark job: one worker, or workers averaging among themselves. */
    public boolean batchesRounds() {
        return partitions() == 1 || exchange == Exchange.PEERS;
    }

    /** Partitions of the training data, the number of workers whose states a round averages. */
    public int partitions() {
        return shards.getNumPartitions();
    }

    /**
     * Caches what every round needs on the executors before training starts: the shard stacked into one array and
     * the networks at {@code state}; meanwhile the hand-written steps' Vector API loops get compiled. Rounds
     * build them on first use anyway (a retried task on another executor does); done here, the training clock and its
     * it/s leave out the dataset's parsing and caching, as a researcher's loop in PyTorch leaves out its DataLoader's
     * set-up. Returns the rows cached.
     */
    public long prepare(TrainingState state) {
        List<Long> rows = onEveryWorker(state, true, (s, cached, data, first, partition) -> (long) data.rows());
        return rows.stream().mapToLong(Long::longValue).sum();
    }

    /** What a task does with its worker's cached networks and shard, from the broadcast state. */
    @FunctionalInterface
    private interface WorkerTask<T> extends java.io.Serializable {
        T run(TrainingSetup setup, Workers.Worker cached, INDArray data, TrainingState first, int partition) throws Exception;
    }

    /**
     * One Spark job over the shards: each task finds (or builds) its partition's cached shard and networks, at
     * {@code state} on first use, and runs {@code task} on them; a partition without rows gives nothing. With
     * {@code warmUp} the hand-written steps' loops are compiled on a second thread while the task caches.
     */
    private <T> List<T> onEveryWorker(TrainingState state, boolean warmUp, WorkerTask<T> task) {
        Broadcast<TrainingState> start = sc.broadcast(state);
        Broadcast<TrainingSetup> config = setup;
        int d = dimension;
        String runKey = runKey();
        try {
            return shards.mapPartitionsWithIndex((partition, blocks) -> {
                TrainingSetup s = config.value();
                Thread warmup = warmUp ? StepKernels.warmUp(s.options().kernels()) : null;
                INDArray data = Workers.cachedShard(runKey, partition, blocks, d);
                if (data == null) {
                    return java.util.Collections.<T>emptyIterator();
                }
                TrainingState first = start.value();
                Workers.Worker cached = Workers.cachedNetworks(runKey, partition, s, first);
                if (warmup != null) {
                    warmup.join();
                }
                return List.of(task.run(s, cached, data, first, partition)).iterator();
            }, true).collect();
        } finally {
            start.destroy();
        }
    }

    private String runKey() {
        return "averaging-" + sc.sc().applicationId() + "-" + setup.id() + "-" + shards.id();
    }

    /**
     * Consecutive rounds ({@code steps[k]} local steps in round {@code firstRound + k}); returns the state after the last
     * one, or after the first whose parameters are not finite or whose critic loss exceeds {@code maxLoss} in magnitude.
     * With several partitions each round is its own Spark job (the states must meet at the driver). With one, all of
     * them run in one task: the average of one state is that state, so the exchange changes no bit and only costs
     * time (a Spark job a round, as long as the local steps themselves at small averaging frequencies). Each
     * round still restarts from the previous round's state and reseeds exactly as its own job would, so the numbers are
     * the same as round by round (a test).
     */
    public TrainingState rounds(TrainingState state, int firstRound, int[] steps, double maxLoss) {
        if (partitions() != 1 && exchange == Exchange.PEERS) {
            return peerRounds(state, firstRound, steps, maxLoss);
        }
        if (steps.length > 1 && partitions() != 1) {
            TrainingState s = state;
            for (int k = 0; k < steps.length; k++) {
                s = rounds(s, firstRound + k, new int[] {steps[k]}, maxLoss);
                if (s.stops(maxLoss)) {
                    break;
                }
            }
            return s;
        }
        return TrainingState.average(onEveryWorker(state, false,
                (s, cached, data, first, partition) -> Workers.localRounds(s, cached, data, first, firstRound, partition, steps, maxLoss)));
    }

    /**
     * {@link #rounds} as one barrier job: each worker runs a round, the workers average among themselves
     * ({@link PeerExchange}), and every worker starts the next round from that average, rebuilt and reseeded exactly
     * as a new task of the driver path would be. The first worker returns the final state.
     */
    private TrainingState peerRounds(TrainingState state, int firstRound, int[] steps, double maxLoss) {
        Broadcast<TrainingState> start = sc.broadcast(state);
        try {
            org.apache.spark.rdd.RDD<TrainingState> rdd = shards.rdd().barrier().mapPartitionsWithIndex(
                    new PeerRounds(setup, start, dimension, runKey(), firstRound, steps, maxLoss), true, scala.reflect.ClassTag$.MODULE$.apply(TrainingState.class));
            // Spark reruns a failed barrier stage as a whole only when it is a shuffle map stage (a failed barrier
            // result stage aborts the job), so the final state goes through a one-partition shuffle
            List<TrainingState> parts = JavaRDD.fromRDD(rdd, scala.reflect.ClassTag$.MODULE$.apply(TrainingState.class)).repartition(1).collect();
            if (parts.size() != 1) {
                throw new IllegalStateException("a barrier round returned " + parts.size() + " states");
            }
            return parts.get(0);
        } finally {
            start.destroy();
        }
    }

    @Override
    public void close() {
        if (ownsCache) {
            shards.unpersist(false);
        }
        setup.destroy();
    }
}
