package org.wganspark.train.step.cpu;

import java.nio.ByteBuffer;

/**
 * The inner loop of {@link FusedAdam} over one updater block, on the native buffers of the gradient, the parameters
 * and the two moments (float, native byte order, offsets in floats). {@link #BEST} is the Vector API loop when the
 * JVM runs with {@code --add-modules jdk.incubator.vector} (bin/wgan-spark, the Spark configs and the test JVMs pass
 * it), else the plain-Java one. Both round the same operations in the same order (no fused multiply-add; square
 * root and division correctly rounded), so they agree bit for bit (AdamKernelTest). Adam touches every parameter
 * four times a step with little arithmetic, so the loop is bound by memory and SIMD lanes pay off.
 */
abstract class AdamKernel {

    static final AdamKernel SCALAR = new AdamKernel() {
        @Override
        void step(ByteBuffer g, int gBase, ByteBuffer w, int wBase, ByteBuffer m, int mBase, ByteBuffer v, int vBase, int size, float beta1,
                  float beta2, float epsilon, float alpha) {
            scalar(g, gBase, w, wBase, m, mBase, v, vBase, 0, size, beta1, beta2, epsilon, alpha);
        }
    };
    static final AdamKernel BEST = choose();

    private static AdamKernel choose() {
        return org.wganspark.ot.VectorApi.choose(() -> new VectorAdamKernel(), SCALAR);
    }

    /**
     * For k < size: m = beta1 m + (1 - beta1) g, v = beta2 v + (1 - beta2) g^2, update = alpha m / (sqrt(v) + epsilon),
     * w -= update, and the update left in g.
     */
    abstract void step(ByteBuffer g, int gBase, ByteBuffer w, int wBase, ByteBuffer m, int mBase, ByteBuffer v, int vBase, int size,
                       float beta1, float beta2, float epsilon, float alpha);

    /** Entries [from, to) of {@link #step} in plain Java (the whole block, or a vector loop's tail). */
    static void scalar(ByteBuffer g, int gBase, ByteBuffer w, int wBase, ByteBuffer m, int mBase, ByteBuffer v, int vBase, int from, int to,
                       float beta1, float beta2, float epsilon, float alpha) {
        for (int k = from; k < to; k++) {
            float gk = g.getFloat((gBase + k) << 2);
            float mk = beta1 * m.getFloat((mBase + k) << 2) + gk * (1 - beta1);
            float vk = beta2 * v.getFloat((vBase + k) << 2) + gk * gk * (1 - beta2);
            float update = mk * alpha / ((float) Math.sqrt(vk) + epsilon);
            m.putFloat((mBase + k) << 2, mk);
            v.putFloat((vBase + k) << 2, vk);
            g.putFloat((gBase + k) << 2, update);
            w.putFloat((wBase + k) << 2, w.getFloat((wBase + k) << 2) - update);
        }
    }
}
