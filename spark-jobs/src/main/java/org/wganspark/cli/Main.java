package org.wganspark.cli;

import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import org.apache.spark.SparkException;
import org.wganspark.eval.Outputs;
import org.wganspark.io.BadInputException;
import picocli.CommandLine.Command;
import picocli.CommandLine;

/**
 * {@code wgan-spark}: the one entry point. Results go to stdout, progress and errors to stderr; exit
 * codes are in {@link ExitCodes}. Bad input is one line and exit 2, never a stack trace.
 */
@Command(name = "wgan-spark", mixinStandardHelpOptions = true, versionProvider = Main.VersionProvider.class,
        description = "What a Wasserstein GAN really minimizes, at cluster scale: data, patches, exact and entropic OT, training.",
        subcommands = {QuickstartCommand.class, DataCommand.class, PatchesCommand.class, OtCommand.class, TrainCommand.class, W1FeCommand.class,
                OtMeansCommand.class, KMeansCommand.class, MemorizationCommand.class, EvalCommand.class, HelpCommand.class},
        commandListHeading = "%nCommands:%n",
        footer = {"", "Sources (SOURCE): mnist, fashion-mnist, ring8 (2-D: 8 Gaussians on a ring), or a path on any Hadoop file system",
                "(file:, hdfs:, s3a: or plain): an IDX file, a .npy file, a folder of .npy parts, or a folder of PNG/JPEG images.",
                "Runs in this JVM on local[*] by default; bin/wgan-spark --master spark://HOST:PORT ... hands over to spark-submit.",
                "Outputs are written whole (write, then rename) and never replace an input; an output that a command did not write",
                "itself is replaced only with --overwrite.",
                "Exit codes: 0 ok, 1 failed, 2 bad input, 3 not converged, 4 internal error, 5 busy (another eval score holds the",
                "table's lock), 143 interrupted (SIGTERM).",
                "Example: wgan-spark quickstart"})
public final class Main implements java.util.concurrent.Callable<Integer> {

    static final ThreadLocal<PrintStream> OUT = ThreadLocal.withInitial(() -> System.out);
    static final ThreadLocal<PrintStream> ERR = ThreadLocal.withInitial(() -> System.err);

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    /** The bare command: its help, on stderr, and exit 2 (a script that forgot the command must not pass). */
    @Override
    public Integer call() {
        spec.commandLine().usage(ERR.get());
        return ExitCodes.BAD_INPUT;
    }

    /** The version, from {@link org.wganspark.io.Version}. */
    static final class VersionProvider implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            return new String[] {"wgan-spark " + org.wganspark.io.Version.current()};
        }
    }

    public static void main(String[] args) {
        org.wganspark.experiment.Interrupts.install(System.err);
        int code = run(args, System.out, System.err);
        if (code == 0 && inYarnApplicationMaster()) {
            return;  // YARN's application master reports success when main returns; an exit would cut that short
        }
        // Spark's non-daemon threads would otherwise keep the JVM alive after a failure.
        System.exit(code);
    }

    /** True for a driver that spark-submit --deploy-mode cluster started inside YARN's application master. */
    static boolean inYarnApplicationMaster() {
        return "cluster".equals(System.getProperty("spark.submit.deployMode")) && System.getProperty("spark.master", "").startsWith("yarn");
    }

    /** Runs one command in this JVM; the Spark session (if any) is left running for the caller. */
    public static int run(String[] args, PrintStream out, PrintStream err) {
        OUT.set(out);
        ERR.set(err);
        try {
            CommandLine cli = new CommandLine(new Main());
            cli.setOut(new PrintWriter(out, true));
            cli.setErr(new PrintWriter(err, true));
            // the commands' descriptions are written as lines of up to 120 characters
            cli.setUsageHelpWidth(120);
            cli.setParameterExceptionHandler((e, a) -> {
                err.println("wgan-spark: " + e.getMessage() + suggestion(e) + " (see --help)");
                return ExitCodes.BAD_INPUT;
            });
            cli.setExecutionExceptionHandler((e, command, parsed) -> report(e, verbose(parsed), err));
            return cli.execute(args);
        } finally {
            OUT.remove();
            ERR.remove();
        }
    }

    /** A command's exit code and its stdout (one JSON line), as {@link #nested} ran it. */
    record Nested(int code, String json) {
    }

    /**
     * Runs another command in this JVM from within a command, its JSON line captured and its progress on the caller's
     * stderr; the caller's streams are restored afterwards.
     */
    static Nested nested(String... args) {
        PrintStream ownOut = OUT.get();
        PrintStream ownErr = ERR.get();
        java.io.ByteArrayOutputStream captured = new java.io.ByteArrayOutputStream();
        try {
            int code = run(args, new PrintStream(captured, true, java.nio.charset.StandardCharsets.UTF_8), ownErr);
            return new Nested(code, captured.toString(java.nio.charset.StandardCharsets.UTF_8).trim());
        } finally {
            OUT.set(ownOut);
            ERR.set(ownErr);
        }
    }

    private static boolean verbose(CommandLine.ParseResult parsed) {
        CommandLine.ParseResult sub = parsed;
        while (sub.hasSubcommand()) {
            sub = sub.subcommand();
        }
        return sub.hasMatchedOption("--verbose");
    }

    /** "; did you mean --stride?" for a misspelled option or command, from picocli's suggestions. */
    private static String suggestion(CommandLine.ParameterException e) {
        if (e instanceof CommandLine.UnmatchedArgumentException u && !u.getSuggestions().isEmpty()) {
            return "; did you mean " + String.join(" or ", u.getSuggestions().subList(0, Math.min(3, u.getSuggestions().size()))) + "?";
        }
        return "";
    }

    /** One line per failure; stack traces only with --verbose. After SIGTERM the signal's own line has been printed. */
    static int report(Throwable e, boolean verbose, PrintStream err) {
        if (org.wganspark.experiment.Interrupts.interrupted()) {
            return 143;
        }
        BadInputException bad = find(e, BadInputException.class);
        if (bad != null) {
            err.println("wgan-spark: " + bad.getMessage());
            return ExitCodes.BAD_INPUT;
        }
        org.wganspark.io.BusyException busy = find(e, org.wganspark.io.BusyException.class);
        if (busy != null) {
            err.println("wgan-spark: " + busy.getMessage());
            return ExitCodes.BUSY;
        }
        String badRemote = remoteBadInput(e);
        if (badRemote != null) {
            err.println("wgan-spark: " + badRemote);
            return ExitCodes.BAD_INPUT;
        }
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        if ((e instanceof UncheckedIOException || root instanceof java.io.IOException) && !(root instanceof java.io.ObjectStreamException)) {
            err.println("wgan-spark: I/O failed: " + firstLine(root.getMessage()));
            if (verbose) {
                e.printStackTrace(err);
            }
            return ExitCodes.FAILED;
        }
        err.println("wgan-spark: internal error: " + root.getClass().getSimpleName() + ": " + firstLine(root.getMessage())
                + (verbose ? "" : " (rerun with --verbose for the stack trace)"));
        if (verbose) {
            e.printStackTrace(err);
        }
        return ExitCodes.INTERNAL;
    }

    private static <T extends Throwable> T find(Throwable e, Class<T> type) {
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (type.isInstance(t)) {
                return type.cast(t);
            }
        }
        return null;
    }

    /** On a cluster the executor's exception may arrive only as text inside a SparkException. */
    private static String remoteBadInput(Throwable e) {
        SparkException se = find(e, SparkException.class);
        if (se == null || se.getMessage() == null) {
            return null;
        }
        String marker = BadInputException.class.getName() + ": ";
        int at = se.getMessage().indexOf(marker);
        return at < 0 ? null : firstLine(se.getMessage().substring(at + marker.length()));
    }

    private static String firstLine(String s) {
        if (s == null) {
            return "";
        }
        int nl = s.indexOf('\n');
        return nl < 0 ? s : s.substring(0, nl);
    }
}
