package org.wganspark.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.deeplearning4j.nn.layers.convolution.ConvolutionLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.wganspark.data.ImageShape;
import org.wganspark.train.objective.CriticGradients;

class Dl4jHelpersTest {

    private static final ImageShape FASHION = new ImageShape(1, 28, 28);

    @Test
    void theDefaultBuildHasOneDnnAndTheCriticsConvolutionsUseIt() {
        assertTrue(Dl4jHelpers.oneDnnLoaded(), "the default ND4J build (classifier linux-x86_64-onednn) should carry oneDNN");
        MultiLayerNetwork critic = Networks.cnnCritic(FASHION, 8, 3, 3, true, 1e-3, 5, DataType.FLOAT);
        critic.output(Nd4j.rand(DataType.FLOAT, 2, 784));
        for (int l = 0; l < 3; l++) {
            Object helper = ((ConvolutionLayer) critic.getLayer(l)).getHelper();
            assertNotNull(helper, "convolution " + l + " has no oneDNN helper");
            assertTrue(helper.getClass().getSimpleName().startsWith("MKLDNN"), "convolution " + l + " has " + helper.getClass());
        }
    }

    @Test
    void oneDnnGivesTheCriticScoresAndGradientsOfDl4jsOwnPath() {
        // networks as built, without the CPU kernels' convolution helper (its own test compares it with DL4J's path)
        MultiLayerNetwork own = with(Dl4jHelpers.DISABLE_PROPERTY, "true", () -> Networks.cnnCritic(FASHION, 16, 3, 3, true, 1e-3, 6, DataType.FLOAT));
        MultiLayerNetwork oneDnn = Networks.cnnCritic(FASHION, 16, 3, 3, true, 1e-3, 6, DataType.FLOAT);
        INDArray x = Nd4j.rand(DataType.FLOAT, 32, 784).muli(2).subi(1);
        INDArray errors = Nd4j.rand(DataType.FLOAT, 32, 1).subi(0.5);
        INDArray[] a = CriticGradients.backprop(own, x, errors);
        assertNull(((ConvolutionLayer) own.getLayer(0)).getHelper());
        INDArray[] b = CriticGradients.backprop(oneDnn, x, errors);
        assertTrue(((ConvolutionLayer) oneDnn.getLayer(0)).getHelper().getClass().getSimpleName().startsWith("MKLDNN"));
        String[] what = {"parameter gradient", "input gradient", "scores"};
        for (int k = 0; k < 3; k++) {
            double scale = a[k].norm2Number().doubleValue();
            double difference = a[k].sub(b[k]).norm2Number().doubleValue();
            assertTrue(scale > 0, what[k] + " is zero");
            // float arithmetic in another order: about 1e-7 relative; a wrong layout or stride would be O(1)
            assertTrue(difference <= 1e-5 * scale, what[k] + ": |oneDNN - DL4J| = " + difference + " against |DL4J| = " + scale);
        }
        assertEquals(own.params(), oneDnn.params(), "the same seed draws the same critic on both paths");
    }

    private static MultiLayerNetwork with(String property, String value, java.util.function.Supplier<MultiLayerNetwork> build) {
        String before = System.getProperty(property);
        System.setProperty(property, value);
        try {
            return build.get();
        } finally {
            if (before == null) {
                System.clearProperty(property);
            } else {
                System.setProperty(property, before);
            }
        }
    }
}
