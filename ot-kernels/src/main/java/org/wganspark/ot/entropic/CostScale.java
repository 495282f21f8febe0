package org.wganspark.ot.entropic;

import java.util.Arrays;
import java.util.SplittableRandom;
import org.wganspark.ot.cost.PairwiseCost;

/** The scale of a cost matrix from seeded samples of its entries: where epsilon is set and where epsilon scaling starts. */
public final class CostScale {

    private CostScale() {
    }

    /** The q-quantile of the cost over {@code samples} seeded random pairs (all pairs when there are fewer). */
    public static double quantile(PairwiseCost cost, double q, int samples, long seed) {
        int n = cost.rows();
        int m = cost.cols();
        double[] values;
        if ((long) n * m <= samples) {
            values = new double[n * m];
            for (int i = 0; i < n; i++) {
                for (int j = 0; j < m; j++) {
                    values[i * m + j] = cost.cost(i, j);
                }
            }
        } else {
            SplittableRandom random = new SplittableRandom(seed);
            values = new double[samples];
            for (int s = 0; s < samples; s++) {
                values[s] = cost.cost(random.nextInt(n), random.nextInt(m));
            }
        }
        Arrays.sort(values);
        return values[(int) Math.min(values.length - 1, Math.round(q * (values.length - 1)))];
    }

    /** The largest cost, from the kept matrix's rows or a seeded sample of pairs: where epsilon scaling starts. */
    static double largestEstimate(PairwiseCost cost) {
        int n = cost.rows();
        int m = cost.cols();
        double max = 0;
        if ((long) n * m <= 1 << 16) {
            for (int i = 0; i < n; i++) {
                for (int j = 0; j < m; j++) {
                    max = Math.max(max, cost.cost(i, j));
                }
            }
            return max;
        }
        SplittableRandom random = new SplittableRandom(0x5eedL);
        for (int s = 0; s < 4096; s++) {
            max = Math.max(max, cost.cost(random.nextInt(n), random.nextInt(m)));
        }
        return max;
    }
}
