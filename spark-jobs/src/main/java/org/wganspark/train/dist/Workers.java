package org.wganspark.train.dist;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import org.bytedeco.javacpp.FloatPointer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.wganspark.data.FloatBlock;
import org.wganspark.model.Prior;
import org.wganspark.train.local.LocalTrainer;

/**
 * The executor side of {@link ParameterAveraging}: a partition's shard and networks, cached on the executor between
 * rounds ({@link ExecutorCache}), and the local rounds a task runs on them.
 */
final class Workers {

    private Workers() {
    }

    /** This executor's copy of a partition's shard as one array, stacked on first use (null for an empty partition). */
    static INDArray cachedShard(String runKey, int partition, Iterator<FloatBlock> blocks, int d) {
        return ExecutorCache.get(runKey, "data-" + partition, () -> stack(blocks, d));
    }

    /** A partition's networks on an executor and what runs their steps, kept between rounds. */
    record Worker(MultiLayerNetwork generator, MultiLayerNetwork critic, LocalTrainer.Steps steps) {
    }

    /** This executor's networks for a partition, built at {@code state} on first use; every round assigns its own start. */
    static Worker cachedNetworks(String runKey, int partition, TrainingSetup s, TrainingState state) {
        return ExecutorCache.get(runKey, "networks-" + partition, () -> {
            MultiLayerNetwork[] nets = NetworkStates.networksAt(s, state);
            return new Worker(nets[0], nets[1], LocalTrainer.Steps.of(nets[0], nets[1], s.options()));
        });
    }

    /** A round's trainer, as a new task starts it: the cached networks moved to {@code from}, reseeded with {@code seed}. */
    static LocalTrainer trainerAt(TrainingSetup s, Worker cached, TrainingState from, long seed) {
        NetworkStates.assign(cached.generator(), from.generator(), from.generatorAdam());
        if (cached.critic() != null) {
            NetworkStates.assign(cached.critic(), from.critic(), from.criticAdam());
        }
        return new LocalTrainer(cached.generator(), cached.critic(), Prior.parse(s.prior(), s.zDim(), s.seed()), s.options(), seed,
                from.criticSteps(), from.generatorSteps(), from.criticSpectral(), s.seed() + 2, cached.steps());
    }

    /**
     * One worker's rounds {@code firstRound}, {@code firstRound + 1}, ...: each reseeded for (round, partition) and
     * {@code steps[k]} local steps long, the state after the last one or after the first at which the run
     * {@link TrainingState#stops}. Between rounds of one task the trainer goes on with its networks as they are: they hold exactly
     * the state the round ended with, so copying that state out and back in (tens of MB in the Fig. 5 setting)
     * would change no bit. Spectral normalization keeps the round trip, which
     * rebuilds its power-iteration state the way a new task does.
     */
    static TrainingState localRounds(TrainingSetup s, Worker cached, INDArray data, TrainingState first, int firstRound, int partition, int[] steps,
                                     double maxLoss) {
        TrainingState from = first;
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
                from = TrainingState.after(trainer, cached.generator(), cached.critic());
                if (last || from.stops(maxLoss)) {
                    return from;
                }
            }
        }
        return from;
    }

    /**
     * True when the parameters' sum is finite, which no NaN or infinity allows; false sends the caller to the state's
     * entry-by-entry check ({@link TrainingState#firstNonFinite}), which also settles a sum that merely overflowed.
     */
    private static boolean finite(MultiLayerNetwork net) {
        return net == null || Double.isFinite(net.params().sumNumber().doubleValue());
    }

    private static INDArray stack(Iterator<FloatBlock> blocks, int d) {
        List<FloatBlock> list = new ArrayList<>();
        blocks.forEachRemaining(list::add);
        int rows = list.stream().mapToInt(b -> b.rows).sum();
        if (rows == 0) {
            return null;
        }
        INDArray all = Nd4j.create(DataType.FLOAT, new long[] {rows, d}, 'c');
        org.bytedeco.javacpp.FloatPointer target = (FloatPointer) all.data().addressPointer();
        long at = 0;
        for (FloatBlock b : list) {
            target.position(at).put(b.values, 0, b.rows * d);
            at += (long) b.rows * d;
        }
        return all;
    }
}
