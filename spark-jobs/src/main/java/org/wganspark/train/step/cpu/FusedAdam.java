package org.wganspark.train.step.cpu;

import java.nio.ByteBuffer;
import java.util.List;
import java.util.Optional;
import org.deeplearning4j.nn.api.Trainable;
import org.deeplearning4j.nn.conf.GradientNormalization;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.updater.MultiLayerUpdater;
import org.deeplearning4j.nn.updater.UpdaterBlock;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.learning.AdamUpdater;
import org.nd4j.linalg.learning.config.Adam;
import org.wganspark.model.OffHeap;
import org.wganspark.train.step.Dl4jOptimizer;
import org.wganspark.train.step.Optimizer;

/**
 * DL4J's Adam step for a float network in one pass over memory: for each parameter the moments, the update and the
 * parameter itself, where DL4J's updater plus the parameter subtraction pass over the 3 M entries of the Fig. 5
 * critic five times (a scalar division by the batch size of 1, the moments and update, the subtraction). Same
 * formula as libnd4j's adam_updater (Kingma & Ba 2015 with the bias correction folded into the step size), the same
 * state arrays (the updater's M and V views, which checkpoints and parameter averaging carry), the update left in
 * the gradient view as DL4J leaves it. The loop itself is {@link AdamKernel} (Vector API lanes where the JVM has them).
 * Only for float networks in host memory whose every updater block is Adam with no regularization and no gradient
 * normalization ({@link #forNetwork}).
 */
public final class FusedAdam implements Optimizer {

    private static final FusedAdam INSTANCE = new FusedAdam();

    private FusedAdam() {
    }

    /** This optimizer for {@code net} when its updater configuration is one it runs; empty otherwise (DL4J's updater then). */
    public static Optional<Optimizer> forNetwork(MultiLayerNetwork net) {
        return applicable(net) ? Optional.of(INSTANCE) : Optional.empty();
    }

    /** One Adam step of {@code net} from the gradient in its gradient view, as DL4J's updater would take it. */
    @Override
    public void step(MultiLayerNetwork net, int iteration) {
        if (!tryStep(net, iteration)) {
            Dl4jOptimizer.INSTANCE.step(net, iteration);  // the arrays no longer have the layout this loop needs
        }
    }

    private static boolean applicable(MultiLayerNetwork net) {
        return OffHeap.HOST_MEMORY && net.params().dataType() == DataType.FLOAT && net.getUpdater() instanceof MultiLayerUpdater
                && ((MultiLayerUpdater) net.getUpdater()).getUpdaterBlocks().stream().allMatch(b -> b.getGradientUpdater() instanceof AdamUpdater);
    }

    /** One Adam step of {@code net} from the gradient in its gradient view; false (and nothing done) when not applicable. */
    static boolean tryStep(MultiLayerNetwork net, int iteration) {
        if (!OffHeap.HOST_MEMORY || net.params().dataType() != DataType.FLOAT) {
            return false;
        }
        MultiLayerUpdater updater = (MultiLayerUpdater) net.getUpdater();
        INDArray gradient = updater.getFlattenedGradientsView();
        INDArray params = net.params();
        if (gradient == null || !contiguous(gradient) || !contiguous(params) || gradient.length() != params.length()) {
            return false;
        }
        List<UpdaterBlock> blocks = updater.getUpdaterBlocks();
        for (UpdaterBlock block : blocks) {
            if (!(block.getGradientUpdater() instanceof AdamUpdater adam) || !contiguous(adam.getM()) || !contiguous(adam.getV())
                    || adam.getM().length() != block.getParamOffsetEnd() - block.getParamOffsetStart()) {
                return false;
            }
            for (UpdaterBlock.ParamState p : block.getLayersAndVariablesInBlock()) {
                Trainable layer = p.getLayer();
                List<?> regularization = layer.getConfig().getRegularizationByParam(p.getParamName());
                GradientNormalization normalization = layer.getConfig().getGradientNormalization();
                if ((regularization != null && !regularization.isEmpty())
                        || (normalization != null && normalization != GradientNormalization.None)) {
                    return false;
                }
            }
        }
        ByteBuffer g = OffHeap.bytes(gradient);
        ByteBuffer w = OffHeap.bytes(params);
        long gradientOffset = gradient.offset();
        long paramOffset = params.offset();
        for (UpdaterBlock block : blocks) {
            AdamUpdater adam = (AdamUpdater) block.getGradientUpdater();
            Adam config = adam.getConfig();
            float beta1 = (float) config.getBeta1();
            float beta2 = (float) config.getBeta2();
            float epsilon = (float) config.getEpsilon();
            double stepSize = config.getLearningRate(iteration, 0) * Math.sqrt(1 - Math.pow(beta2, iteration + 1))
                    / (1 - Math.pow(beta1, iteration + 1));
            float alpha = Double.isFinite(stepSize) && stepSize != 0 ? (float) stepSize : epsilon;
            AdamKernel.BEST.step(g, (int) (gradientOffset + block.getParamOffsetStart()), w, (int) (paramOffset + block.getParamOffsetStart()),
                    OffHeap.bytes(adam.getM()), (int) adam.getM().offset(), OffHeap.bytes(adam.getV()), (int) adam.getV().offset(),
                    block.getParamOffsetEnd() - block.getParamOffsetStart(), beta1, beta2, epsilon, alpha);
        }
        return true;
    }

    private static boolean contiguous(INDArray a) {
        return a != null && a.dataType() == DataType.FLOAT && (a.length() <= 1 || a.elementWiseStride() == 1) && (a.offset() + a.length()) * Float.BYTES <= Integer.MAX_VALUE;
    }
}
