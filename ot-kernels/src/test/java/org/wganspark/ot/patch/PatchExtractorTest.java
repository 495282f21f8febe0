package org.wganspark.ot.patch;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class PatchExtractorTest {

    /** Value at (image, channel, y, x) encodes its own coordinates, so a wrong offset cannot go unnoticed. */
    private static float code(int i, int c, int y, int x) {
        return i * 1_000_000f + c * 10_000f + y * 100f + x;
    }

    private static float[] codedImages(int n, PatchGeometry g) {
        float[] images = new float[n * g.imageSize()];
        for (int i = 0; i < n; i++)
            for (int c = 0; c < g.channels(); c++)
                for (int y = 0; y < g.height(); y++)
                    for (int x = 0; x < g.width(); x++)
                        images[((i * g.channels() + c) * g.height() + y) * g.width() + x] = code(i, c, y, x);
        return images;
    }

    @Test
    void locationCountsFollowFloorFormula() {
        PatchGeometry g = new PatchGeometry(1, 28, 28, 7, 7);
        assertEquals(16, g.locations());
        assertEquals(49, g.dimension());
        assertEquals(22 * 22, new PatchGeometry(1, 28, 28, 7, 1).locations());
        // 64 px, p16 s8: the paper's 7 x 7 grid
        assertEquals(49, new PatchGeometry(3, 64, 64, 16, 8).locations());
        // stride that does not divide: (28 - 5) / 4 + 1 = 6
        assertEquals(36, new PatchGeometry(1, 28, 28, 5, 4).locations());
    }

    @Test
    void pooledPatchesCarryTheirCoordinates() {
        PatchGeometry g = new PatchGeometry(2, 9, 11, 3, 2);
        int n = 3;
        float[] images = codedImages(n, g);
        float[] out = new float[n * g.locations() * g.dimension()];
        PatchExtractor.pooled(images, n, g, out);
        for (int i = 0; i < n; i++) {
            for (int k = 0; k < g.locations(); k++) {
                int top = (k / g.cols()) * 2, left = (k % g.cols()) * 2;
                int row = i * g.locations() + k;
                int v = 0;
                for (int c = 0; c < 2; c++)
                    for (int y = 0; y < 3; y++)
                        for (int x = 0; x < 3; x++)
                            assertEquals(code(i, c, top + y, left + x), out[row * g.dimension() + v++]);
            }
        }
    }

    @Test
    void perLocationBlocksAreTheColumnsOfThePooledLayout() {
        PatchGeometry g = new PatchGeometry(1, 28, 28, 7, 3);
        int n = 5;
        float[] images = new float[n * g.imageSize()];
        SplittableRandom rng = new SplittableRandom(7);
        for (int i = 0; i < images.length; i++) images[i] = (float) rng.nextDouble(-1, 1);
        float[] pooled = new float[n * g.locations() * g.dimension()];
        PatchExtractor.pooled(images, n, g, pooled);
        float[] local = new float[n * g.dimension()];
        for (int k = 0; k < g.locations(); k++) {
            PatchExtractor.atLocation(images, n, g, k, local);
            for (int i = 0; i < n; i++) {
                float[] expected = new float[g.dimension()];
                float[] actual = new float[g.dimension()];
                System.arraycopy(pooled, (i * g.locations() + k) * g.dimension(), expected, 0, g.dimension());
                System.arraycopy(local, i * g.dimension(), actual, 0, g.dimension());
                assertArrayEquals(expected, actual);
            }
        }
    }

    @Test
    void patchAsLargeAsImageIsTheImage() {
        PatchGeometry g = new PatchGeometry(1, 4, 4, 4, 1);
        float[] images = codedImages(2, g);
        float[] out = new float[2 * 16];
        PatchExtractor.pooled(images, 2, g, out);
        assertArrayEquals(images, out);
    }

    @Test
    void patchLargerThanImageIsRejectedWithBothSizes() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new PatchGeometry(1, 28, 28, 29, 1));
        assertTrue(e.getMessage().contains("29") && e.getMessage().contains("28x28"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new PatchGeometry(1, 28, 28, 7, 0));
    }

    @Test
    void checksumIsOrderIndependentAndSensitive() {
        SplittableRandom rng = new SplittableRandom(3);
        float[] rows = new float[10 * 4];
        for (int i = 0; i < rows.length; i++) rows[i] = (float) rng.nextDouble();
        long whole = PatchChecksum.of(rows, 10, 4, 100);
        float[] a = java.util.Arrays.copyOfRange(rows, 0, 12), b = java.util.Arrays.copyOfRange(rows, 12, 40);
        assertEquals(whole, PatchChecksum.of(b, 7, 4, 103) + PatchChecksum.of(a, 3, 4, 100));
        // swapping two rows changes the fingerprint (it is position-aware)
        float[] swapped = rows.clone();
        System.arraycopy(rows, 0, swapped, 4, 4);
        System.arraycopy(rows, 4, swapped, 0, 4);
        assertNotEquals(whole, PatchChecksum.of(swapped, 10, 4, 100));
        // a one-ulp change changes it
        float[] nudged = rows.clone();
        nudged[17] = Math.nextUp(nudged[17]);
        assertNotEquals(whole, PatchChecksum.of(nudged, 10, 4, 100));
    }
}
