package org.wganspark.ot.entropic;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class AndersonTest {

    /** Iterations of x <- G(x) = D x + c (D diagonal, rates up to 0.995) until |G(x) - x| < 1e-10, with or without mixing. */
    private static int iterationsToSolve(boolean mixed, double[] solution) {
        int m = 60;
        double[] rate = new double[m];
        double[] c = new double[m];
        for (int j = 0; j < m; j++) {
            rate[j] = 0.995 * j / (m - 1);
            c[j] = Math.sin(j + 1);
        }
        Anderson anderson = new Anderson(8, m);
        double[] x = new double[m];
        double[] mapped = new double[m];
        for (int k = 1; k <= 100_000; k++) {
            double residual = 0;
            for (int j = 0; j < m; j++) {
                mapped[j] = rate[j] * x[j] + c[j];
                residual = Math.max(residual, Math.abs(mapped[j] - x[j]));
            }
            if (residual < 1e-10) {
                System.arraycopy(x, 0, solution, 0, m);
                return k;
            }
            if (mixed) {
                anderson.step(x, mapped);
            } else {
                System.arraycopy(mapped, 0, x, 0, m);
            }
        }
        return -1;
    }

    @Test
    void mixingSolvesASlowLinearContractionInFarFewerSteps() {
        double[] plain = new double[60];
        double[] mixed = new double[60];
        int plainSteps = iterationsToSolve(false, plain);
        int mixedSteps = iterationsToSolve(true, mixed);
        assertTrue(plainSteps > 3000, "plain steps " + plainSteps);
        assertTrue(mixedSteps > 0 && mixedSteps < plainSteps / 8, "mixed steps " + mixedSteps + ", plain " + plainSteps);
        for (int j = 0; j < 60; j++) {
            double exact = Math.sin(j + 1) / (1 - 0.995 * j / 59);  // the fixed point c / (1 - rate)
            assertEquals(exact, mixed[j], 1e-7 * Math.max(1, Math.abs(exact)), "coordinate " + j);
        }
    }
}
