package org.wganspark.experiment;

import java.io.PrintStream;
import java.util.function.Supplier;
import org.apache.logging.log4j.Level;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.core.config.Configurator;

/**
 * SIGTERM and SIGINT, what a scheduler, YARN or a user's Ctrl-C send: one line and exit 143 (130 for SIGINT), in the
 * signal's own thread, without waiting for the work in hand. Every output is written whole or not at all (write then
 * rename, a checkpoint last of a logged step), so stopping anywhere keeps what was committed; YARN allows 250 ms
 * between SIGTERM and SIGKILL, too little to finish a training round. A command may say what the line reports
 * ({@link #describeWith}); Spark's logging and System.err are silenced after it, so its shutdown does not bury the line.
 */
public final class Interrupts {

    private static volatile Supplier<String> description = () -> "nothing was written (outputs are committed whole)";
    private static volatile boolean interrupted;

    private Interrupts() {
    }

    /** Installs the handlers; only the command-line entry point does this (tests run many commands in one JVM). */
    public static void install(PrintStream err) {
        for (String name : new String[] {"TERM", "INT"}) {
            try {
                sun.misc.Signal.handle(new sun.misc.Signal(name), signal -> stop(signal.getName(), err));
            } catch (IllegalArgumentException e) {
                // the JVM reserves this signal here (e.g. -Xrs): its default action stays
            }
        }
    }

    /** What the interruption line says after "interrupted by SIG...:", e.g. the last checkpoint; null restores the default. */
    public static void describeWith(Supplier<String> what) {
        description = what != null ? what : () -> "nothing was written (outputs are committed whole)";
    }

    /** Whether a signal arrived (the entry point then reports nothing more). */
    public static boolean interrupted() {
        return interrupted;
    }

    private static void stop(String signal, PrintStream err) {
        interrupted = true;
        // every logger: those the configuration names with their own level (Spark's TaskSchedulerImpl at error) ignore
        // the root's, and the console appender holds the original System.err
        Configurator.setAllLevels(LogManager.ROOT_LOGGER_NAME, Level.OFF);
        String what;
        try {
            what = description.get();
        } catch (RuntimeException e) {
            what = "the last committed output stands";
        }
        err.println("wgan-spark: interrupted by SIG" + signal + ": " + what);
        err.flush();
        // Spark's threads, stopped mid-job by the shutdown, print stack traces straight to System.err: not ours to show
        System.setErr(new PrintStream(java.io.OutputStream.nullOutputStream()));
        System.exit(signal.equals("INT") ? 130 : 143);
    }
}
