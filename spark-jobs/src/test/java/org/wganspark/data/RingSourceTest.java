package org.wganspark.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.Test;

class RingSourceTest {

    private static float[] read(RowSource source, long first, long count, int blockRows) {
        List<FloatBlock> blocks = new ArrayList<>();
        source.read(first, count, blockRows, new Configuration()).forEachRemaining(blocks::add);
        float[] all = new float[(int) count * 2];
        int at = 0;
        for (FloatBlock b : blocks) {
            System.arraycopy(b.values, 0, all, at, b.values.length);
            at += b.values.length;
        }
        return all;
    }

    @Test
    void everyRowIsTheSameWhateverTheBlocksAndRangesThatReadIt() {
        RowSource ring = Datasets.open(new DataSpec("ring8", "", "train", 3000, new ImageTransform(0, 0, true), 1024, 0), new Configuration(), null);
        assertEquals(3000, ring.rows());
        assertEquals(ImageShape.flat(2), ring.shape());
        float[] whole = read(ring, 0, 3000, 1024);
        float[] tail = read(ring, 1000, 2000, 7);
        assertArrayEquals(java.util.Arrays.copyOfRange(whole, 2000, 6000), tail, 0f);
    }

    @Test
    void pointsLieOnEightModesOfTheRing() {
        float[] p = read(new RingSource(8000), 0, 8000, 512);
        int[] perMode = new int[8];
        double radius = 0;
        for (int i = 0; i < 8000; i++) {
            double x = p[2 * i];
            double y = p[2 * i + 1];
            radius += Math.hypot(x, y) / 8000;
            int mode = (int) Math.floorMod(Math.round(Math.atan2(y, x) / (2 * Math.PI / 8)), 8);
            perMode[mode]++;
            assertTrue(Math.abs(x) < 1 && Math.abs(y) < 1, "inside the Tanh range");
        }
        assertEquals(0.7, radius, 0.01);
        for (int count : perMode) {
            assertEquals(1000, count, 120, java.util.Arrays.toString(perMode));
        }
    }
}
