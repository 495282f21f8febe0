package org.wganspark.cli;

/** Exit codes of every subcommand. */
public final class ExitCodes {
    public static final int OK = 0;
    public static final int FAILED = 1;
    public static final int BAD_INPUT = 2;
    public static final int NOT_CONVERGED = 3;
    public static final int INTERNAL = 4;
    /** Another job holds the resource (eval score's table lock): try again later. */
    public static final int BUSY = 5;

    private ExitCodes() {
    }
}
