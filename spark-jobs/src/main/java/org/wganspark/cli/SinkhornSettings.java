package org.wganspark.cli;

import java.util.List;
import org.wganspark.io.BadInputException;
import org.wganspark.ot.cost.PairwiseCost;
import org.wganspark.ot.entropic.CostScale;
import org.wganspark.ot.entropic.SinkhornOptions;
import picocli.CommandLine.Option;

/** The solver options of {@code ot sinkhorn}: epsilon and what it is relative to, the stopping rule, the cost's keeping. */
final class SinkhornSettings {

    @Option(names = "--epsilon", defaultValue = "0.05", description = "Regularization, in units of --epsilon-of (default ${DEFAULT-VALUE}).")
    double epsilon;

    @Option(names = "--epsilon-of", defaultValue = "median", description = "median or max (of the cost over 10^5 seeded pairs), "
            + "or absolute (default ${DEFAULT-VALUE}).")
    String epsilonOf;

    @Option(names = "--tolerance", defaultValue = "1e-6", description = "Stop at this L1 marginal error (default ${DEFAULT-VALUE}).")
    double tolerance;

    @Option(names = "--max-iterations", defaultValue = "10000", description = "Iterations over all epsilon stages (default ${DEFAULT-VALUE}).")
    int maxIterations;

    @Option(names = "--scaling", defaultValue = "0.5", description = "Epsilon scaling factor per stage, from the largest cost "
            + "down to epsilon; 1 = none (default ${DEFAULT-VALUE}).")
    double scaling;

    @Option(names = "--symmetric", description = "Averaged (Jacobi) updates instead of alternating ones (local only).")
    boolean symmetric;

    @Option(names = "--float-costs", description = "Accumulate recomputed costs in float (relative error ~ d 2^-24; several times "
            + "faster for small d such as patches). Potentials and sums stay double.")
    boolean floatCosts;

    @Option(names = "--dense-limit", defaultValue = "25000000", paramLabel = "PAIRS", description = "Up to this many pairs the cost "
            + "matrix is kept on the driver (default ${DEFAULT-VALUE}, 200 MB; 0: always sweep blocks).")
    long denseLimit;

    /** One line for a value out of range; before any data is read. */
    void check() {
        if (!(epsilon > 0) || !(tolerance > 0) || maxIterations < 1 || !(scaling > 0 && scaling <= 1) || denseLimit < 0) {
            throw new BadInputException("expected --epsilon > 0, --tolerance > 0, --max-iterations >= 1, 0 < --scaling <= 1 and "
                    + "--dense-limit >= 0; found " + epsilon + ", " + tolerance + ", " + maxIterations + ", " + scaling + ", " + denseLimit);
        }
        if (!List.of("median", "max", "absolute").contains(epsilonOf)) {
            throw new BadInputException("--epsilon-of: expected median, max or absolute, found '" + epsilonOf + "'");
        }
    }

    /** The absolute epsilon for this cost: --epsilon times its median or largest value (10^5 seeded pairs), or as given. */
    double epsilonFor(PairwiseCost cost) {
        double eps = switch (epsilonOf) {
            case "median" -> epsilon * CostScale.quantile(cost, 0.5, 100_000, 7);
            case "max" -> epsilon * CostScale.quantile(cost, 1.0, 100_000, 7);
            default -> epsilon;
        };
        if (!(eps > 0)) {
            throw new BadInputException("--epsilon " + epsilon + " x the " + epsilonOf + " cost is " + eps + ": the sets coincide; use --epsilon-of absolute");
        }
        return eps;
    }

    SinkhornOptions options(double eps) {
        return SinkhornOptions.of(eps).withTolerance(tolerance).withMaxIterations(maxIterations).withScaling(scaling).withSymmetric(symmetric)
                .withDenseEntries(denseLimit).withFloatCosts(floatCosts);
    }
}
