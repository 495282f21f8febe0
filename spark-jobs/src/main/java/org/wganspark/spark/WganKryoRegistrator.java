package org.wganspark.spark;

import com.esotericsoftware.kryo.Kryo;
import org.apache.spark.serializer.KryoRegistrator;
import org.wganspark.data.FloatBlock;
import org.wganspark.data.PatchStats;
import org.wganspark.train.dist.TrainingSetup;
import org.wganspark.train.dist.TrainingState;

/**
 * Everything of ours that crosses the wire, with explicit serializers (Kryo 4 cannot set the final
 * fields of Java records). Tests run with {@code spark.kryo.registrationRequired=true}, so a class
 * missing here fails loudly instead of being written with its full name on every record.
 */
public final class WganKryoRegistrator implements KryoRegistrator {

    @Override
    public void registerClasses(Kryo kryo) {
        kryo.register(FloatBlock.class, new FloatBlock.KryoSerializer());
        kryo.register(FloatBlock[].class);
        kryo.register(PatchStats.class, new PatchStats.KryoSerializer());
        kryo.register(PatchStats[].class);
        kryo.register(float[].class);
        kryo.register(float[][].class);
        kryo.register(double[].class);
        kryo.register(double[][].class);
        kryo.register(long[].class);
        kryo.register(int[].class);
        kryo.register(String[].class);
        kryo.register(java.util.ArrayList.class);
        // Exact OT pricing: the kernel is broadcast once per solve (arrays inside; Java serialization through Kryo
        // keeps the record types intact), the small per-task results likewise.
        kryo.register(org.wganspark.ot.exact.PricingKernel.class, new com.esotericsoftware.kryo.serializers.JavaSerializer());
        kryo.register(org.wganspark.ot.exact.PricingKernel.Pricing.class, new com.esotericsoftware.kryo.serializers.JavaSerializer());
        kryo.register(int[][].class);
        kryo.register(org.wganspark.ot.spark.DistributedSinkhorn.Block.class, new com.esotericsoftware.kryo.serializers.JavaSerializer());
        kryo.register(org.wganspark.ot.spark.DistributedSinkhorn.Part.class, new com.esotericsoftware.kryo.serializers.JavaSerializer());
        kryo.register(org.wganspark.ot.entropic.Sweep.class, new com.esotericsoftware.kryo.serializers.JavaSerializer());
        kryo.register(org.wganspark.ot.cost.PointSet.class, new com.esotericsoftware.kryo.serializers.JavaSerializer());
        kryo.register(org.wganspark.ot.cost.NearestNeighbours.class, new com.esotericsoftware.kryo.serializers.JavaSerializer());
        kryo.register(org.wganspark.ot.spark.DistributedSliced.Slice.class, new SliceSerializer());
        kryo.register(org.wganspark.ot.Weights.class, new com.esotericsoftware.kryo.serializers.JavaSerializer());
        kryo.register(java.util.HashMap.class);
        kryo.register(org.wganspark.train.dist.TrainingState.class, new StateSerializer());
        kryo.register(org.wganspark.train.dist.TrainingState[].class);  // a barrier job's collected result
        kryo.register(org.wganspark.train.dist.TrainingSetup.class, new com.esotericsoftware.kryo.serializers.JavaSerializer());
        kryo.register(scala.Tuple2[].class);
        kryo.register(org.wganspark.train.dist.TargetShard.class, new com.esotericsoftware.kryo.serializers.JavaSerializer());
        // MLlib's k-means (the kmeans command): its centers travel as VectorWithNorm, package-private in Scala
        for (String name : new String[] {"org.apache.spark.mllib.clustering.VectorWithNorm", "[Lorg.apache.spark.mllib.clustering.VectorWithNorm;",
                "org.apache.spark.mllib.linalg.DenseVector", "[Lorg.apache.spark.mllib.linalg.DenseVector;", "[Lorg.apache.spark.mllib.linalg.Vector;"}) {
            try {
                kryo.register(Class.forName(name, false, WganKryoRegistrator.class.getClassLoader()));
            } catch (ClassNotFoundException e) {
                // a Spark without MLlib: the kmeans command is then the only thing that cannot run
            }
        }
    }

    /**
     * A training state (the Fig. 5 networks with Adam: 9 M floats) crosses the wire twice a round: raw floats, not
     * Java serialization's element-by-element stream.
     */
    static final class StateSerializer extends com.esotericsoftware.kryo.Serializer<org.wganspark.train.dist.TrainingState> {
        @Override
        public void write(Kryo kryo, com.esotericsoftware.kryo.io.Output out, org.wganspark.train.dist.TrainingState s) {
            for (float[] a : new float[][] {s.generator(), s.generatorAdam(), s.critic(), s.criticAdam(), s.criticSpectral()}) {
                out.writeInt(a.length);
                out.writeFloats(a);
            }
            out.writeInt(s.criticSteps());
            out.writeInt(s.generatorSteps());
            out.writeDouble(s.criticLoss());
        }

        @Override
        public org.wganspark.train.dist.TrainingState read(Kryo kryo, com.esotericsoftware.kryo.io.Input in,
                                                                 Class<org.wganspark.train.dist.TrainingState> type) {
            float[][] a = new float[5][];
            for (int k = 0; k < a.length; k++) {
                a[k] = in.readFloats(in.readInt());
            }
            return new org.wganspark.train.dist.TrainingState(a[0], a[1], a[2], a[3], in.readInt(), in.readInt(), in.readDouble(), a[4]);
        }
    }

    /** A direction's projections of one block: a flag, the first row and the raw doubles. */
    static final class SliceSerializer extends com.esotericsoftware.kryo.Serializer<org.wganspark.ot.spark.DistributedSliced.Slice> {
        @Override
        public void write(Kryo kryo, com.esotericsoftware.kryo.io.Output out, org.wganspark.ot.spark.DistributedSliced.Slice slice) {
            out.writeBoolean(slice.ofX());
            out.writeLong(slice.firstRow());
            out.writeInt(slice.values().length);
            out.writeDoubles(slice.values());
        }

        @Override
        public org.wganspark.ot.spark.DistributedSliced.Slice read(Kryo kryo, com.esotericsoftware.kryo.io.Input in,
                                                              Class<org.wganspark.ot.spark.DistributedSliced.Slice> type) {
            boolean ofX = in.readBoolean();
            long firstRow = in.readLong();
            return new org.wganspark.ot.spark.DistributedSliced.Slice(ofX, firstRow, in.readDoubles(in.readInt()));
        }
    }
}
