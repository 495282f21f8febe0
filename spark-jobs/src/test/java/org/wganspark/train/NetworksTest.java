package org.wganspark.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;

class NetworksTest {

    @Test
    void theSameSeedGivesTheSameWeightsAndTheAnchorsShapes() {
        MultiLayerNetwork a = Networks.fcGenerator(8, 32, 2, 784, 1e-4, 5, DataType.FLOAT);
        MultiLayerNetwork b = Networks.fcGenerator(8, 32, 2, 784, 1e-4, 5, DataType.FLOAT);
        MultiLayerNetwork c = Networks.fcGenerator(8, 32, 2, 784, 1e-4, 6, DataType.FLOAT);
        assertEquals(a.params(), b.params());
        assertNotEquals(a.params(), c.params());
        assertEquals(8 * 32 + 32 + 32 * 784 + 784, a.numParams());
        // the anchor's Fig. 5 critic: 784 -> 1024 -> 1024 -> 1024 -> 1
        MultiLayerNetwork critic = Networks.fcCritic(784, 1024, 4, 1e-3, 1, DataType.FLOAT);
        assertEquals(784 * 1024 + 1024 + 2 * (1024 * 1024 + 1024) + 1024 + 1, critic.numParams());
        double std = critic.getParam("1_W").stdNumber().doubleValue();
        assertEquals(Math.sqrt(2.0 / 2048), std, 0.01 * std);
    }

    @Test
    void theAnchorsCnnCriticsOn28PixelImages() {
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
}
