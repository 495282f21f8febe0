package org.wganspark.train.step;

import java.util.Optional;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.wganspark.model.OffHeap;
import org.wganspark.train.step.cpu.ConvCriticStep;
import org.wganspark.train.step.cpu.FcCriticStep;
import org.wganspark.train.step.cpu.FusedAdam;
import org.wganspark.train.step.cpu.GemmConvolution;
import org.wganspark.train.step.cpu.KernelWarmup;

/**
 * The one place that picks what runs a training step. Under {@link Kernels#AUTO}, on ND4J's CPU backend: the
 * hand-written critic steps for the critics they know (a dense chain: {@link FcCriticStep}; convolutions then pooling
 * or a flatten: {@link ConvCriticStep}; the WGAN loss only), Adam in one pass ({@link FusedAdam}), our convolution
 * helper in the networks' convolution layers ({@link GemmConvolution}). Everything else, and everything under
 * {@link Kernels#PORTABLE}, goes through DL4J's layers and updater ({@link PortableCriticStep}, {@link Dl4jOptimizer}).
 * Both compute the same mathematics; tests check that they agree to float rounding.
 */
public final class StepKernels {

    private StepKernels() {
    }

    /** The step of {@code critic} for {@code loss}. */
    public static CriticStep critic(MultiLayerNetwork critic, CriticStep.Loss loss, Kernels kernels) {
        if (handWritten(kernels) && !loss.nonSaturating()) {
            Optional<FcCriticStep> fc = FcCriticStep.forCritic(critic, loss.penalty());
            if (fc.isPresent()) {
                return fc.get();
            }
            Optional<ConvCriticStep> conv = ConvCriticStep.forCritic(critic, loss.penalty());
            if (conv.isPresent()) {
                return conv.get();
            }
        }
        return new PortableCriticStep(critic, loss, net -> prepared(net, kernels));
    }

    /** The optimizer step of {@code net}. */
    public static Optimizer optimizer(MultiLayerNetwork net, Kernels kernels) {
        if (handWritten(kernels)) {
            Optional<Optimizer> fused = FusedAdam.forNetwork(net);
            if (fused.isPresent()) {
                return fused.get();
            }
        }
        return Dl4jOptimizer.INSTANCE;
    }

    /** {@code net} with our convolution helper in its convolution layers under AUTO on the CPU backend; returns it. */
    public static MultiLayerNetwork prepared(MultiLayerNetwork net, Kernels kernels) {
        if (handWritten(kernels)) {
            GemmConvolution.install(net);
        }
        return net;
    }

    /**
     * Compiles the hand-written steps' Vector API loops on a second thread while a worker caches its data (null under
     * PORTABLE, where there are none); join the thread before timing a step.
     */
    public static Thread warmUp(Kernels kernels) {
        return handWritten(kernels) ? KernelWarmup.start() : null;
    }

    private static boolean handWritten(Kernels kernels) {
        return kernels == Kernels.AUTO && OffHeap.HOST_MEMORY;
    }
}
