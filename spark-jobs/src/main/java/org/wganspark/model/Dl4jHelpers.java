package org.wganspark.model;

/**
 * DL4J's oneDNN layer helpers (convolutions through the native library's oneDNN build instead of DL4J's im2col and
 * matrix products, several times faster on the CNN critics). DL4J 1.0.0-M2.1 ships them switched off twice over: the system property
 * {@code org.eclipse.deeplearning4j.helpers.disable} defaults to true, and its availability check looks for a class
 * that its ND4J no longer has (supplied by the dl4j-bridge module). {@link #enable()} turns the first
 * switch, unless DL4J's own property is set. Helpers are chosen when a layer is built, so this runs before any network
 * is ({@link Networks#built}). These are DL4J's helpers: both kernel choices keep them.
 */
public final class Dl4jHelpers {

    static final String DISABLE_PROPERTY = "org.eclipse.deeplearning4j.helpers.disable";

    private Dl4jHelpers() {
    }

    /** Lets DL4J create its oneDNN helpers from now on (where the native library has oneDNN); idempotent. */
    public static void enable() {
        if (System.getProperty(DISABLE_PROPERTY) == null) {
            System.setProperty(DISABLE_PROPERTY, "false");
        }
    }

    /** True when ND4J's native library was built with oneDNN and its oneDNN switch is on (DL4J's own question). */
    public static boolean oneDnnLoaded() {
        return org.nd4j.nativeblas.Nd4jCpu.Environment.getInstance().isUseMKLDNN();
    }
}
