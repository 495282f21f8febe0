package org.wganspark.experiment;

/**
 * A test aid: {@code -Dwgan.fault.halt=POINT@STEP} halts the JVM (as kill -9 would) when the named point of a
 * command is reached at that step, so tests can stop a real process between two writes. Unset in normal use.
 */
public final class FaultInjection {

    private static final String HALT = System.getProperty("wgan.fault.halt", "");

    private FaultInjection() {
    }

    /** Halts with exit code 137 if {@code -Dwgan.fault.halt} names this point and step. */
    public static void point(String name, int step) {
        if (!HALT.isEmpty() && HALT.equals(name + "@" + step)) {
            System.err.flush();
            Runtime.getRuntime().halt(137);
        }
    }
}
