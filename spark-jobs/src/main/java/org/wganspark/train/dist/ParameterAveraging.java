package org.wganspark.train.dist;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.storage.StorageLevel;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.wganspark.data.FloatBlock;
import org.wganspark.model.Networks;
import org.wganspark.model.OffHeap;
import org.wganspark.model.Prior;
import org.wganspark.train.local.LocalTrainer;
import org.wganspark.train.step.Kernels;
import org.wganspark.train.step.StepKernels;

/**
 * WGAN training by parameter averaging, as DL4J's ParameterAveragingTrainingMaster does for supervised nets
 * (which cannot express a critic loss, jvm-stack.md 7): the real data stays partitioned and cached on the
 * executors; each round the driver broadcasts both networks' parameters and Adam states as float arrays, every
 * partition runs {@code averagingFrequency} local steps of {@link LocalTrainer} on its shard with the seed of
 * (round, partition), and the driver averages parameters and Adam states in partition order. One partition
 * with any frequency follows the single-JVM trajectory reseeded per round, bit for bit (a test).
 */
public final class ParameterAveraging implements AutoCloseable {

    /**
     * Everything a round starts from and ends with, and the critic's last loss (the workers' mean; NaN before the
     * first round), which tells a diverging run. Under spectral normalization {@code critic} holds the raw weights and
     * {@code criticSpectral} the power-iteration vectors (empty otherwise).
     */
    public record State(float[] generator, float[] generatorAdam, float[] critic, float[] criticAdam, int criticSteps, int generatorSteps,
                        double criticLoss, float[] criticSpectral) implements Serializable {

        public State(float[] generator, float[] generatorAdam, float[] critic, float[] criticAdam, int criticSteps, int generatorSteps) {
            this(generator, generatorAdam, critic, criticAdam, criticSteps, generatorSteps, Double.NaN, new float[0]);
        }

        /** Whether {@code other} has the same parameter counts, network by network (a checkpoint fits these networks). */
        public boolean sameShapeAs(State other) {
            return generator.length == other.generator.length && critic.length == other.critic.length;
        }

        public State withCriticLoss(double loss) {
            return new State(generator, generatorAdam, critic, criticAdam, criticSteps, generatorSteps, loss, criticSpectral);
        }

        /** The first parameter that is NaN or infinite, as "generator" or "critic", or null when all are finite. */
        public String firstNonFinite() {
            for (float v : generator) {
                if (!Float.isFinite(v)) {
                    return "generator";
                }
            }
            for (float v : critic) {
                if (!Float.isFinite(v)) {
                    return "critic";
                }
            }
            return null;
        }
    }

    /** What every worker needs to rebuild the trainer: network configurations, prior, options, seed. */
    public record Setup(String generatorJson, String criticJson, String prior, int zDim, long seed, LocalTrainer.Options options)
            implements Serializable {
    }

    /**
     * Where the workers' states meet each round when there are several: at the driver (task results in, a broadcast
     * out; one Spark job a round), or among the workers themselves ({@link PeerExchange}: one barrier job for all the
     * rounds up to the next evaluation, whose tasks average over direct connections). Both give the same bits.
     */
    public enum Exchange { DRIVER, PEERS }

    private Exchange exchange = Exchange.DRIVER;
    private final JavaSparkContext sc;
    private final JavaRDD<FloatBlock> shards;
    private final Broadcast<Setup> setup;
    private final int dimension;
    private final boolean ownsCache;

    public ParameterAveraging(JavaSparkContext sc, JavaRDD<FloatBlock> data, int dimension, Setup setup) {
        this.sc = sc;
        // cached once: by the caller (datasets are loaded cached) or here, and then released here
        this.ownsCache = data.getStorageLevel().equals(StorageLevel.NONE());
        this.shards = ownsCache ? data.persist(StorageLevel.MEMORY_AND_DISK()) : data;
        this.setup = sc.broadcast(setup);
        this.dimension = dimension;
    }

    /** The state of both networks; a run without a critic (direct minimization) holds empty critic arrays. */
    public static State stateOf(MultiLayerNetwork generator, MultiLayerNetwork critic, int criticSteps, int generatorSteps) {
        return new State(OffHeap.toFloats(generator.params()), optimizerState(generator), critic == null ? new float[0] : OffHeap.toFloats(critic.params()),
                critic == null ? new float[0] : optimizerState(critic), criticSteps, generatorSteps);
    }

    /** The updater's state as floats; empty for a stateless one (plain SGD). */
    static float[] optimizerState(MultiLayerNetwork net) {
        INDArray state = net.getUpdater().getStateViewArray();
        return state == null ? new float[0] : OffHeap.toFloats(state);
    }

    /** Networks at a state: configuration from JSON, parameters and Adam state assigned (no critic JSON: no critic). */
    public static MultiLayerNetwork[] networksAt(Setup setup, State state) {
        Kernels kernels = setup.options().kernels();
        return new MultiLayerNetwork[] {StepKernels.prepared(networkAt(setup.generatorJson(), state.generator(), state.generatorAdam()), kernels),
            setup.criticJson() == null ? null : StepKernels.prepared(networkAt(setup.criticJson(), state.critic(), state.criticAdam()), kernels)};
    }

    /** One network from its configuration, with its parameters and optimizer state (empty: a stateless optimizer). */
    static MultiLayerNetwork networkAt(String json, float[] params, float[] optimizerState) {
        MultiLayerNetwork net = Networks.built(MultiLayerConfiguration.fromJson(json));
        return assign(net, params, optimizerState);
    }

    /** A network (of the right configuration) moved to the given parameters and optimizer state. */
    static MultiLayerNetwork assign(MultiLayerNetwork net, float[] params, float[] optimizerState) {
        OffHeap.assign(net.params(), params);
        if (optimizerState.length > 0) {
            OffHeap.assign(net.getUpdater().getStateViewArray(), optimizerState);
        }
        return net;
    }

    /** One round: every partition takes {@code steps} local steps from {@code state}; returns the average. */
    public State round(State state, int round, int steps) {
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
    public long prepare(State state) {
        Broadcast<State> start = sc.broadcast(state);
        Broadcast<Setup> config = setup;
        int d = dimension;
        String runKey = runKey();
        try {
            List<Long> rows = shards.mapPartitionsWithIndex((partition, blocks) -> {
                Thread warmup = StepKernels.warmUp(config.value().options().kernels());
                INDArray data = cachedShard(runKey, partition, blocks, d);
                if (data == null) {
                    return java.util.Collections.<Long>emptyIterator();
                }
                cachedNetworks(runKey, partition, config.value(), start.value());
                if (warmup != null) {
                    warmup.join();
                }
                return List.of((long) data.rows()).iterator();
            }, true).collect();
            return rows.stream().mapToLong(Long::longValue).sum();
        } finally {
            start.destroy();
        }
    }

    private String runKey() {
        return "averaging-" + sc.sc().applicationId() + "-" + setup.id() + "-" + shards.id();
    }

    /** This executor's copy of a partition's shard as one array, stacked on first use (null for an empty partition). */
    private static INDArray cachedShard(String runKey, int partition, Iterator<FloatBlock> blocks, int d) {
        return ExecutorCache.get(runKey, "data-" + partition, () -> stack(blocks, d));
    }

    /** A partition's networks on an executor and what runs their steps, kept between rounds. */
    private record Worker(MultiLayerNetwork generator, MultiLayerNetwork critic, LocalTrainer.Steps steps) {
    }

    /** This executor's networks for a partition, built at {@code state} on first use; every round assigns its own start. */
    private static Worker cachedNetworks(String runKey, int partition, Setup s, State state) {
        return ExecutorCache.get(runKey, "networks-" + partition, () -> {
            MultiLayerNetwork[] nets = networksAt(s, state);
            return new Worker(nets[0], nets[1], LocalTrainer.Steps.of(nets[0], nets[1], s.options()));
        });
    }

    /** A round's trainer, as a new task starts it: the cached networks moved to {@code from}, reseeded with {@code seed}. */
    private static LocalTrainer trainerAt(Setup s, Worker cached, State from, long seed) {
        assign(cached.generator(), from.generator(), from.generatorAdam());
        if (cached.critic() != null) {
            assign(cached.critic(), from.critic(), from.criticAdam());
        }
        return new LocalTrainer(cached.generator(), cached.critic(), Prior.parse(s.prior(), s.zDim(), s.seed()), s.options(), seed,
                from.criticSteps(), from.generatorSteps(), from.criticSpectral(), s.seed() + 2, cached.steps());
    }

    /**
     * Consecutive rounds ({@code steps[k]} local steps in round {@code firstRound + k}); returns the state after the last
     * one, or after the first whose parameters are not finite or whose critic loss exceeds {@code maxLoss} in magnitude.
     * With several partitions each round is its own Spark job (the states must meet at the driver). With one, all of
     * them run in one task: the average of one state is that state, so the exchange changes no bit and only costs
     * time (in the Fig. 5 setting about 0.5 s a round against 0.5 s of local steps at averaging frequency 10). Each
     * round still restarts from the previous round's state and reseeds exactly as its own job would, so the numbers are
     * the same as round by round (a test).
     */
    public State rounds(State state, int firstRound, int[] steps, double maxLoss) {
        if (partitions() != 1 && exchange == Exchange.PEERS) {
            return peerRounds(state, firstRound, steps, maxLoss);
        }
        if (steps.length > 1 && partitions() != 1) {
            State s = state;
            for (int k = 0; k < steps.length; k++) {
                s = rounds(s, firstRound + k, new int[] {steps[k]}, maxLoss);
                if (stops(s, maxLoss)) {
                    break;
                }
            }
            return s;
        }
        Broadcast<State> start = sc.broadcast(state);
        Broadcast<Setup> config = setup;
        int d = dimension;
        String runKey = runKey();
        try {
            List<State> parts = shards.mapPartitionsWithIndex((partition, blocks) -> {
                INDArray data = cachedShard(runKey, partition, blocks, d);
                if (data == null) {
                    return java.util.Collections.<State>emptyIterator();
                }
                Setup s = config.value();
                State first = start.value();
                Worker cached = cachedNetworks(runKey, partition, s, first);
                return List.of(localRounds(s, cached, data, first, firstRound, partition, steps, maxLoss)).iterator();
            }, true).collect();
            return average(parts);
        } finally {
            start.destroy();
        }
    }

    /**
     * {@link #rounds} as one barrier job: each worker runs a round, the workers average among themselves
     * ({@link PeerExchange}), and every worker starts the next round from that average, rebuilt and reseeded exactly
     * as a new task of the driver path would be. The first worker returns the final state.
     */
    private State peerRounds(State state, int firstRound, int[] steps, double maxLoss) {
        Broadcast<State> start = sc.broadcast(state);
        try {
            org.apache.spark.rdd.RDD<State> rdd = shards.rdd().barrier().mapPartitionsWithIndex(
                    new PeerTask(setup, start, dimension, runKey(), firstRound, steps, maxLoss), true, scala.reflect.ClassTag$.MODULE$.apply(State.class));
            // Spark reruns a failed barrier stage as a whole only when it is a shuffle map stage (a failed barrier
            // result stage aborts the job), so the final state goes through a one-partition shuffle
            List<State> parts = JavaRDD.fromRDD(rdd, scala.reflect.ClassTag$.MODULE$.apply(State.class)).repartition(1).collect();
            if (parts.size() != 1) {
                throw new IllegalStateException("a barrier round returned " + parts.size() + " states");
            }
            return parts.get(0);
        } finally {
            start.destroy();
        }
    }

    /** One worker's part of {@link #peerRounds} (a Scala function: the barrier RDD has no Java API). */
    private static final class PeerTask extends scala.runtime.AbstractFunction2<Object, scala.collection.Iterator<FloatBlock>, scala.collection.Iterator<State>>
            implements Serializable {

        private final Broadcast<Setup> config;
        private final Broadcast<State> start;
        private final int dimension;
        private final String runKey;
        private final int firstRound;
        private final int[] steps;
        private final double maxLoss;

        PeerTask(Broadcast<Setup> config, Broadcast<State> start, int dimension, String runKey, int firstRound, int[] steps, double maxLoss) {
            this.config = config;
            this.start = start;
            this.dimension = dimension;
            this.runKey = runKey;
            this.firstRound = firstRound;
            this.steps = steps;
            this.maxLoss = maxLoss;
        }

        @Override
        public scala.collection.Iterator<State> apply(Object index, scala.collection.Iterator<FloatBlock> blocks) {
            int partition = (Integer) index;
            org.apache.spark.BarrierTaskContext context = org.apache.spark.BarrierTaskContext.get();
            INDArray data = cachedShard(runKey, partition, scala.collection.JavaConverters.asJavaIterator(blocks), dimension);
            String host = org.apache.spark.SparkEnv.get().blockManager().blockManagerId().host();
            try (PeerExchange peers = PeerExchange.join(context, host, data != null)) {
                if (peers == null) {
                    return scala.collection.JavaConverters.asScalaIterator(java.util.Collections.<State>emptyIterator());
                }
                Setup s = config.value();
                State first = start.value();
                Worker cached = cachedNetworks(runKey, partition, s, first);
                State from = first;
                for (int k = 0; k < steps.length; k++) {
                    LocalTrainer trainer = trainerAt(s, cached, from, LocalTrainer.roundSeed(s.seed(), firstRound + k, partition));
                    for (int step = 0; step < steps[k]; step++) {
                        trainer.step(data);
                    }
                    from = peers.average(after(trainer, cached.generator(), cached.critic()));
                    if (stops(from, maxLoss)) {
                        break;
                    }
                }
                return scala.collection.JavaConverters.asScalaIterator(peers.first() ? List.of(from).iterator()
                        : java.util.Collections.<State>emptyIterator());
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException("partition " + partition + ": " + e.getMessage(), e);
            }
        }
    }

    /** A run stops at a state whose parameters are not finite or whose critic loss is beyond the bound. */
    public static boolean stops(State state, double maxLoss) {
        return state.firstNonFinite() != null || !(Math.abs(state.criticLoss()) <= maxLoss);
    }

    /**
     * One worker's rounds {@code firstRound}, {@code firstRound + 1}, ...: each reseeded for (round, partition) and
     * {@code steps[k]} local steps long, the state after the last one or after the first at which the run
     * {@link #stops}. Between rounds of one task the trainer goes on with its networks as they are: they hold exactly
     * the state the round ended with, so copying that state out and back in (35 MB in the Fig. 5 setting, 4 ms a
     * step at averaging frequency 10) would change no bit. Spectral normalization keeps the round trip, which
     * rebuilds its power-iteration state the way a new task does.
     */
    private static State localRounds(Setup s, Worker cached, INDArray data, State first, int firstRound, int partition, int[] steps,
                                     double maxLoss) {
        State from = first;
        LocalTrainer trainer = null;
        for (int k = 0; k < steps.length; k++) {
            long seed = LocalTrainer.roundSeed(s.seed(), firstRound + k, partition);
            if (trainer == null || s.options().spectralNorm()) {
                trainer = trainerAt(s, cached, from, seed);
            } else {
                trainer.reseed(seed);
            }
            for (int step = 0; step < steps[k]; step++) {
                trainer.step(data);
            }
            boolean last = k == steps.length - 1;
            if (last || s.options().spectralNorm() || !(Math.abs(trainer.lastCriticLoss()) <= maxLoss) || !finite(cached.generator()) || !finite(cached.critic())) {
                from = after(trainer, cached.generator(), cached.critic());
                if (last || stops(from, maxLoss)) {
                    return from;
                }
            }
        }
        return from;
    }

    /**
     * True when the parameters' sum is finite, which no NaN or infinity allows; false sends the caller to the state's
     * entry-by-entry check ({@link State#firstNonFinite}), which also settles a sum that merely overflowed.
     */
    private static boolean finite(MultiLayerNetwork net) {
        return net == null || Double.isFinite(net.params().sumNumber().doubleValue());
    }

    /** A worker's state after its local steps (the critic's raw weights under spectral normalization). */
    static State after(LocalTrainer trainer, MultiLayerNetwork generator, MultiLayerNetwork critic) {
        return new State(OffHeap.toFloats(generator.params()), optimizerState(generator), critic == null ? new float[0] : trainer.criticParameters(),
                critic == null ? new float[0] : optimizerState(critic), trainer.criticSteps(), trainer.generatorSteps(), trainer.lastCriticLoss(),
                trainer.spectralVectors());
    }

    private static INDArray stack(Iterator<FloatBlock> blocks, int d) {
        List<FloatBlock> list = new ArrayList<>();
        blocks.forEachRemaining(list::add);
        int rows = list.stream().mapToInt(b -> b.rows).sum();
        if (rows == 0) {
            return null;
        }
        INDArray all = Nd4j.create(DataType.FLOAT, new long[] {rows, d}, 'c');
        org.bytedeco.javacpp.FloatPointer target = (org.bytedeco.javacpp.FloatPointer) all.data().addressPointer();
        long at = 0;
        for (FloatBlock b : list) {
            target.position(at).put(b.values, 0, b.rows * d);
            at += (long) b.rows * d;
        }
        return all;
    }

    /** Element-wise mean in partition order (a fixed order: the same bits whatever the task placement). */
    static State average(List<State> parts) {
        if (parts.size() == 1) {
            return parts.get(0);  // the mean of one: the same bits
        }
        List<float[][]> fields = new ArrayList<>(parts.size());
        for (State p : parts) {
            fields.add(new float[][] {p.generator(), p.generatorAdam(), p.critic(), p.criticAdam(), p.criticSpectral()});
        }
        float[][] mean = meanIntoFirst(fields);
        State first = parts.get(0);
        double loss = 0;
        for (State p : parts) {
            loss += p.criticLoss();
        }
        return new State(mean[0], mean[1], mean[2], mean[3], first.criticSteps(), first.generatorSteps(), loss / parts.size(), mean[4]);
    }

    /**
     * Element-wise mean of equally shaped float arrays, each element summed in double in list order, written over the
     * first part's arrays (the parts are this round's freshly deserialized results: no 36 MB of new arrays a round).
     */
    static float[][] meanIntoFirst(List<float[][]> parts) {
        int count = parts.size();
        float[][] result = parts.get(0);
        double[] sum = new double[4096];  // a block of running sums in double, each element summed in part order
        for (int f = 0; f < result.length; f++) {
            float[] mean = result[f];
            for (int from = 0; from < mean.length; from += sum.length) {
                int size = Math.min(sum.length, mean.length - from);
                for (int k = 0; k < size; k++) {
                    sum[k] = mean[from + k];
                }
                for (int p = 1; p < count; p++) {
                    float[] values = parts.get(p)[f];
                    for (int k = 0; k < size; k++) {
                        sum[k] += values[from + k];
                    }
                }
                for (int k = 0; k < size; k++) {
                    mean[from + k] = (float) (sum[k] / count);
                }
            }
        }
        return result;
    }

    @Override
    public void close() {
        if (ownsCache) {
            shards.unpersist(false);
        }
        setup.destroy();
    }
}
