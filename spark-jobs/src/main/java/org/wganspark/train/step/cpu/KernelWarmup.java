package org.wganspark.train.step.cpu;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * Gets the training step's Vector API loops ({@link AdamKernel}, {@link LayerKernel}) compiled before training
 * starts. Until C2 compiles them the JVM runs the Vector API's Java fallback, which allocates on every operation; in
 * a Spark JVM, whose own code fills C2's queue, the first seconds of training would run that way. A few thousand calls on small buffers make
 * the loops hot at once; run on a second thread while the shard is being cached, they cost the run nothing.
 * The loops give the same bits compiled or not: this only moves time.
 */
public final class KernelWarmup {

    private static final int FLOATS = 512;
    private static final int CALLS = 6000;
    private static Thread started;

    private KernelWarmup() {
    }

    /** Starts the warm-up once per JVM; returns its thread (join it to wait). */
    public static synchronized Thread start() {
        if (started == null) {
            started = new Thread(KernelWarmup::run, "wgan-kernel-warmup");
            started.setDaemon(true);
            started.start();
        }
        return started;
    }

    private static void run() {
        ByteBuffer g = buffer(0.01f);
        ByteBuffer w = buffer(0.5f);
        ByteBuffer m = buffer(0f);
        ByteBuffer v = buffer(0f);
        ByteBuffer slopes = buffer(1f);
        float[] c = new float[FLOATS / 4];
        java.util.Arrays.fill(c, 0.999f);
        for (int call = 0; call < CALLS; call++) {
            AdamKernel.BEST.step(g, 0, w, 0, m, 0, v, 0, FLOATS, 0.5f, 0.9f, 1e-8f, 1e-4f);
            LayerKernel.BEST.biasAndSlope(w, slopes, 0, FLOATS, 1e-3f, 0.2f);
            LayerKernel.BEST.multiply(g, slopes, 0, FLOATS);
            LayerKernel.BEST.scale(m, call % 4 * c.length, c);
        }
    }

    private static ByteBuffer buffer(float value) {
        ByteBuffer b = ByteBuffer.allocateDirect(FLOATS * Float.BYTES).order(ByteOrder.nativeOrder());
        for (int k = 0; k < FLOATS; k++) {
            b.putFloat(k << 2, value);
        }
        return b;
    }
}
