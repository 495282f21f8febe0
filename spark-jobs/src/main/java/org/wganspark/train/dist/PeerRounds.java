package org.wganspark.train.dist;

import java.io.Serializable;
import java.util.List;
import org.apache.spark.broadcast.Broadcast;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.wganspark.data.FloatBlock;
import org.wganspark.train.local.LocalTrainer;

/**
 * One worker's part of {@link ParameterAveraging}'s rounds among peers, as a barrier task: each round of local steps
 * ends with an average over direct connections ({@link PeerExchange}), and the next round starts from it, rebuilt and
 * reseeded exactly as a new task of the driver path would be. (A Scala function: the barrier RDD has no Java API.)
 */
final class PeerRounds extends scala.runtime.AbstractFunction2<Object, scala.collection.Iterator<FloatBlock>, scala.collection.Iterator<TrainingState>>
        implements Serializable {

    private final Broadcast<TrainingSetup> config;
    private final Broadcast<TrainingState> start;
    private final int dimension;
    private final String runKey;
    private final int firstRound;
    private final int[] steps;
    private final double maxLoss;

    PeerRounds(Broadcast<TrainingSetup> config, Broadcast<TrainingState> start, int dimension, String runKey, int firstRound, int[] steps, double maxLoss) {
        this.config = config;
        this.start = start;
        this.dimension = dimension;
        this.runKey = runKey;
        this.firstRound = firstRound;
        this.steps = steps;
        this.maxLoss = maxLoss;
    }

    @Override
    public scala.collection.Iterator<TrainingState> apply(Object index, scala.collection.Iterator<FloatBlock> blocks) {
        int partition = (Integer) index;
        org.apache.spark.BarrierTaskContext context = org.apache.spark.BarrierTaskContext.get();
        INDArray data = Workers.cachedShard(runKey, partition, scala.collection.JavaConverters.asJavaIterator(blocks), dimension);
        String host = org.apache.spark.SparkEnv.get().blockManager().blockManagerId().host();
        try (PeerExchange peers = PeerExchange.join(context, host, data != null)) {
            if (peers == null) {
                return scala.collection.JavaConverters.asScalaIterator(java.util.Collections.<TrainingState>emptyIterator());
            }
            TrainingSetup s = config.value();
            TrainingState first = start.value();
            Workers.Worker cached = Workers.cachedNetworks(runKey, partition, s, first);
            TrainingState from = first;
            for (int k = 0; k < steps.length; k++) {
                LocalTrainer trainer = Workers.trainerAt(s, cached, from, LocalTrainer.roundSeed(s.seed(), firstRound + k, partition));
                for (int step = 0; step < steps[k]; step++) {
                    trainer.step(data);
                }
                from = peers.average(TrainingState.after(trainer, cached.generator(), cached.critic()));
                if (from.stops(maxLoss)) {
                    break;
                }
            }
            return scala.collection.JavaConverters.asScalaIterator(peers.first() ? List.of(from).iterator()
                    : java.util.Collections.<TrainingState>emptyIterator());
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException("partition " + partition + ": " + e.getMessage(), e);
        }
    }
}
