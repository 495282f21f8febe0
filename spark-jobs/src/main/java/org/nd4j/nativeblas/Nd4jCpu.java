package org.nd4j.nativeblas;

/**
 * The class through which DL4J 1.0.0-M2.1 asks whether oneDNN may be used ({@code BaseMKLDNNHelper.mklDnnEnabled()}
 * loads {@code org.nd4j.nativeblas.Nd4jCpu$Environment} by name and calls {@code isUseMKLDNN()}). ND4J M2.1 moved its
 * bindings to {@code org.nd4j.linalg.cpu.nativecpu.bindings.Nd4jCpu} and renamed the method, so without this class the
 * lookup fails and DL4J's oneDNN convolution helpers never switch on. Here the answer comes from the loaded native
 * library: true only when it was built with oneDNN and its own oneDNN switch is on. Not part of our API: see
 * {@code org.wganspark.model.Dl4jHelpers}.
 */
public final class Nd4jCpu {

    private Nd4jCpu() {
    }

    public static final class Environment {

        private static final Environment INSTANCE = new Environment();

        private Environment() {
        }

        public static Environment getInstance() {
            return INSTANCE;
        }

        public boolean isUseMKLDNN() {
            return org.wganspark.model.Dl4jHelpers.oneDnnLoaded();
        }
    }
}
