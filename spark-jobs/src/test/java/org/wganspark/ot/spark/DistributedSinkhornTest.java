package org.wganspark.ot.spark;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.Test;
import org.wganspark.data.FloatBlock;
import org.wganspark.data.IdxSource;
import org.wganspark.data.RowSource;
import org.wganspark.data.TestFiles;
import org.wganspark.ot.Weights;
import org.wganspark.ot.cost.Metric;
import org.wganspark.ot.cost.PairwiseCost;
import org.wganspark.ot.cost.PointSet;
import org.wganspark.ot.entropic.CostScale;
import org.wganspark.ot.entropic.Sinkhorn;
import org.wganspark.ot.entropic.SinkhornOptions;
import org.wganspark.ot.entropic.SinkhornResult;
import org.wganspark.spark.TestSpark;

class DistributedSinkhornTest {

    private static PointSet fashion(int from, int n) {
        Configuration conf = new Configuration();
        RowSource s = IdxSource.open(TestFiles.fashionMnistTest().toString(), conf);
        List<FloatBlock> blocks = new ArrayList<>();
        s.read(from, n, n, conf).forEachRemaining(blocks::add);
        return new PointSet(blocks.get(0).values.clone(), n, 784);
    }

    @Test
    void sweepsOnExecutorsGiveTheLocalSolversBits() {
        PointSet x = fashion(0, 150);
        PointSet y = fashion(3000, 120);
        PairwiseCost cost = new PairwiseCost(x, y, Metric.EUCLIDEAN);
        Weights a = Weights.uniform(150);
        Weights b = Weights.uniform(120);
        SinkhornOptions options = SinkhornOptions.of(0.05 * CostScale.quantile(cost, 0.5, 100_000, 7)).withTolerance(1e-8);
        SinkhornResult local = Sinkhorn.solveLocally(a, b, cost, options, 5);
        List<DistributedSinkhorn> opened = new ArrayList<>();
        SinkhornResult distributed = Sinkhorn.solveWith(a, b, cost, options, null, logA -> {
            DistributedSinkhorn d = new DistributedSinkhorn(TestSpark.context(), x, y, Metric.EUCLIDEAN, false, logA, 5);
            opened.add(d);
            return d;
        });
        opened.forEach(DistributedSinkhorn::close);
        assertTrue(local.marginalError() < 1e-8, "marginal error " + local.marginalError());
        assertEquals(local.iterations(), distributed.iterations());
        assertEquals(local.transportCost(), distributed.transportCost(), 0.0);
        assertArrayEquals(local.f(), distributed.f(), 0.0);
        assertArrayEquals(local.g(), distributed.g(), 0.0);
        // and the same fixed point as the kept-matrix solver
        SinkhornResult kept = Sinkhorn.solve(a, b, cost, options);
        assertEquals(kept.transportCost(), distributed.transportCost(), 1e-8 * kept.transportCost());
    }
}
