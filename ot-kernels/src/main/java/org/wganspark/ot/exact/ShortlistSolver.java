package org.wganspark.ot.exact;

import java.util.Locale;
import java.util.function.Consumer;
import java.util.function.Function;
import org.wganspark.ot.Spare;
import org.wganspark.ot.Status;
import org.wganspark.ot.Weights;
import org.wganspark.ot.cost.PairCost;
import org.wganspark.ot.cost.PairwiseCost;

/**
 * Exact OT without the n x m matrix: column generation over a shortlist of arcs (Gottschlich & Schuhmacher
 * 2014; Schmitzer 2016). Start from the k nearest columns of every row and rows of every column plus the
 * arcs of a feasible plan, solve that restricted problem with {@link NetworkSimplex}, then price every pair
 * with the duals (reduced cost c_ij - u_i - v_j) and add the most violated pairs of each row; repeat, warm,
 * until no pair violates. By LP duality the plan is then optimal for the full problem, and the last pricing
 * pass is the certificate's all-pairs dual check. Memory O((n + m)(d + k)).
 *
 * <p>Without the matrix, the first shortlist ranks pairs by reduced cost under estimated duals: those of an
 * exact solve on a random subproblem, extended to all points by c-transforms (a one-level multiscale start in
 * the spirit of Schmitzer 2016). It starts the column generation close to the optimum: 50,000 x 50,000
 * Fashion-MNIST images in 6 rounds (Y shifted one pixel) or 9 (Y flipped).
 *
 * <p>Pricing decides most pairs on a projected lower bound ({@link Projection}) and computes the exact
 * distance only for pairs the bound cannot rule out.
 */
public final class ShortlistSolver {

    /** Rank of the projection used for the pricing bound. */
    static final int BOUND_RANK = 64;
    /**
     * The dense cost matrix of the last small solve, up to 64 MB, kept for the next: allocating and zeroing a fresh
     * array of that size costs more than the BLAS product that fills it.
     */
    private static final Spare<double[]> DENSE_MATRIX = new Spare<>(matrix -> matrix.length, 1L << 23);

    private ShortlistSolver() {
    }

    /** Prices every pair against the duals; local threads by default, Spark executors in spark-jobs. */
    @FunctionalInterface
    public interface Pricer {
        PricingKernel.Pricing price(double[] u, double[] v, double costScale, double slack);
    }

    public static ExactResult solve(Weights a, Weights b, PairwiseCost cost, ExactOptions options) {
        return solve(a, b, cost, options, null, kernel -> kernel::priceInParallel);
    }

    /**
     * @param progress receives one line per round (may be null)
     * @param pricerFactory how to run a pricing pass over all rows with the given kernel
     */
    public static ExactResult solve(Weights a, Weights b, PairwiseCost cost, ExactOptions options, Consumer<String> progress,
                                    Function<PricingKernel, Pricer> pricerFactory) {
        int n = cost.rows();
        int m = cost.cols();
        if (a.size() != n || b.size() != m) {
            throw new IllegalArgumentException("a has " + a.size() + " weights and b " + b.size() + ", the cost is " + n + " x " + m);
        }
        if (SmallSideSolver.applies(a, b)) {
            return SmallSideSolver.solve(a, b, cost, options, progress, pricerFactory);
        }
        return solveShortlist(a, b, cost, options, progress, pricerFactory);
    }

    /** The shortlist method itself, whatever the shapes. */
    static ExactResult solveShortlist(Weights a, Weights b, PairwiseCost cost, ExactOptions options, Consumer<String> progress,
                                      Function<PricingKernel, Pricer> pricerFactory) {
        int n = cost.rows();
        int m = cost.cols();
        long start = System.nanoTime();
        boolean dense = (long) n * m <= options.denseEntries();
        double[] matrix = dense ? cost.dense(DENSE_MATRIX.take((long) n * m)) : null;
        try {
            return solve(a, b, cost, options, progress, pricerFactory, matrix, start);
        } finally {
            DENSE_MATRIX.keep(matrix);
        }
    }

    private static ExactResult solve(Weights a, Weights b, PairwiseCost cost, ExactOptions options, Consumer<String> progress,
                                     Function<PricingKernel, Pricer> pricerFactory, double[] matrix, long start) {
        int n = cost.rows();
        int m = cost.cols();
        boolean dense = matrix != null;
        Projection bound = dense ? null : Projection.of(cost.x(), cost.y(), BOUND_RANK, 0x5eedL);
        long prepared = System.nanoTime();
        ArcList initial = new ArcList();
        Pricer pricer;
        PairCost exactCost;
        if (dense) {
            DenseShortlist.nearest(matrix, n, m, options.candidatesPerRow(), initial);
            InitialShortlist.feasiblePlanArcs(a, b, (i, j) -> matrix[i * m + j], InitialShortlist.identity(n), InitialShortlist.identity(m), initial);
            double tol = options.tolerance();
            int[] capacity = rowCapacity(a, m, options.addPerRow());
            pricer = (u, v, scale, slack) -> DenseShortlist.price(matrix, n, m, u, v, tol * Math.max(scale, Double.MIN_NORMAL), slack,
                    capacity);
            exactCost = (i, j) -> matrix[i * m + j];
        } else {
            double[][] duals = options.sampledStart() ? SampledDuals.estimate(a, b, cost, bound, options, progress) : null;
            if (duals == null) {
                InitialShortlist.nearestCandidates(cost, bound, options.candidatesPerRow(), initial);
            } else {
                InitialShortlist.dualCandidates(cost, bound, options.candidatesPerRow(), initial, duals[0], duals[1]);
            }
            InitialShortlist.feasiblePlanArcs(a, b, cost::cost, InitialShortlist.sortedBy(n, bound::firstCoordinateX),
                    InitialShortlist.sortedBy(m, bound::firstCoordinateY), initial);
            pricer = pricerFactory.apply(new PricingKernel(cost, bound, options.tolerance(), rowCapacity(a, m, options.addPerRow())));
            exactCost = cost::cost;
        }
        NetworkSimplex simplex = NetworkSimplex.sparse(a, b, initial.rows(), initial.cols(), initial.costs());
        simplex.reportTo(progress);
        if (progress != null) {
            progress.accept(String.format(Locale.ROOT, "shortlist: %d arcs (%.1f per row); %s %.3f s, candidates %.3f s",
                    simplex.arcCount(), simplex.arcCount() / (double) n, dense ? "cost matrix" : "projection", (prepared - start) / 1e9,
                    (System.nanoTime() - prepared) / 1e9));
        }
        PairSet arcs = initial.uniquePairs();  // grows with every arc the rounds add
        ExactResult result = null;
        double slack = 0;
        for (int round = 1; round <= options.maxRounds(); round++) {
            long t0 = System.nanoTime();
            result = simplex.solve(options);
            long t1 = System.nanoTime();
            if (result.status() != Status.OPTIMAL) {
                return new ExactResult(result.cost(), result.u(), result.v(), result.plan(), result.status(), result.pivots(), round,
                        simplex.arcCount(), null);
            }
            PricingKernel.Pricing pricing = pricer.price(result.u(), result.v(), simplex.maxCost(), slack);
            ArcList added = new ArcList();
            for (int k = 0; k < pricing.count(); k++) {
                if (arcs.add(pricing.rows()[k], pricing.cols()[k])) {
                    added.add(pricing.rows()[k], pricing.cols()[k], pricing.costs()[k]);
                }
            }
            if (progress != null) {
                progress.accept(String.format(Locale.ROOT,
                        "round %d: cost %.12g, %d pivots, %d arcs, simplex %.3f s; pricing %.3f s: %d violated pairs, %d arcs added%s, "
                                + "%.2f%% of pairs computed exactly",
                        round, result.cost(), result.pivots(), simplex.arcCount(), (t1 - t0) / 1e9, (System.nanoTime() - t1) / 1e9,
                        pricing.violations(), added.size(), slack > 0 ? String.format(Locale.ROOT, " (slack %.3g)", slack) : "",
                        100.0 * pricing.exactEvaluations() / ((double) n * m)));
            }
            if (pricing.violations() == 0) {
                return new ExactResult(result.cost(), result.u(), result.v(), result.plan(), Status.OPTIMAL, result.pivots(), round,
                        simplex.arcCount(), certificate(a, b, exactCost, result, pricing));
            }
            simplex.addArcs(added.rows(), added.cols(), added.costs(), added.size());
            // Near the end the restricted duals move little: pairs within the last round's largest violation of
            // binding come in before they violate, which saves the full pricing passes of a long tail of rounds.
            slack = pricing.violations() < Math.min(n, m) ? Math.max(0, pricing.maxViolation()) : 0;
        }
        return new ExactResult(result.cost(), result.u(), result.v(), result.plan(), Status.MAX_ITERATIONS, result.pivots(),
                options.maxRounds(), simplex.arcCount(), null);
    }

    /**
     * The certificate of an optimal restricted plan after a pricing pass found no violated pair: pairs the pass skipped
     * are proven to have u_i + v_j - c_ij <= 0, and the plan's pairs sit at 0, checked here on their exact costs.
     */
    private static Certificate certificate(Weights a, Weights b, PairCost exactCost, ExactResult result, PricingKernel.Pricing pricing) {
        double maxViolation = pricing.maxViolation();
        SparsePlan plan = result.plan();
        for (int k = 0; k < plan.size(); k++) {
            int i = plan.row()[k];
            int j = plan.col()[k];
            maxViolation = Math.max(maxViolation, result.u()[i] + result.v()[j] - exactCost.cost(i, j));
        }
        return Certificate.withViolation(a, b, exactCost, result.u(), result.v(), plan, maxViolation, (long) result.u().length * result.v().length);
    }

    /**
     * Arcs a row may add per pricing pass: addPerRow, times the row's share a_i max(n, m). A heavy row (the
     * background patch holds 18% of Fashion-MNIST's 7x7 patches) spreads its mass over thousands of columns, and
     * so does every row when there are far fewer rows than columns (1024 generated patches against 64,548
     * training patches: 63 columns a row at least); at addPerRow a round they would take as many rounds, each a
     * full pricing pass and a longer simplex.
     */
    static int[] rowCapacity(Weights a, int m, int addPerRow) {
        int n = a.size();
        int[] capacity = new int[n];
        int wider = Math.max(n, m);
        for (int i = 0; i < n; i++) {
            double share = Math.max(1, Math.ceil(a.get(i) * wider - 1e-9));
            capacity[i] = (int) Math.min(m, addPerRow * share);
        }
        return capacity;
    }
}
