package org.wganspark.train.dist;

import java.util.SplittableRandom;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.storage.StorageLevel;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.wganspark.data.FloatBlock;
import org.wganspark.model.Prior;
import org.wganspark.train.local.LocalTrainer;
import org.wganspark.train.objective.W1Fe;

/**
 * W1-FE across executors. An outer step: {@code criticSteps} critic steps by parameter averaging over the data
 * shards ({@link ParameterAveraging} with the generator schedule off), then each of {@code workers} tasks draws its
 * share of the latent batch with the seed of (step, worker) and computes its fixed targets with the broadcast
 * networks, then the {@link Regression} fits the generator to all shards (K steps per worker, then an average).
 * The state's {@code generatorSteps} counts regression steps (the optimizer's iteration).
 */
public final class DistributedW1Fe implements AutoCloseable {

    private static final long TARGET_SALT = 0x5DEECE66DL;

    private final JavaSparkContext sc;
    private final ParameterAveraging critic;
    private final TrainingSetup setup;
    private final W1Fe.Options options;
    private final Regression regression;
    private final int workers;

    /**
     * @param setup      networks, prior and critic options (the generator schedule is ignored)
     * @param workers    shards of each latent batch
     * @param regression the engine that fits the generator to the targets
     */
    public DistributedW1Fe(JavaSparkContext sc, JavaRDD<FloatBlock> data, int dimension, TrainingSetup setup, W1Fe.Options options,
                           int workers, Regression regression) {
        LocalTrainer.Options o = setup.options();
        this.setup = new TrainingSetup(setup.generatorJson(), setup.criticJson(), setup.prior(), setup.zDim(), setup.seed(),
                o.withGeneratorEvery(0));
        this.sc = sc;
        this.critic = new ParameterAveraging(sc, data, dimension, this.setup);
        this.options = options;
        this.regression = regression;
        this.workers = workers;
    }

    /** Outer step {@code step} from {@code state}. */
    public TrainingState step(TrainingState state, int step) {
        TrainingState trained = critic.round(state, step, options.criticSteps());
        Broadcast<TrainingState> now = sc.broadcast(trained);
        JavaRDD<TargetShard> shards = targets(now, step).persist(StorageLevel.MEMORY_ONLY());
        try {
            float[][] g = regression.fit(trained.generator(), trained.generatorAdam(), trained.generatorSteps(), shards, options.persistency());
            return new TrainingState(g[0], g[1], trained.critic(), trained.criticAdam(), trained.criticSteps(),
                    trained.generatorSteps() + options.persistency(), trained.criticLoss(), trained.criticSpectral());
        } finally {
            shards.unpersist(false);
            now.destroy();
        }
    }

    /** One shard per worker: latent rows drawn with the seed of (step, worker), targets from the broadcast networks. */
    JavaRDD<TargetShard> targets(Broadcast<TrainingState> state, int step) {
        TrainingSetup s = setup;
        W1Fe.Options o = options;
        int w = workers;
        return sc.parallelize(IntStream.range(0, w).boxed().collect(Collectors.toList()), w).map(worker -> {
            MultiLayerNetwork[] nets = NetworkStates.networksAt(s, state.value());
            Prior prior = Prior.parse(s.prior(), s.zDim(), s.seed());
            int from = (int) ((long) o.batch() * worker / w);
            int to = (int) ((long) o.batch() * (worker + 1) / w);
            INDArray z = prior.discrete() && o.batch() == prior.size() ? prior.rows(from, to, DataType.FLOAT)
                    : prior.sample(to - from, new SplittableRandom(LocalTrainer.roundSeed(s.seed() ^ TARGET_SALT, step, worker)), DataType.FLOAT);
            return TargetShard.of(z, W1Fe.targets(nets[0], nets[1], z, o.dt()));
        });
    }

    @Override
    public void close() {
        critic.close();
        regression.close();
    }
}
