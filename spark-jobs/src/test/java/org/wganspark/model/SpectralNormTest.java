package org.wganspark.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.wganspark.data.ImageShape;
import org.wganspark.train.objective.CriticGradients;
import org.wganspark.train.step.Dl4jOptimizer;

class SpectralNormTest {

    /** The largest singular value of a weight (a convolution as out x (in k k)), from a full SVD. */
    private static double spectralNorm(INDArray w) {
        INDArray m = w.rank() == 4 ? w.dup('c').reshape('c', w.size(0), w.length() / w.size(0)) : w.dup('c');
        INDArray s = Nd4j.create(DataType.DOUBLE, Math.min(m.rows(), m.columns()));
        Nd4j.getBlasWrapper().lapack().gesvd(m.dup('f'), s, null, null);
        return s.maxNumber().doubleValue();
    }

    @Test
    void theRawGradientIsTheDerivativeThroughTheNormalization() {
        MultiLayerNetwork critic = Networks.cnnCritic(new ImageShape(1, 9, 9), 3, 2, 3, false, 1e-3, 5, DataType.DOUBLE);
        SpectralNorm sn = new SpectralNorm(critic, new float[0], 11);
        INDArray x = Nd4j.rand(DataType.DOUBLE, 4, 81).subi(0.5);
        INDArray errors = Nd4j.valueArrayOf(new long[] {4, 1}, 0.25, DataType.DOUBLE);  // L = mean f(x)
        double[] raw = sn.raw();
        double[] fast = sn.rawGradient(CriticGradients.backprop(critic, x, errors)[0]);
        double eps = 1e-6;
        double worst = 0;
        double scale = 0;
        for (int k = 0; k < raw.length; k++) {
            double keep = raw[k];
            raw[k] = keep + eps;
            critic.params().assign(Nd4j.createFromArray(sn.normalizedParameters(raw)));
            double up = CriticGradients.scores(critic, x).meanNumber().doubleValue();
            raw[k] = keep - eps;
            critic.params().assign(Nd4j.createFromArray(sn.normalizedParameters(raw)));
            double down = CriticGradients.scores(critic, x).meanNumber().doubleValue();
            raw[k] = keep;
            double brute = (up - down) / (2 * eps);
            worst = Math.max(worst, Math.abs(brute - fast[k]));
            scale = Math.max(scale, Math.abs(brute));
        }
        assertTrue(scale > 1e-3, "a gradient that vanishes tests nothing: " + scale);
        assertTrue(worst / scale < 1e-6, "worst deviation " + worst + " against the largest derivative " + scale);
    }

    @Test
    void powerIterationsDriveEveryWeightToSpectralNormOne() {
        MultiLayerNetwork critic = Networks.fcCritic(12, 16, 3, 1e-3, 3, DataType.DOUBLE);
        double before = spectralNorm(critic.paramTable().get("0_W"));
        SpectralNorm sn = new SpectralNorm(critic, new float[0], 4);
        INDArray zero = Nd4j.zeros(DataType.DOUBLE, critic.numParams());
        for (int step = 0; step < 60; step++) {
            sn.step(critic, zero, step, 0, i -> Dl4jOptimizer.INSTANCE.step(critic, i));  // a zero gradient leaves the raw weights, the iterations go on
        }
        assertTrue(Math.abs(before - 1) > 0.1, "the test needs raw weights of norm far from 1: " + before);
        for (Map.Entry<String, INDArray> p : critic.paramTable().entrySet()) {
            if (p.getKey().endsWith("_W")) {
                assertEquals(1.0, spectralNorm(p.getValue()), 1e-4, p.getKey());
            }
        }
        double[] sigmas = sn.sigmas();
        assertEquals(before, sigmas[0], 1e-6 * before);
    }

    @Test
    void stateRoundTripsThroughTheVectorsAndRawWeights() {
        MultiLayerNetwork critic = Networks.cnnCritic(new ImageShape(1, 9, 9), 3, 2, 3, true, 1e-3, 5, DataType.FLOAT);
        float[] start = OffHeap.toFloats(critic.params());
        SpectralNorm sn = new SpectralNorm(critic, new float[0], 11);
        assertArrayEquals(start, sn.rawParameters(), "the network's own weights are the raw ones");
        MultiLayerNetwork again = Networks.cnnCritic(new ImageShape(1, 9, 9), 3, 2, 3, true, 1e-3, 5, DataType.FLOAT);
        again.params().assign(Nd4j.createFromArray(sn.rawParameters()));
        float[] u = sn.vectors();
        assertEquals(3 + 6 + 6, u.length, "one vector per weight, of its rows: 3 and 6 output channels, the score's 6 inputs");
        // a worker rebuilt from (raw weights, u) holds what the first holds after one more power iteration (a zero
        // Adam step moves nothing), up to u's rounding to float in the state
        new SpectralNorm(again, u, 999);
        sn.step(critic, Nd4j.zeros(DataType.FLOAT, critic.numParams()), 0, 0, i -> Dl4jOptimizer.INSTANCE.step(critic, i));
        assertArrayEquals(OffHeap.toFloats(critic.params()), OffHeap.toFloats(again.params()), 1e-6f);
        assertTrue(critic.params().sub(Nd4j.createFromArray(start)).norm2Number().doubleValue() > 1e-3,
                "the network holds normalized weights, not the raw ones");
    }
}
