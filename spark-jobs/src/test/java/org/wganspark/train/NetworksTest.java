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
}
