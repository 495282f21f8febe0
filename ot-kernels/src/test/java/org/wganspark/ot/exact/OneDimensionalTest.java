package org.wganspark.ot.exact;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;
import org.wganspark.ot.Weights;

class OneDimensionalTest {

    @Test
    void translatedSetMovesByTheShift() {
        double[] x = {0.3, -1, 4, 2.5, 7};
        double[] y = new double[x.length];
        for (int i = 0; i < x.length; i++) {
            y[i] = x[i] + 1.75;
        }
        assertEquals(1.75, OneDimensional.w1Uniform(x, y), 1e-15);
        assertEquals(1.75, OneDimensional.w1(Weights.uniform(5), x, Weights.uniform(5), y), 1e-14);
    }

    @Test
    void diracsAreTheirDistance() {
        assertEquals(3.0, OneDimensional.w1(Weights.uniform(1), new double[] {2}, Weights.uniform(1), new double[] {-1}), 0);
    }

    @Test
    void weightedTwoPointCase() {
        // a: 3/4 at 0, 1/4 at 1; b: all at 1 -> 3/4 of the mass moves 1
        double w = OneDimensional.w1(Weights.of(new double[] {3, 1}), new double[] {0, 1}, Weights.uniform(1), new double[] {1});
        assertEquals(0.75, w, 1e-15);
    }
}
