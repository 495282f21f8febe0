package org.wganspark.train.step;

import org.deeplearning4j.nn.gradient.DefaultGradient;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.updater.MultiLayerUpdater;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The step through DL4J's own updater, any updater configuration, any backend. The updater works in place on the
 * gradient view; a Gradient holding that very array is the "standard" case for it.
 */
public final class Dl4jOptimizer implements Optimizer {

    public static final Dl4jOptimizer INSTANCE = new Dl4jOptimizer();

    private Dl4jOptimizer() {
    }

    @Override
    public void step(MultiLayerNetwork net, int iteration) {
        MultiLayerUpdater updater = (MultiLayerUpdater) net.getUpdater();
        INDArray view = updater.getFlattenedGradientsView();
        updater.update(new DefaultGradient(view), iteration, 0, 1, LayerWorkspaceMgr.noWorkspaces());  // batch 1: already a mean
        net.params().subi(view.reshape(net.params().shape()));
    }
}
