package org.wganspark.train.step.cpu;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/** {@link AdamKernel} on the JDK Vector API: the widest float lanes the CPU has, the same formula lane by lane. */
final class VectorAdamKernel extends AdamKernel {

    private static final VectorSpecies<Float> LANES = FloatVector.SPECIES_PREFERRED;
    private static final ByteOrder ORDER = ByteOrder.nativeOrder();

    @Override
    void step(ByteBuffer g, int gBase, ByteBuffer w, int wBase, ByteBuffer m, int mBase, ByteBuffer v, int vBase, int size, float beta1,
              float beta2, float epsilon, float alpha) {
        int vectorEnd = LANES.loopBound(size);
        float oneMinusBeta1 = 1 - beta1;
        float oneMinusBeta2 = 1 - beta2;
        for (int k = 0; k < vectorEnd; k += LANES.length()) {
            FloatVector gk = FloatVector.fromByteBuffer(LANES, g, (gBase + k) << 2, ORDER);
            FloatVector mk = FloatVector.fromByteBuffer(LANES, m, (mBase + k) << 2, ORDER).mul(beta1).add(gk.mul(oneMinusBeta1));
            FloatVector vk = FloatVector.fromByteBuffer(LANES, v, (vBase + k) << 2, ORDER).mul(beta2).add(gk.mul(gk).mul(oneMinusBeta2));
            FloatVector update = mk.mul(alpha).div(vk.sqrt().add(epsilon));
            mk.intoByteBuffer(m, (mBase + k) << 2, ORDER);
            vk.intoByteBuffer(v, (vBase + k) << 2, ORDER);
            update.intoByteBuffer(g, (gBase + k) << 2, ORDER);
            FloatVector.fromByteBuffer(LANES, w, (wBase + k) << 2, ORDER).sub(update).intoByteBuffer(w, (wBase + k) << 2, ORDER);
        }
        scalar(g, gBase, w, wBase, m, mBase, v, vBase, vectorEnd, size, beta1, beta2, epsilon, alpha);
    }
}
