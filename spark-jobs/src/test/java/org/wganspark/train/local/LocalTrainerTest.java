package org.wganspark.train.local;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.wganspark.model.Networks;
import org.wganspark.model.Prior;
import org.wganspark.ot.Weights;
import org.wganspark.ot.cost.Metric;
import org.wganspark.ot.cost.PairwiseCost;
import org.wganspark.ot.cost.PointSet;
import org.wganspark.ot.exact.ExactOptions;
import org.wganspark.ot.exact.NetworkSimplex;
import org.wganspark.train.objective.CriticGradients;
import org.wganspark.train.step.Kernels;

public class LocalTrainerTest {

    /** 64 points: 8 Gaussians (std 0.03) on a ring of radius 0.7, inside the generator's Tanh range. */
    public static INDArray ring(long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        float[] v = new float[64 * 2];
        for (int i = 0; i < 64; i++) {
            double angle = 2 * Math.PI * (i % 8) / 8;
            v[2 * i] = (float) (0.7 * Math.cos(angle) + 0.03 * r.nextGaussian());
            v[2 * i + 1] = (float) (0.7 * Math.sin(angle) + 0.03 * r.nextGaussian());
        }
        return Nd4j.create(v, new long[] {64, 2}, 'c');
    }

    public static double w1(INDArray generated, INDArray data) {
        PointSet g = new PointSet(generated.castTo(DataType.FLOAT).dup('c').data().asFloat(), (int) generated.rows(), 2);
        PointSet d = new PointSet(data.castTo(DataType.FLOAT).dup('c').data().asFloat(), (int) data.rows(), 2);
        return NetworkSimplex.solve(Weights.uniform(g.n()), Weights.uniform(d.n()), new PairwiseCost(g, d, Metric.EUCLIDEAN).dense(),
                ExactOptions.defaults()).cost();
    }

    /** The paper's discrete WGAN-GP recipe at small scale: lrG 1e-4, lrD 1e-3, GP 10, a G step every 5 D steps. */
    public static LocalTrainer trainer(long seed) {
        Prior prior = Prior.parse("const=16", 4, seed);
        MultiLayerNetwork g = Networks.fcGenerator(4, 64, 3, 2, 1e-4, seed, DataType.FLOAT);
        MultiLayerNetwork d = Networks.fcCritic(2, 64, 3, 1e-3, seed + 1, DataType.FLOAT);
        return new LocalTrainer(g, d, prior, new LocalTrainer.Options(10, 0, 5, 64, 16, false, 1e-2), seed);
    }

    @Test
    void theFakeBatchIsRecomputedExactlyWhenItsLatentsOrTheGeneratorChange() {
        Prior prior = Prior.parse("const=16", 4, 5);
        MultiLayerNetwork g = Networks.fcGenerator(4, 32, 3, 2, 1e-4, 5, DataType.FLOAT);
        MultiLayerNetwork d = Networks.fcCritic(2, 32, 3, 1e-3, 6, DataType.FLOAT);
        LocalTrainer t = new LocalTrainer(g, d, prior, new LocalTrainer.Options(10, 0, 5, 16, 16, false, 1e-2), 5);
        INDArray z = prior.all(DataType.FLOAT);
        INDArray first = t.fakes(z);
        assertEquals(g.output(z, false), first);
        assertTrue(first == t.fakes(z.dup()), "the same latents and parameters: the same array");
        g.params().getScalar(7).addi(1e-3f);  // a change from outside the trainer (an averaged or resumed state)
        INDArray moved = t.fakes(z);
        assertTrue(moved != first);
        assertEquals(g.output(z, false), moved);
        assertTrue(!moved.equals(first));
        INDArray other = z.dup();
        other.putScalar(0, 0, other.getFloat(0, 0) + 0.5f);
        assertEquals(g.output(other, false), t.fakes(other));
        assertTrue(!t.fakes(other).equals(moved));
    }

    @Test
    void aDiscreteWganGpMovesItsSixteenPointsOntoTheRing() {
        INDArray data = ring(3);
        LocalTrainer t = trainer(11);
        double before = w1(t.generatedSet(), data);
        for (int s = 0; s < 600; s++) {
            t.step(data);
        }
        double after = w1(t.generatedSet(), data);
        assertEquals(120, t.generatorSteps());
        assertTrue(Double.isFinite(t.lastCriticLoss()) && Double.isFinite(t.lastGeneratorLoss()));
        // measured (seeds 11 and 12): 0.48 -> 0.29 at 500-750 steps, then back up to 0.45-0.50 by 2000 steps;
        // the check stops before that drift (recorded in the issue notes)
        assertTrue(after < 0.7 * before, "exact W1 " + before + " -> " + after);
    }

    @Test
    void theCriticAloneLearnsTheKantorovichGap() {
        // fixed fake set: the trained critic's mean f(real) - mean f(fake) approaches W1 (measured 0.532 vs 0.528)
        INDArray data = ring(3);
        INDArray fake = ring(5).muli(0.3).addi(0.2);
        double w1 = w1(fake, data);
        MultiLayerNetwork d = Networks.fcCritic(2, 64, 3, 1e-3, 12, DataType.FLOAT);
        for (int s = 0; s < 500; s++) {
            INDArray alpha = Nd4j.valueArrayOf(new long[] {64, 1}, (s * 0.618) % 1.0, DataType.FLOAT);
            LocalTrainer.apply(d, CriticGradients.wganGp(d, data, fake, alpha, 10, 1e-2)[0], s, Kernels.AUTO);
        }
        double gap = CriticGradients.scores(d, data).meanNumber().doubleValue() - CriticGradients.scores(d, fake).meanNumber().doubleValue();
        assertEquals(w1, gap, 0.1 * w1);
    }

    @Test
    void theSameSeedGivesTheSameTrajectory() {
        INDArray data = ring(4);
        LocalTrainer a = trainer(21);
        LocalTrainer b = trainer(21);
        for (int s = 0; s < 40; s++) {
            a.step(data);
            b.step(data);
        }
        assertArrayEquals(a.generatedSet().data().asFloat(), b.generatedSet().data().asFloat(), 0f);
        LocalTrainer c = trainer(22);
        for (int s = 0; s < 40; s++) {
            c.step(data);
        }
        assertTrue(w1(a.generatedSet(), c.generatedSet()) > 0);
    }
}
