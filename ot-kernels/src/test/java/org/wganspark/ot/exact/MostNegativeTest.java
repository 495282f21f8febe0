package org.wganspark.ot.exact;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Arrays;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.wganspark.ot.Weights;

class MostNegativeTest {

    @Test
    void eachRowKeepsItsCapacityOfMostNegativeOffers() {
        int[] capacity = {1, 3, 40, 7};
        MostNegative best = new MostNegative(capacity);
        SplittableRandom r = new SplittableRandom(2);
        double[][] offered = new double[capacity.length][500];
        for (int j = 0; j < 500; j++) {
            for (int row = 0; row < capacity.length; row++) {
                double rc = r.nextDouble(-1, 1);
                offered[row][j] = rc;
                best.offer(row, j, rc, 10 + rc);
            }
        }
        for (int row = 0; row < capacity.length; row++) {
            double[] sorted = offered[row].clone();
            Arrays.sort(sorted);
            double[] kept = new double[best.size(row)];
            for (int k = 0; k < kept.length; k++) {
                int j = best.col(row, k);
                kept[k] = offered[row][j];
                assertEquals(10 + kept[k], best.cost(row, k), 0.0, "the cost travels with its column");
            }
            Arrays.sort(kept);
            assertArrayEquals(Arrays.copyOf(sorted, capacity[row]), kept, 0.0, "row " + row);
        }
        best.clear();
        assertEquals(0, best.size(2));
    }

    @Test
    void theBarIsTheWorstKeptOfAFullRowAndOffersAtItAreRefused() {
        MostNegative best = new MostNegative(new int[] {3, 0});
        assertEquals(Double.NEGATIVE_INFINITY, best.bar(1), "a row that may take nothing refuses everything");
        best.offer(0, 1, -0.5, 1);
        best.offer(0, 2, -0.2, 1);
        assertEquals(Double.POSITIVE_INFINITY, best.bar(0), "a row with room takes any offer");
        best.offer(0, 3, -0.9, 1);
        assertEquals(-0.2, best.bar(0), 0.0);
        best.offer(0, 4, -0.2, 1);  // at the bar: refused, as the pricing loop assumes
        best.offer(0, 5, -0.3, 1);
        assertEquals(-0.3, best.bar(0), 0.0);
        int[] cols = new int[best.size(0)];
        for (int k = 0; k < cols.length; k++) {
            cols[k] = best.col(0, k);
        }
        Arrays.sort(cols);
        assertArrayEquals(new int[] {1, 3, 5}, cols);
    }

    @Test
    void aHeavyRowMayAddArcsInProportionToItsWeight() {
        double[] mass = new double[100];
        Arrays.fill(mass, 1);
        mass[3] = 99;  // half of the mass on one row
        int[] capacity = ShortlistSolver.rowCapacity(Weights.of(mass), 50, 32);
        assertEquals(32, capacity[0]);
        assertEquals(50, capacity[3], "never more than the columns");
        capacity = ShortlistSolver.rowCapacity(Weights.of(mass), 100, 1);
        assertEquals(1, capacity[0]);
        assertEquals(50, capacity[3]);  // ceil(0.5 x 100) shares
        assertEquals(9, ShortlistSolver.rowCapacity(Weights.uniform(7), 9, 32)[6]);
    }

    @Test
    void withFarFewerRowsThanColumnsEveryRowMayAddItsShareOfTheColumns() {
        int[] capacity = ShortlistSolver.rowCapacity(Weights.uniform(1024), 64548, 32);
        assertEquals(32 * 64, capacity[0]);  // ceil(64548 / 1024) = 64 columns a row at least
        assertEquals(32, ShortlistSolver.rowCapacity(Weights.uniform(64548), 1024, 32)[0]);
    }
}
