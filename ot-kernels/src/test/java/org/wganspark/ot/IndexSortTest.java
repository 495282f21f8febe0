package org.wganspark.ot;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class IndexSortTest {

    @Test
    void indexSortOrdersKeysWithTies() {
        SplittableRandom r = new SplittableRandom(5);
        for (int n : new int[] {1, 2, 30, 1000, 20000}) {
            double[] key = new double[n];
            for (int i = 0; i < n; i++) {
                key[i] = r.nextInt(Math.max(1, n / 3));  // many ties
            }
            int[] order = new int[n];
            IndexSort.argsort(key, order);
            double[] sorted = key.clone();
            Arrays.sort(sorted);
            boolean[] seen = new boolean[n];
            for (int t = 0; t < n; t++) {
                assertEquals(sorted[t], key[order[t]]);
                seen[order[t]] = true;
                if (t > 0 && key[order[t]] == key[order[t - 1]]) {
                    assertTrue(order[t] > order[t - 1], "ties keep their index order");
                }
            }
            for (boolean s : seen) {
                assertTrue(s, "a permutation");
            }
        }
    }
}
