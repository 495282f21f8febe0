package org.wganspark.eval;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.util.List;
import org.junit.jupiter.api.Test;

class PlotsTest {

    @Test
    void ticksAreRoundValuesInsideTheRange() {
        assertArrayEquals(new double[] {0, 0.1, 0.2, 0.3, 0.4, 0.5}, Plots.ticks(-0.02, 0.52), 1e-12);
        assertArrayEquals(new double[] {200, 400, 600, 800, 1000}, Plots.ticks(130, 1040), 1e-9);
    }

    private static int count(BufferedImage image, java.awt.Color color) {
        int n = 0;
        for (int y = 0; y < image.getHeight(); y++) {
            for (int x = 0; x < image.getWidth(); x++) {
                n += image.getRGB(x, y) == color.getRGB() ? 1 : 0;
            }
        }
        return n;
    }

    @Test
    void tickLabelsOfANarrowRangeDiffer() {
        double[] ticks = Plots.ticks(23.67505, 23.67535);  // an image W1 that moves in its fifth digit
        assertTrue(ticks.length >= 3);
        java.util.Set<String> labels = new java.util.HashSet<>();
        for (double t : ticks) {
            labels.add(Plots.format(t, ticks));
        }
        assertEquals(ticks.length, labels.size(), labels.toString());
        assertEquals("23.67510", Plots.format(23.6751, Plots.ticks(23.67505, 23.67535)));
    }

    @Test
    void eachPanelDrawsEachSeriesInItsOwnColour() {
        Plots.Series a = new Plots.Series("K = 1", new double[] {0, 1, 2}, new double[] {1, 0.5, 0.25});
        Plots.Series b = new Plots.Series("K = 5", new double[] {0, 1, 2}, new double[] {1, 0.3, Double.NaN});
        BufferedImage one = Plots.lines(List.of(new Plots.Panel("W1", "steps", "W1", List.of(a))));
        BufferedImage two = Plots.lines(List.of(new Plots.Panel("W1", "steps", "W1", List.of(a, b)),
                new Plots.Panel("W1", "seconds", "W1", List.of(a, b))));
        assertEquals(2 * one.getWidth(), two.getWidth());
        assertTrue(count(one, Plots.color(0)) > 100, "the first series is drawn");
        assertEquals(0, count(one, Plots.color(1)), "no second series in the first image");
        assertTrue(count(two, Plots.color(1)) > 100, "the second series is drawn");
    }
}
