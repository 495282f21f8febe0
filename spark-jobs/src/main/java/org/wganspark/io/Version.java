package org.wganspark.io;

/** The version written into every output's marker and every evaluation row. */
public final class Version {

    private static final String VERSION = "0.1.0";

    private Version() {
    }

    public static String current() {
        return VERSION;
    }
}
