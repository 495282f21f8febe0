package org.wganspark.ot.exact;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Arrays;
import java.util.Comparator;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** Pricing.sorted(): (row, column) order with each arc's cost carried along, on all three of its paths. */
class PricingSortedTest {

    @Test
    void rowsInOrderWithTheirArcsInHeapOrder() {
        // what a pass emits: ascending rows, each with up to 32 arcs in no particular order (the insertion path)
        SplittableRandom r = new SplittableRandom(5);
        int[] rows = new int[3000];
        int[] cols = new int[rows.length];
        for (int k = 0, row = 0; k < rows.length; row += 1 + r.nextInt(3)) {
            int[] some = r.ints(0, 1000).distinct().limit(1 + r.nextInt(32)).toArray();
            for (int t = 0; t < some.length && k < rows.length; t++, k++) {
                rows[k] = row;
                cols[k] = some[t];
            }
        }
        check(rows, cols);
    }

    @Test
    void rowsOutOfOrder() {
        SplittableRandom r = new SplittableRandom(6);
        int[] rows = r.ints(2000, 0, 50).toArray();
        int[] cols = new int[rows.length];
        for (int k = 0; k < rows.length; k++) {
            cols[k] = k;  // all pairs distinct
        }
        check(rows, cols);
    }

    @Test
    void oneHeavyRowInReverseOrder() {
        // a heavy row's thousands of arcs: the insertion sort would be quadratic, the general sort takes over
        int[] rows = new int[20_000];
        int[] cols = new int[rows.length];
        for (int k = 0; k < rows.length; k++) {
            rows[k] = k < 10 ? 0 : 1;
            cols[k] = rows.length - k;
        }
        check(rows, cols);
    }

    private static void check(int[] rows, int[] cols) {
        int n = rows.length;
        double[] costs = new double[n];
        for (int k = 0; k < n; k++) {
            costs[k] = rows[k] * 1e6 + cols[k] + 0.5;  // a cost that names its pair
        }
        PricingKernel.Pricing sorted = new PricingKernel.Pricing(rows.clone(), cols.clone(), costs.clone(), n, 7, 0.25, 99).sorted();
        Integer[] order = new Integer[n];
        Arrays.setAll(order, k -> k);
        Arrays.sort(order, Comparator.<Integer>comparingInt(k -> rows[k]).thenComparingInt(k -> cols[k]));
        assertArrayEquals(Arrays.stream(order).mapToInt(k -> rows[k]).toArray(), Arrays.copyOf(sorted.rows(), n));
        assertArrayEquals(Arrays.stream(order).mapToInt(k -> cols[k]).toArray(), Arrays.copyOf(sorted.cols(), n));
        assertArrayEquals(Arrays.stream(order).mapToDouble(k -> costs[k]).toArray(), Arrays.copyOf(sorted.costs(), n));
        assertEquals(7, sorted.violations());
        assertEquals(0.25, sorted.maxViolation());
        assertEquals(99, sorted.exactEvaluations());
    }
}
