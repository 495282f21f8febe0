package org.wganspark.cli;

import org.wganspark.io.BadInputException;
import org.wganspark.ot.exact.ExactOptions;
import picocli.CommandLine.Option;

/** The solver options of {@code ot exact}: the first shortlist, the rounds, the kept matrix. */
final class ExactSettings {

    @Option(names = "--candidates", defaultValue = "8", description = "Nearest neighbours per row and column in the first shortlist (default ${DEFAULT-VALUE}).")
    int candidates;

    @Option(names = "--add-per-row", defaultValue = "32", description = "Most violated pairs added per row and round (default ${DEFAULT-VALUE}).")
    int addPerRow;

    @Option(names = "--no-sampled-start", description = "Start from the nearest neighbours alone, without the duals of a random "
            + "subproblem (--dense-limit pairs, solved on the driver) to rank the first shortlist.")
    boolean noSampledStart;

    @Option(names = "--max-rounds", defaultValue = "100", description = "Pricing rounds before giving up (default ${DEFAULT-VALUE}).")
    int maxRounds;

    @Option(names = "--dense-limit", defaultValue = "25000000", paramLabel = "PAIRS",
            description = "Up to this many pairs (n x m) the cost matrix is computed once and kept in the driver, and pricing scans it; "
                    + "above, pricing bounds pairs by projection and runs on the executors (default ${DEFAULT-VALUE}, 200 MB; 0: never keep it).")
    long denseLimit;

    /** One line for a value out of range; before any data is read. */
    void check() {
        if (candidates < 1 || addPerRow < 1 || maxRounds < 1) {
            throw new BadInputException("--candidates, --add-per-row and --max-rounds must be positive");
        }
        if (denseLimit < 0) {
            throw new BadInputException("--dense-limit must be >= 0, found " + denseLimit);
        }
    }

    ExactOptions options() {
        return new ExactOptions(Long.MAX_VALUE, 1e-12, candidates, addPerRow, maxRounds, denseLimit, !noSampledStart);
    }
}
