package org.wganspark.train.dist;

import java.util.ArrayList;
import java.util.List;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.wganspark.model.OffHeap;
import org.wganspark.train.local.W1FeTrainer;
import org.wganspark.train.step.Kernels;
import org.wganspark.train.step.StepKernels;

/**
 * The regression on the project's own averaging engine: the start is broadcast as float arrays, each partition
 * takes K steps of {@link W1FeTrainer#regress} on its shards (stacked), and the driver averages in partition order.
 */
public final class AveragedRegression implements Regression {

    private final JavaSparkContext sc;
    private final String generatorJson;
    private final Kernels kernels;

    /**
     * @param generatorJson the generator's configuration (plain head: gradients come from external errors)
     * @param kernels       which code runs the optimizer steps
     */
    public AveragedRegression(JavaSparkContext sc, String generatorJson, Kernels kernels) {
        this.sc = sc;
        this.generatorJson = generatorJson;
        this.kernels = kernels;
    }

    @Override
    public float[][] fit(float[] params, float[] optimizerState, int iteration, JavaRDD<TargetShard> shards, int steps) {
        Broadcast<float[][]> start = sc.broadcast(new float[][] {params, optimizerState});
        String json = generatorJson;
        Kernels on = kernels;
        try {
            List<float[][]> parts = shards.mapPartitions(it -> {
                List<TargetShard> mine = new ArrayList<>();
                it.forEachRemaining(mine::add);
                if (mine.isEmpty()) {
                    return java.util.Collections.<float[][]>emptyIterator();
                }
                MultiLayerNetwork g = NetworkStates.networkAt(json, start.value()[0], start.value()[1]);
                TargetShard all = stack(mine);
                W1FeTrainer.regress(g, all.latent(), all.targets(), steps, iteration, StepKernels.optimizer(g, on));
                float[][] result = {OffHeap.toFloats(g.params()), NetworkStates.optimizerState(g)};
                return java.util.Collections.singletonList(result).iterator();
            }, true).collect();
            return Averages.meanIntoFirst(parts);
        } finally {
            start.destroy();
        }
    }

    private static TargetShard stack(List<TargetShard> shards) {
        if (shards.size() == 1) {
            return shards.get(0);
        }
        int rows = shards.stream().mapToInt(TargetShard::rows).sum();
        TargetShard first = shards.get(0);
        float[] z = new float[rows * first.zDim()];
        float[] y = new float[rows * first.dim()];
        int at = 0;
        for (TargetShard s : shards) {
            System.arraycopy(s.z(), 0, z, at * first.zDim(), s.z().length);
            System.arraycopy(s.y(), 0, y, at * first.dim(), s.y().length);
            at += s.rows();
        }
        return new TargetShard(rows, first.zDim(), first.dim(), z, y);
    }
}
