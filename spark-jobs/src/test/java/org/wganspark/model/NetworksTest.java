package org.wganspark.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import java.util.List;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;

class NetworksTest {

    @Test
    void theSameSeedGivesTheSameWeightsAndThePapersShapes() {
        MultiLayerNetwork a = Networks.fcGenerator(8, 32, 2, 784, 1e-4, 5, DataType.FLOAT);
        MultiLayerNetwork b = Networks.fcGenerator(8, 32, 2, 784, 1e-4, 5, DataType.FLOAT);
        MultiLayerNetwork c = Networks.fcGenerator(8, 32, 2, 784, 1e-4, 6, DataType.FLOAT);
        assertEquals(a.params(), b.params());
        assertNotEquals(a.params(), c.params());
        assertEquals(8 * 32 + 32 + 32 * 784 + 784, a.numParams());
        // the paper's Fig. 5 critic: 784 -> 1024 -> 1024 -> 1024 -> 1
        MultiLayerNetwork critic = Networks.fcCritic(784, 1024, 4, 1e-3, 1, DataType.FLOAT);
        assertEquals(784 * 1024 + 1024 + 2 * (1024 * 1024 + 1024) + 1024 + 1, critic.numParams());
        double std = critic.getParam("1_W").stdNumber().doubleValue();
        assertEquals(Math.sqrt(2.0 / 2048), std, 0.01 * std);
    }

    @Test
    void thePapersCnnCriticsOn28PixelImages() {
        org.wganspark.data.ImageShape mnist = new org.wganspark.data.ImageShape(1, 28, 28);
        MultiLayerNetwork gap = Networks.cnnCritic(mnist, 64, 3, 3, true, 1e-3, 1, DataType.FLOAT);
        MultiLayerNetwork flat = Networks.cnnCritic(mnist, 64, 3, 3, false, 1e-3, 1, DataType.FLOAT);
        long convs = (64 * 9 + 64) + (128 * 64 * 9 + 128) + (256 * 128 * 9 + 256);
        assertEquals(convs + 256, gap.numParams(), "28 -> 13 -> 6 -> 2, then the mean over the 2 x 2 grid");
        assertEquals(convs + 256 * 2 * 2, flat.numParams(), "the flattened 2 x 2 x 256 map");
        assertEquals(15, Networks.receptiveField(3, 3));
        assertEquals(22, Networks.receptiveField(3, 4));
        org.nd4j.linalg.api.ndarray.INDArray x = org.nd4j.linalg.factory.Nd4j.rand(DataType.FLOAT, 5, 784);
        assertEquals(5, gap.output(x).rows());
        assertEquals(gap.params(), Networks.cnnCritic(mnist, 64, 3, 3, true, 1e-3, 1, DataType.FLOAT).params(), "seeded");
        double std = gap.getParam("1_W").stdNumber().doubleValue();
        assertEquals(Math.sqrt(2.0 / ((64 + 128) * 9)), std, 0.02 * std);
        org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> Networks.cnnCritic(new org.wganspark.data.ImageShape(1, 8, 8), 8, 3, 3, true, 1e-3, 1, DataType.FLOAT));
    }

    @Test
    void thePapersCnnCriticDoesNotSeeTheLastFiveRowsAndColumnsOf28PixelImages() {
        assertEquals(23, Networks.seenSide(28, 3, 3, 0), "28 -> 13 -> 6 -> 2 covers pixels 0..22");
        assertEquals(63, Networks.seenSide(64, 3, 3, 0), "the paper's 64 px: 64 -> 31 -> 15 -> 7 misses one");
        assertEquals(11, Networks.seenSide(11, 2, 3, 0), "11 -> 5 -> 2: every pixel");
        assertEquals(7, Networks.seenSide(9, 2, 3, 0), "9 -> 4 -> 1 covers 0..6");
        org.wganspark.data.ImageShape mnist = new org.wganspark.data.ImageShape(1, 28, 28);
        assertEquals(28, Networks.seenSide(28, 3, 3, 1), "padding 1: 28 -> 14 -> 7 -> 4 covers every pixel");
        // against the networks themselves: a pixel changes the score exactly when seenSide says it is seen
        for (int padding : new int[] {0, 1}) {
            for (boolean gap : new boolean[] {true, false}) {
                assertSeesExactly(Networks.cnnCritic(mnist, 8, 3, 3, padding, gap, 1e-3, 2, DataType.DOUBLE), padding == 0 ? 23 : 28);
            }
        }
    }

    /** A pixel changes the score exactly when it lies in the leading seen x seen square. */
    private static void assertSeesExactly(MultiLayerNetwork critic, int seen) {
        org.nd4j.linalg.api.ndarray.INDArray x = org.nd4j.linalg.factory.Nd4j.rand(DataType.DOUBLE, 1, 784).muli(2).subi(1);
        double base = critic.output(x).getDouble(0);
        for (int r = 0; r < 28; r++) {
            for (int c = 0; c < 28; c++) {
                org.nd4j.linalg.api.ndarray.INDArray moved = x.dup();
                moved.putScalar(0, r * 28 + c, x.getDouble(0, r * 28 + c) + 3);
                boolean changes = critic.output(moved).getDouble(0) != base;
                assertEquals(r < seen && c < seen, changes, "pixel (" + r + ", " + c + ")");
            }
        }
    }

    @Test
    void thePapersDcganNetworks() {
        org.wganspark.data.ImageShape mnist = new org.wganspark.data.ImageShape(1, 28, 28);
        MultiLayerNetwork g = Networks.dcganGenerator(64, mnist, 16, Networks.adam(1e-4), 3, DataType.FLOAT);
        // z -> 7 x 7 x 32 (k 7) -> 14 x 14 x 16 -> 28 x 28 x 1 (k 4 s 2 p 1), biases on
        assertEquals((64 * 32 * 49 + 32) + (32 * 16 * 16 + 16) + (16 * 16 + 1), g.numParams());
        org.nd4j.linalg.api.ndarray.INDArray z = org.nd4j.linalg.factory.Nd4j.randn(DataType.FLOAT, 5, 64);
        org.nd4j.linalg.api.ndarray.INDArray images = g.output(z);
        assertEquals(List.of(5L, 784L), List.of(images.shape()[0], images.shape()[1]), "flat image rows");
        assertEquals(1.0, images.amaxNumber().doubleValue(), 1.0, "tanh");
        // at 64 px the paper's default: 8 nf at 4 x 4, then 4 nf, 2 nf, nf, c
        MultiLayerNetwork g64 = Networks.dcganGenerator(64, new org.wganspark.data.ImageShape(3, 64, 64), 8, Networks.adam(1e-4), 3, DataType.FLOAT);
        assertEquals((64 * 64 * 16 + 64) + (64 * 32 * 16 + 32) + (32 * 16 * 16 + 16) + (16 * 8 * 16 + 8) + (8 * 3 * 16 + 3), g64.numParams());
        assertEquals(64 * 64 * 3, g64.output(org.nd4j.linalg.factory.Nd4j.randn(DataType.FLOAT, 2, 64)).columns());

        MultiLayerNetwork d = Networks.dcganCritic(mnist, 8, 1e-3, 1, DataType.FLOAT);
        assertEquals(3, Networks.dcganCriticDepth(mnist), "28 -> 14 -> 7 -> 3");
        assertEquals((8 * 16 + 8) + (16 * 8 * 16 + 16) + (32 * 16 * 16 + 32) + (32 * 3 * 3 + 1), d.numParams());
        assertEquals(4, Networks.dcganCriticDepth(new org.wganspark.data.ImageShape(3, 64, 64)), "the paper's 64 -> 4");
        assertEquals(46, Networks.receptiveField(4, 4));
        assertEquals(5, d.output(images).rows());
        org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> Networks.dcganGenerator(8, new org.wganspark.data.ImageShape(1, 9, 9), 8, Networks.adam(1e-4), 1, DataType.FLOAT));
    }

    /**
     * PyTorch's default initialization: every weight and bias uniform in +-1/sqrt(fan in), with fan in = input channels
     * x kernel pixels for a convolution, output channels x kernel pixels for a transposed one (PyTorch's convention),
     * the input width for a dense layer; the std of a uniform draw is its bound / sqrt 3. Same seed, same draw.
     */
    @Test
    void torchInitializationDrawsWhatPyTorchDrawsByDefault() {
        org.wganspark.data.ImageShape mnist = new org.wganspark.data.ImageShape(1, 28, 28);
        MultiLayerNetwork cnn = Networks.cnnCritic(mnist, 64, 3, 3, true, 1e-3, 1, DataType.FLOAT);
        Networks.initialize(cnn, Networks.Init.TORCH, 3);
        assertUniform(cnn.getParam("1_W"), 64 * 9);   // Conv2d(64, 128, 3): fan in 576
        assertUniform(cnn.getParam("1_b"), 64 * 9);
        assertUniform(cnn.getParam("4_W"), 256);      // Linear(256, 1, bias=False) after the pooling layer
        MultiLayerNetwork generator = Networks.dcganGenerator(16, mnist, 32, Networks.adam(1e-4), 1, DataType.FLOAT);
        Networks.initialize(generator, Networks.Init.TORCH, 3);
        assertUniform(generator.getParam("1_W"), 32 * 16);  // ConvTranspose2d(64, 32, 4): fan in = 32 x 16
        MultiLayerNetwork fc = Networks.fcCritic(784, 1024, 4, 1e-3, 1, DataType.FLOAT);
        Networks.initialize(fc, Networks.Init.TORCH, 3);
        assertUniform(fc.getParam("0_W"), 784);
        assertUniform(fc.getParam("2_b"), 1024);
        MultiLayerNetwork again = Networks.fcCritic(784, 1024, 4, 1e-3, 1, DataType.FLOAT);
        Networks.initialize(again, Networks.Init.TORCH, 3);
        assertEquals(fc.params(), again.params());
        Networks.initialize(again, Networks.Init.XAVIER, 1);
        assertEquals(Networks.fcCritic(784, 1024, 4, 1e-3, 1, DataType.FLOAT).params(), again.params());
    }

    private static void assertUniform(org.nd4j.linalg.api.ndarray.INDArray values, double fanIn) {
        double bound = 1 / Math.sqrt(fanIn);
        double largest = values.amaxNumber().doubleValue();
        org.junit.jupiter.api.Assertions.assertTrue(largest <= bound && largest > 0.9 * bound, "largest " + largest + ", bound " + bound);
        if (values.length() >= 1000) {
            double std = values.stdNumber().doubleValue();
            assertEquals(bound / Math.sqrt(3), std, 0.05 * std);
        }
    }
}
