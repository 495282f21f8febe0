package org.wganspark.train.dist;

import java.util.ArrayList;
import java.util.List;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.spark.api.RDDTrainingApproach;
import org.deeplearning4j.spark.impl.multilayer.SparkDl4jMultiLayer;
import org.deeplearning4j.spark.impl.paramavg.ParameterAveragingTrainingMaster;
import org.nd4j.linalg.dataset.DataSet;
import org.wganspark.io.BadInputException;
import org.wganspark.model.OffHeap;

/**
 * The regression on DL4J's own Spark engine: the generator with a squared-error output layer
 * ({@link Networks#fcGenerator(int, int, int, int, org.nd4j.linalg.learning.config.IUpdater, boolean, long,
 * org.nd4j.linalg.api.buffer.DataType)} with a regression head) fitted by {@link SparkDl4jMultiLayer} with a
 * {@link ParameterAveragingTrainingMaster}: every shard becomes K copies of one minibatch, one worker per shard,
 * averaging frequency K, so a worker takes K steps on its fixed targets between averages, as in
 * {@link AveragedRegression}.
 *
 * <p>DL4J's Spark module runs with Spark's Java serializer here. Spark closes an {@code AutoCloseable} broadcast
 * value when the broadcast is removed, which frees an INDArray's native buffer; Java serialization of an INDArray
 * marks it non-closeable as a side effect, DL4J's Kryo serializer does not, so with Kryo a network's live
 * parameters could be freed under it.
 */
public final class Dl4jRegression implements Regression {

    private final JavaSparkContext sc;
    private final String regressionJson;
    private final int workers;
    private final long seed;

    /**
     * @param regressionJson the generator's configuration with the regression head
     * @param workers        shards per step: the master's worker count
     */
    public Dl4jRegression(JavaSparkContext sc, String regressionJson, int workers, long seed) {
        String serializer = sc.getConf().get("spark.serializer", "org.apache.spark.serializer.JavaSerializer");
        if (!serializer.equals("org.apache.spark.serializer.JavaSerializer")) {
            throw new BadInputException("w1fe.engine = dl4j needs spark.serializer = org.apache.spark.serializer.JavaSerializer, found "
                    + serializer);
        }
        this.sc = sc;
        this.regressionJson = regressionJson;
        this.workers = workers;
        this.seed = seed;
    }

    @Override
    public float[][] fit(float[] params, float[] optimizerState, int iteration, JavaRDD<TargetShard> shards, int steps) {
        List<Integer> sizes = shards.map(TargetShard::rows).collect();
        int rows = sizes.get(0);
        if (sizes.size() != workers || sizes.stream().anyMatch(r -> r != rows)) {
            throw new BadInputException("w1fe.engine = dl4j: expected " + workers + " shards of equal size (batch divisible by the workers), found "
                    + sizes);
        }
        MultiLayerNetwork net = NetworkStates.networkAt(regressionJson, params, optimizerState);
        MultiLayerConfiguration conf = net.getLayerWiseConfigurations();
        conf.setIterationCount(iteration);
        ParameterAveragingTrainingMaster master = new ParameterAveragingTrainingMaster.Builder(workers, rows)
                .batchSizePerWorker(rows)
                .averagingFrequency(steps)
                .workerPrefetchNumBatches(0)
                .saveUpdater(true)
                .rddTrainingApproach(RDDTrainingApproach.Direct)
                .storageLevel(null)  // the shards are cached by the caller; DL4J would keep every step's copies otherwise
                .rngSeed(seed + iteration)
                .build();
        SparkDl4jMultiLayer spark = new SparkDl4jMultiLayer(sc, net, master);
        JavaRDD<DataSet> minibatches = shards.flatMap(s -> {
            List<DataSet> copies = new ArrayList<>(steps);
            for (int k = 0; k < steps; k++) {
                copies.add(new DataSet(s.latent(), s.targets()));
            }
            return copies.iterator();
        });
        spark.fit(minibatches);
        MultiLayerNetwork fitted = spark.getNetwork();
        return new float[][] {OffHeap.toFloats(fitted.params()), NetworkStates.optimizerState(fitted)};
    }
}
