package org.wganspark.ot;

import java.util.function.Supplier;

/**
 * The choice every hot loop with a JDK Vector API version makes: that version when the JVM runs with
 * {@code --add-modules jdk.incubator.vector} (bin/wgan-spark, the Spark configs and the test JVMs pass it), else the
 * plain-Java one (the tests check both give the same values). The vector class is only touched inside
 * {@code vector.get()}, so a JVM without the module never links it.
 */
public final class VectorApi {

    private VectorApi() {
    }

    public static <T> T choose(Supplier<? extends T> vector, T scalar) {
        if (ModuleLayer.boot().findModule("jdk.incubator.vector").isEmpty()) {
            return scalar;
        }
        try {
            return vector.get();
        } catch (LinkageError e) {
            return scalar;
        }
    }
}
