package org.wganspark.ot.exact;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashSet;
import java.util.Set;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class PairSetTest {

    @Test
    void agreesWithAHashSetThroughManyGrowths() {
        PairSet pairs = new PairSet();
        Set<Long> reference = new HashSet<>();
        SplittableRandom r = new SplittableRandom(3);
        for (int k = 0; k < 200_000; k++) {
            int i = r.nextInt(1000);
            int j = r.nextInt(3) == 0 ? Integer.MAX_VALUE - r.nextInt(5) : r.nextInt(1000);  // large columns too
            assertEquals(reference.add(((long) i << 32) | j), pairs.add(i, j), i + "," + j);
        }
        assertEquals(reference.size(), pairs.size());
        assertFalse(pairs.add(0, 0) && !reference.contains(0L));
        assertTrue(pairs.add(1001, 1001));
        assertFalse(pairs.add(1001, 1001));
        assertTrue(pairs.add(1001, 1002), "(i, j) and (i, j + 1) are different pairs");
        assertTrue(pairs.add(1002, 1001), "and so are (i, j) and (j, i)");
    }
}
