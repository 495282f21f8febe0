package org.wganspark.ot.spark;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.wganspark.data.FloatBlock;
import org.wganspark.ot.cost.NearestNeighbours;
import org.wganspark.ot.cost.PointSet;
import scala.Tuple2;

/**
 * Every query's nearest and second-nearest row of a partitioned data set, exact: the queries are broadcast, each
 * block is searched by the local kernel ({@link NearestNeighbours}) and the blocks' answers are merged in a tree;
 * then the nearest rows of the first few queries are fetched for display.
 */
public final class DistributedNeighbours {

    private DistributedNeighbours() {
    }

    /** The neighbours of every query, and the data rows (by index) that are the nearest of the first {@code fetch} queries. */
    public record Found(NearestNeighbours neighbours, Map<Long, float[]> nearestRows) {
    }

    public static Found search(JavaSparkContext sc, JavaRDD<FloatBlock> blocks, PointSet queries, int fetch) {
        Broadcast<PointSet> shared = sc.broadcast(queries);
        try {
            NearestNeighbours nn = blocks.map(b -> NearestNeighbours.search(shared.value(), new PointSet(b.values, b.doubles, b.rows, b.cols), b.firstRow))
                    .treeReduce(NearestNeighbours::merge, 2);
            long[] wanted = Arrays.copyOf(nn.nearest(), Math.min(fetch, queries.n()));
            Broadcast<long[]> want = sc.broadcast(wanted);
            Map<Long, float[]> rows = new HashMap<>();
            try {
                blocks.flatMap(b -> rowsAmong(b, want.value()).iterator()).collect().forEach(t -> rows.put(t._1(), t._2()));
            } finally {
                want.destroy();
            }
            return new Found(nn, rows);
        } finally {
            shared.destroy();
        }
    }

    private static List<Tuple2<Long, float[]>> rowsAmong(FloatBlock block, long[] wanted) {
        List<Tuple2<Long, float[]>> out = new ArrayList<>();
        for (long index : wanted) {
            if (index >= block.firstRow && index < block.firstRow + block.rows) {
                int r = (int) (index - block.firstRow);
                out.add(new Tuple2<>(index, Arrays.copyOfRange(block.values, r * block.cols, (r + 1) * block.cols)));
            }
        }
        return out;
    }
}
