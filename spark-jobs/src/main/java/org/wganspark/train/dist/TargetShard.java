package org.wganspark.train.dist;

import java.io.Serializable;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.wganspark.model.OffHeap;

/** A worker's share of one W1-FE outer step: latent codes z (rows x zDim) and their fixed targets y (rows x dim). */
public record TargetShard(int rows, int zDim, int dim, float[] z, float[] y) implements Serializable {

    public static TargetShard of(INDArray z, INDArray y) {
        return new TargetShard((int) z.rows(), (int) z.columns(), (int) y.columns(), OffHeap.toFloats(z), OffHeap.toFloats(y));
    }

    public INDArray latent() {
        return Nd4j.create(z, new long[] {rows, zDim}, 'c');
    }

    public INDArray targets() {
        return Nd4j.create(y, new long[] {rows, dim}, 'c');
    }
}
