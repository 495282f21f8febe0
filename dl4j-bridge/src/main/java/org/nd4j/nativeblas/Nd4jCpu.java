package org.nd4j.nativeblas;

/**
 * The class through which DL4J 1.0.0-M2.1 asks whether oneDNN may be used ({@code BaseMKLDNNHelper.mklDnnEnabled()}
 * loads {@code org.nd4j.nativeblas.Nd4jCpu$Environment} by name and calls {@code isUseMKLDNN()}). ND4J M2.1 moved its
 * bindings to {@code org.nd4j.linalg.cpu.nativecpu.bindings.Nd4jCpu} and renamed the method, so without this class the
 * lookup fails and DL4J's oneDNN convolution helpers never switch on. The answer comes from the loaded native
 * library: true only when it was built with oneDNN and its own oneDNN switch is on. Not an API: wgan-spark reads the
 * answer through {@code org.wganspark.model.Dl4jHelpers}.
 */
public final class Nd4jCpu {

    private Nd4jCpu() {
    }

    public static final class Environment {

        private static final Environment INSTANCE = new Environment();
        private volatile Boolean oneDnn;

        private Environment() {
        }

        public static Environment getInstance() {
            return INSTANCE;
        }

        /** True when ND4J's native library was built with oneDNN and its oneDNN switch is on; asked once. */
        public boolean isUseMKLDNN() {
            Boolean answer = oneDnn;
            if (answer == null) {
                answer = askNativeLibrary();
                oneDnn = answer;
            }
            return answer;
        }

        private static boolean askNativeLibrary() {
            try {
                // by reflection, like everything here: this module compiles against nothing but the JDK
                Object holder = Class.forName("org.nd4j.nativeblas.NativeOpsHolder").getMethod("getInstance").invoke(null);
                Object ops = holder.getClass().getMethod("getDeviceNativeOps").invoke(holder);
                String build = (String) ops.getClass().getMethod("buildInfo").invoke(ops);
                if (build == null || !build.contains("HAVE_ONEDNN")) {
                    return false;
                }
                // a CUDA build has no nd4j-native on its class path
                Class<?> environment = Class.forName("org.nd4j.linalg.cpu.nativecpu.bindings.Nd4jCpu$Environment");
                Object instance = environment.getMethod("getInstance").invoke(null);
                return (Boolean) environment.getMethod("isUseONEDNN").invoke(instance);
            } catch (ReflectiveOperationException | LinkageError | RuntimeException e) {
                return false;  // another backend (CUDA), or no native library: DL4J's own path
            }
        }
    }
}
