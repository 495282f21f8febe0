package org.wganspark.ot.spark;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

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
import org.wganspark.ot.exact.ExactOptions;
import org.wganspark.ot.exact.ExactResult;
import org.wganspark.ot.exact.ShortlistSolver;
import org.wganspark.spark.TestSpark;

class DistributedPricingTest {

    private static PointSet fashion(int from, int n) {
        Configuration conf = new Configuration();
        RowSource s = IdxSource.open(TestFiles.fashionMnistTest().toString(), conf);
        float[] v = new float[n * 784];
        List<FloatBlock> blocks = new ArrayList<>();
        s.read(from, n, n, conf).forEachRemaining(blocks::add);
        System.arraycopy(blocks.get(0).values, 0, v, 0, v.length);
        return new PointSet(v, n, 784);
    }

    @Test
    void distributedPricingMatchesTheLocalKernel() {
        PairwiseCost cost = new PairwiseCost(fashion(0, 400), fashion(5000, 350), Metric.EUCLIDEAN);
        Weights a = Weights.uniform(400);
        Weights b = Weights.uniform(350);
        ExactOptions options = ExactOptions.defaults().withCandidatesPerRow(2).withAddPerRow(2).withDenseEntries(0);  // several rounds, projected pricing
        ExactResult local = ShortlistSolver.solve(a, b, cost, options);
        List<DistributedPricing> opened = new ArrayList<>();
        ExactResult distributed = ShortlistSolver.solve(a, b, cost, options, null, kernel -> {
            DistributedPricing p = new DistributedPricing(TestSpark.context(), kernel, 7);
            opened.add(p);
            return p;
        });
        opened.forEach(DistributedPricing::close);
        // the same arcs in the same order each round: the same pivots, bit for bit
        assertEquals(local.cost(), distributed.cost(), 0.0);
        assertEquals(local.rounds(), distributed.rounds());
        assertEquals(local.pivots(), distributed.pivots());
        assertArrayEquals(local.u(), distributed.u(), 0.0);
        assertEquals(local.certificate().maxViolation(), distributed.certificate().maxViolation(), 0.0);
        assertEquals((long) 400 * 350, distributed.certificate().pairsChecked());
    }
}
