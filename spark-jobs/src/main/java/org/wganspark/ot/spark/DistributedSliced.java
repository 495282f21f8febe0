package org.wganspark.ot.spark;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.wganspark.data.FloatBlock;
import org.wganspark.ot.Blocks;
import org.wganspark.ot.Weights;
import org.wganspark.ot.cost.PointSet;
import org.wganspark.ot.exact.OneDimensional;
import org.wganspark.ot.sliced.Sliced;
import scala.Tuple2;

/**
 * The sliced Wasserstein distance with the points on the executors: each task projects its row blocks on every
 * direction (in double, from the rows at their own precision) and emits one {@link Slice} per block and direction, a
 * primitive array; a shuffle by direction brings each direction's projections of X and Y together, in row order,
 * and the exact 1-D W1 between them is the integral of |F_a - F_b| ({@link OneDimensional}). Exact: no quantiles,
 * no driver-side copy of the points. A direction's n + m projections are held by one task at a time.
 */
public final class DistributedSliced {

    private DistributedSliced() {
    }

    /** One block's projections on one direction: of X or of Y, placed by the block's first row. */
    public record Slice(boolean ofX, long firstRow, double[] values) implements Serializable {
    }

    /** Mean over directions is up to the caller: the exact 1-D W1 along each of {@code count} seeded directions. */
    public static double[] perDirection(JavaSparkContext sc, PointSet x, Weights a, PointSet y, Weights b, int count, long seed, int partitions) {
        return perDirection(sc, blocks(sc, x, partitions), x.n(), a.toArray(), blocks(sc, y, partitions), y.n(), b.toArray(), x.d(), count, seed,
                partitions);
    }

    private static JavaRDD<FloatBlock> blocks(JavaSparkContext sc, PointSet p, int parts) {
        int n = p.n();
        int count = Math.max(1, Math.min(n, parts));
        List<FloatBlock> out = new ArrayList<>();
        for (int b = 0; b < count; b++) {
            int from = Blocks.start(n, b, count);
            int to = Blocks.start(n, b + 1, count);
            PointSet part = p.range(from, to);
            out.add(new FloatBlock(from, to - from, p.d(), -1, part.values(), part.doubles()));
        }
        return sc.parallelize(out, count);
    }

    /**
     * The same from row blocks that stay on the executors (images or patches as read): weights given as arrays
     * indexed by row, or null for uniform weights 1/n.
     */
    public static double[] perDirection(JavaSparkContext sc, JavaRDD<FloatBlock> x, long n, double[] weightsX, JavaRDD<FloatBlock> y, long m,
                                        double[] weightsY, int d, int count, long seed, int partitions) {
        if (n > Integer.MAX_VALUE - 8 || m > Integer.MAX_VALUE - 8) {
            throw new IllegalArgumentException("a direction's " + n + " + " + m + " projections do not fit in arrays");
        }
        Broadcast<double[]> bd = sc.broadcast(Sliced.directions(count, d, seed));
        Broadcast<Weights> bwx = sc.broadcast(weightsX == null ? Weights.uniform((int) n) : Weights.of(weightsX));
        Broadcast<Weights> bwy = sc.broadcast(weightsY == null ? Weights.uniform((int) m) : Weights.of(weightsY));
        try {
            List<Tuple2<Integer, Double>> w1 = x.flatMapToPair(block -> project(block, bd.value(), count, d, true))
                    .union(y.flatMapToPair(block -> project(block, bd.value(), count, d, false)))
                    .groupByKey(Math.max(1, Math.min(partitions, count)))
                    .mapValues(slices -> w1(slices, (int) n, bwx.value(), (int) m, bwy.value()))
                    .collect();
            double[] out = new double[count];
            for (Tuple2<Integer, Double> t : w1) {
                out[t._1()] = t._2();
            }
            return out;
        } finally {
            bd.destroy();
            bwx.destroy();
            bwy.destroy();
        }
    }

    /** A block's rows on each direction, one slice per direction. */
    private static Iterator<Tuple2<Integer, Slice>> project(FloatBlock block, double[] dirs, int count, int d, boolean ofX) {
        List<Tuple2<Integer, Slice>> out = new ArrayList<>(count);
        for (int k = 0; k < count; k++) {
            double[] values = new double[block.rows];
            for (int r = 0; r < block.rows; r++) {
                int o = r * d;
                double v = 0;
                for (int c = 0; c < d; c++) {
                    v += (block.doubles != null ? block.doubles[o + c] : block.values[o + c]) * dirs[k * d + c];
                }
                values[r] = v;
            }
            out.add(new Tuple2<>(k, new Slice(ofX, block.firstRow, values)));
        }
        return out.iterator();
    }

    /** One direction's exact 1-D W1 from its slices, assembled in row order whatever order they arrive in. */
    private static double w1(Iterable<Slice> slices, int n, Weights a, int m, Weights b) {
        double[] xs = new double[n];
        double[] ys = new double[m];
        for (Slice s : slices) {
            System.arraycopy(s.values(), 0, s.ofX() ? xs : ys, (int) s.firstRow(), s.values().length);
        }
        return OneDimensional.w1(a, xs, b, ys);
    }
}
