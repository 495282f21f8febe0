package org.wganspark.ot;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import org.apache.spark.api.java.JavaPairRDD;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.wganspark.data.FloatBlock;
import org.wganspark.ot.cost.PointSet;
import org.wganspark.ot.sliced.Sliced;
import scala.Tuple2;

/**
 * The sliced Wasserstein distance by a distributed sort: executors project their rows on every direction and
 * emit (direction, value, signed weight) with +a_i for X and -b_j for Y; one range-partitioned sort orders all
 * of them; then, for each direction, W1 = integral |S(t)| dt where S is the running sum of signed weights
 * (F_a - F_b). Pass one sums each partition's weights per direction, the driver turns them into prefix sums
 * and the integral across partition boundaries, pass two integrates inside each partition. Exact: no
 * quantiles, no driver-side copy of the projections.
 */
public final class DistributedSliced {

    private DistributedSliced() {
    }

    /** Sort key: direction, then projected value. */
    public record Key(int direction, double value) implements Comparable<Key>, Serializable {
        @Override
        public int compareTo(Key o) {
            return direction != o.direction ? Integer.compare(direction, o.direction) : Double.compare(value, o.value);
        }
    }

    /** One partition's view of one direction: its total signed weight and its first and last values. */
    public record Span(int partition, int direction, double weight, double first, double last) implements Serializable {
    }

    /** Mean over directions is up to the caller: the exact 1-D W1 along each of {@code count} seeded directions. */
    public static double[] perDirection(JavaSparkContext sc, PointSet x, Weights a, PointSet y, Weights b, int count, long seed, int partitions) {
        return perDirection(sc, blocks(sc, x, partitions), x.n(), a.toArray(), blocks(sc, y, partitions), y.n(), b.toArray(), x.d(), count, seed,
                partitions);
    }

    private static JavaRDD<FloatBlock> blocks(JavaSparkContext sc, PointSet p, int parts) {
        int n = p.n();
        int d = p.d();
        int count = Math.max(1, Math.min(n, parts));
        List<FloatBlock> out = new ArrayList<>();
        for (int b = 0; b < count; b++) {
            int from = (int) ((long) n * b / count);
            int to = (int) ((long) n * (b + 1) / count);
            out.add(new FloatBlock(from, to - from, d, Arrays.copyOfRange(p.values(), from * d, to * d)));
        }
        return sc.parallelize(out, count);
    }

    /**
     * The same from row blocks that stay on the executors (images or patches as read): weights given as arrays
     * indexed by row, or null for uniform weights 1/n.
     */
    public static double[] perDirection(JavaSparkContext sc, JavaRDD<FloatBlock> x, long n, double[] weightsX, JavaRDD<FloatBlock> y, long m,
                                        double[] weightsY, int d, int count, long seed, int partitions) {
        double[] dirs = Sliced.directions(count, d, seed);
        Broadcast<double[]> bd = sc.broadcast(dirs);
        Broadcast<double[]> bwx = sc.broadcast(weightsX);
        Broadcast<double[]> bwy = sc.broadcast(weightsY);
        JavaPairRDD<Key, Double> records = x.flatMapToPair(block -> project(block, bd.value(), count, d, bwx.value(), 1.0 / n, 1))
                .union(y.flatMapToPair(block -> project(block, bd.value(), count, d, bwy.value(), 1.0 / m, -1)));
        JavaPairRDD<Key, Double> sorted = records.sortByKey(true, partitions).cache();
        try {
            List<Span> spans = sorted.mapPartitionsWithIndex((index, it) -> spansOf(index, it), false).collect();
            // prefix of S before each (partition, direction), and the integral across partition boundaries
            double[] boundary = new double[count];
            Map<Long, Double> prefix = new HashMap<>();
            double[] running = new double[count];
            Span[] previous = new Span[count];
            List<Span> ordered = new ArrayList<>(spans);
            ordered.sort((s, t) -> s.partition() != t.partition() ? Integer.compare(s.partition(), t.partition())
                    : Integer.compare(s.direction(), t.direction()));
            for (Span s : ordered) {
                int k = s.direction();
                if (previous[k] != null) {
                    boundary[k] += Math.abs(running[k]) * (s.first() - previous[k].last());
                }
                prefix.put(((long) s.partition() << 32) | k, running[k]);
                running[k] += s.weight();
                previous[k] = s;
            }
            Broadcast<Map<Long, Double>> bp = sc.broadcast(prefix);
            List<double[]> inside = sorted.mapPartitionsWithIndex((index, it) -> integrate(index, it, bp.value(), count), false).collect();
            double[] w1 = boundary.clone();
            for (double[] part : inside) {
                for (int k = 0; k < count; k++) {
                    w1[k] += part[k];
                }
            }
            bp.destroy();
            return w1;
        } finally {
            sorted.unpersist(false);
            bd.destroy();
            bwx.destroy();
            bwy.destroy();
        }
    }

    private static Iterator<Tuple2<Key, Double>> project(FloatBlock block, double[] dirs, int count, int d, double[] weights, double uniform,
                                                         double sign) {
        List<Tuple2<Key, Double>> out = new ArrayList<>(block.rows * count);
        for (int r = 0; r < block.rows; r++) {
            double w = sign * (weights == null ? uniform : weights[(int) (block.firstRow + r)]);
            int o = r * d;
            for (int k = 0; k < count; k++) {
                double v = 0;
                for (int c = 0; c < d; c++) {
                    v += block.values[o + c] * dirs[k * d + c];
                }
                out.add(new Tuple2<>(new Key(k, v), w));
            }
        }
        return out.iterator();
    }

    private static Iterator<Span> spansOf(int partition, Iterator<Tuple2<Key, Double>> it) {
        List<Span> out = new ArrayList<>();
        int direction = -1;
        double weight = 0;
        double first = 0;
        double last = 0;
        while (it.hasNext()) {
            Tuple2<Key, Double> r = it.next();
            if (r._1().direction() != direction) {
                if (direction >= 0) {
                    out.add(new Span(partition, direction, weight, first, last));
                }
                direction = r._1().direction();
                weight = 0;
                first = r._1().value();
            }
            weight += r._2();
            last = r._1().value();
        }
        if (direction >= 0) {
            out.add(new Span(partition, direction, weight, first, last));
        }
        return out.iterator();
    }

    /** sum |S| (t_next - t) over consecutive records of the same direction inside this partition. */
    private static Iterator<double[]> integrate(int partition, Iterator<Tuple2<Key, Double>> it, Map<Long, Double> prefix, int count) {
        double[] w1 = new double[count];
        int direction = -1;
        double s = 0;
        double last = 0;
        while (it.hasNext()) {
            Tuple2<Key, Double> r = it.next();
            int k = r._1().direction();
            if (k != direction) {
                direction = k;
                s = prefix.get(((long) partition << 32) | k);
            } else {
                w1[k] += Math.abs(s) * (r._1().value() - last);
            }
            s += r._2();
            last = r._1().value();
        }
        return List.of(w1).iterator();
    }
}
