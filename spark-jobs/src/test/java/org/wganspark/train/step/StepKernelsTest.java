package org.wganspark.train.step;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.wganspark.data.ImageShape;
import org.wganspark.model.Networks;
import org.wganspark.model.Prior;
import org.wganspark.train.local.LocalTrainer;
import org.wganspark.train.step.cpu.ConvCriticStep;
import org.wganspark.train.step.cpu.FcCriticStep;
import org.wganspark.train.step.cpu.FusedAdam;

/**
 * kernels = auto and kernels = portable train every critic to the same numbers, up to float rounding: the hand-written
 * CPU steps compute DL4J's mathematics in another order. Each pair of runs starts from the same networks and seed.
 */
class StepKernelsTest {

    private static final ImageShape SHAPE = new ImageShape(1, 28, 28);

    /**
     * The critics of the configs, small. The CNN+GAP critic is padded so that some score sees every pixel: a pixel none
     * sees has a zero gradient in exact arithmetic, and Adam, which normalizes each step, turns either path's rounding
     * residue there into a whole step of its own.
     */
    private static MultiLayerNetwork critic(String kind, long seed) {
        return switch (kind) {
            case "fc" -> Networks.fcCritic(SHAPE.size(), 32, 3, 1e-3, seed, DataType.FLOAT);
            case "cnn-gap" -> Networks.cnnCritic(SHAPE, 4, 3, 3, 1, true, 1e-3, seed, DataType.FLOAT);
            case "cnn-flatten" -> Networks.cnnCritic(SHAPE, 4, 3, 3, false, 1e-3, seed, DataType.FLOAT);
            case "dcgan" -> Networks.dcganCritic(SHAPE, 4, 1e-3, seed, DataType.FLOAT);
            default -> throw new IllegalArgumentException(kind);
        };
    }

    private static INDArray data(long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        float[] v = new float[64 * SHAPE.size()];
        for (int k = 0; k < v.length; k++) {
            v[k] = (float) (r.nextDouble() * 2 - 1);
        }
        return Nd4j.create(v, new long[] {64, SHAPE.size()}, 'c');
    }

    /** The trained networks' parameters after {@code steps} critic steps (a generator step every 2) on {@code kernels}. */
    private static INDArray[] train(String kind, boolean spectralNorm, Kernels kernels, int steps) {
        MultiLayerNetwork g = StepKernels.prepared(Networks.fcGenerator(8, 32, 2, SHAPE.size(), 1e-3, 11, DataType.FLOAT), kernels);
        MultiLayerNetwork c = StepKernels.prepared(critic(kind, 12), kernels);
        LocalTrainer.Options options = new LocalTrainer.Options(10, 0, 2, 16, 16, true, 1e-2).withSpectralNorm(spectralNorm).withKernels(kernels);
        LocalTrainer trainer = new LocalTrainer(g, c, Prior.parse("const=16", 8, 13), options, 14);
        INDArray data = data(15);
        for (int s = 0; s < steps; s++) {
            trainer.step(data);
        }
        return new INDArray[] {g.params().dup(), c.params().dup(), Nd4j.scalar(trainer.lastCriticLoss())};
    }

    @ParameterizedTest
    @CsvSource({"fc, false", "fc, true", "cnn-gap, false", "cnn-gap, true", "cnn-flatten, false", "cnn-flatten, true", "dcgan, false",
        "dcgan, true"})
    void everyCriticTrainsToTheSameNumbersOnBothKernels(String kind, boolean spectralNorm) {
        INDArray[] auto = train(kind, spectralNorm, Kernels.AUTO, 6);
        INDArray[] portable = train(kind, spectralNorm, Kernels.PORTABLE, 6);
        INDArray[] start = train(kind, spectralNorm, Kernels.PORTABLE, 0);
        for (int k = 0; k < 2; k++) {
            double moved = portable[k].sub(start[k]).norm2Number().doubleValue();
            double apart = auto[k].sub(portable[k]).norm2Number().doubleValue();
            assertTrue(moved > 0, (k == 0 ? "generator" : "critic") + " did not move");
            // Adam normalizes each step, so rounding differences of the gradients show at their own relative size
            assertTrue(apart <= 1e-3 * moved, kind + (spectralNorm ? "+SN " : " ") + (k == 0 ? "generator" : "critic") + ": kernels apart by "
                    + apart + " after moving " + moved);
        }
        assertEquals(portable[2].getDouble(0), auto[2].getDouble(0), 1e-4 * Math.max(1, Math.abs(portable[2].getDouble(0))));
    }

    @ParameterizedTest
    @CsvSource({"fc", "cnn-gap", "cnn-flatten", "dcgan"})
    void autoPicksTheHandWrittenStepsAndPortableDl4js(String kind) {
        MultiLayerNetwork c = critic(kind, 3);
        CriticStep.Loss wgan = new CriticStep.Loss(false, 10, 1e-2);
        CriticStep auto = StepKernels.critic(c, wgan, Kernels.AUTO);
        assertTrue(kind.equals("fc") ? auto instanceof FcCriticStep : auto instanceof ConvCriticStep, auto.getClass().getName());
        assertInstanceOf(PortableCriticStep.class, StepKernels.critic(c, wgan, Kernels.PORTABLE));
        assertInstanceOf(PortableCriticStep.class, StepKernels.critic(c, new CriticStep.Loss(true, 10, 1e-2), Kernels.AUTO),
                "the hand-written steps take the WGAN loss only");
        assertInstanceOf(FusedAdam.class, StepKernels.optimizer(c, Kernels.AUTO));
        assertInstanceOf(Dl4jOptimizer.class, StepKernels.optimizer(c, Kernels.PORTABLE));
    }
}
