package org.wganspark.ot.exact;

import java.util.Arrays;
import java.util.HashSet;
import java.util.Set;
import java.util.stream.IntStream;
import org.wganspark.ot.Status;
import org.wganspark.ot.Weights;
import org.wganspark.ot.cost.PairwiseCost;

/**
 * Exact OT without the n x m matrix: column generation over a shortlist of arcs (Gottschlich & Schuhmacher
 * 2014; Schmitzer 2016). Start from the k nearest columns of every row and rows of every column plus the
 * arcs of a feasible plan, solve that restricted problem with {@link NetworkSimplex}, then price every pair
 * with the duals (reduced cost c_ij - u_i - v_j) and add the most violated pairs of each row; repeat, warm,
 * until no pair violates. By LP duality the plan is then optimal for the full problem, and the last pricing
 * pass is the certificate's all-pairs dual check. Memory O((n + m)(d + k)).
 *
 * <p>Pricing decides most pairs on a projected lower bound ({@link Projection}) and computes the exact
 * distance only for pairs the bound cannot rule out.
 */
public final class ShortlistSolver {

    /** Rank of the projection used for the pricing bound. */
    static final int BOUND_RANK = 64;

    private ShortlistSolver() {
    }

    /** Prices every pair against the duals; local threads by default, Spark executors in spark-jobs. */
    @FunctionalInterface
    public interface Pricer {
        PricingKernel.Pricing price(double[] u, double[] v, double costScale);
    }

    public static ExactResult solve(Weights a, Weights b, PairwiseCost cost, ExactOptions options) {
        return solve(a, b, cost, options, null, kernel -> kernel::priceInParallel);
    }

    /**
     * @param progress receives one line per round (may be null)
     * @param pricerFactory how to run a pricing pass over all rows with the given kernel
     */
    public static ExactResult solve(Weights a, Weights b, PairwiseCost cost, ExactOptions options, java.util.function.Consumer<String> progress,
                                    java.util.function.Function<PricingKernel, Pricer> pricerFactory) {
        int n = cost.rows();
        int m = cost.cols();
        if (a.size() != n || b.size() != m) {
            throw new IllegalArgumentException("a has " + a.size() + " weights and b " + b.size() + ", the cost is " + n + " x " + m);
        }
        long start = System.nanoTime();
        boolean dense = (long) n * m <= options.denseEntries();
        double[] matrix = dense ? cost.dense() : null;
        Projection bound = dense ? null : Projection.of(cost.x(), cost.y(), BOUND_RANK, 0x5eedL);
        long prepared = System.nanoTime();
        ArcList initial = new ArcList();
        Pricer pricer;
        org.wganspark.ot.cost.PairCost exactCost;
        if (dense) {
            DenseShortlist.nearest(matrix, n, m, options.candidatesPerRow(), initial);
            feasiblePlanArcs(a, b, cost, identity(n), identity(m), initial);
            double tol = options.tolerance();
            pricer = (u, v, scale) -> DenseShortlist.price(matrix, n, m, u, v, tol * Math.max(scale, Double.MIN_NORMAL), options.addPerRow());
            exactCost = (i, j) -> matrix[i * m + j];
        } else {
            nearestCandidates(cost, bound, options.candidatesPerRow(), initial);
            feasiblePlanArcs(a, b, cost, sortedBy(n, bound::firstCoordinateX), sortedBy(m, bound::firstCoordinateY), initial);
            pricer = pricerFactory.apply(new PricingKernel(cost, bound, options.tolerance(), options.addPerRow()));
            exactCost = cost::cost;
        }
        NetworkSimplex simplex = NetworkSimplex.sparse(a, b, initial.rows(), initial.cols(), initial.costs());
        if (progress != null) {
            progress.accept(String.format(java.util.Locale.ROOT, "shortlist: %d arcs (%.1f per row); %s %.2f s, candidates %.2f s",
                    simplex.arcCount(), simplex.arcCount() / (double) n, dense ? "cost matrix" : "projection", (prepared - start) / 1e9,
                    (System.nanoTime() - prepared) / 1e9));
        }
        ExactResult result = null;
        for (int round = 1; round <= options.maxRounds(); round++) {
            long t0 = System.nanoTime();
            result = simplex.solve(options);
            long t1 = System.nanoTime();
            if (result.status() != Status.OPTIMAL) {
                return new ExactResult(result.cost(), result.u(), result.v(), result.plan(), result.status(), result.pivots(), round,
                        simplex.arcCount(), null);
            }
            PricingKernel.Pricing pricing = pricer.price(result.u(), result.v(), simplex.maxCost());
            if (progress != null) {
                progress.accept(String.format(java.util.Locale.ROOT,
                        "round %d: cost %.12g, %d pivots, %d arcs, simplex %.2f s; pricing %.2f s: %d violated pairs added, %.2f%% of pairs computed exactly",
                        round, result.cost(), result.pivots(), simplex.arcCount(), (t1 - t0) / 1e9, (System.nanoTime() - t1) / 1e9,
                        pricing.count(), 100.0 * pricing.exactEvaluations() / ((double) n * m)));
            }
            if (pricing.count() == 0) {
                // Pairs the pass skipped are proven to have u_i + v_j - c_ij <= 0; the plan's pairs sit at 0.
                double maxViolation = pricing.maxViolation();
                SparsePlan plan = result.plan();
                for (int k = 0; k < plan.size(); k++) {
                    int i = plan.row()[k];
                    int j = plan.col()[k];
                    maxViolation = Math.max(maxViolation, result.u()[i] + result.v()[j] - exactCost.cost(i, j));
                }
                Certificate certificate = Certificate.withViolation(a, b, exactCost, result.u(), result.v(), plan,
                        maxViolation, (long) n * m);
                return new ExactResult(result.cost(), result.u(), result.v(), result.plan(), Status.OPTIMAL, result.pivots(), round,
                        simplex.arcCount(), certificate);
            }
            simplex.addArcs(pricing.rows(), pricing.cols(), pricing.costs(), pricing.count());
        }
        return new ExactResult(result.cost(), result.u(), result.v(), result.plan(), Status.MAX_ITERATIONS, result.pivots(),
                options.maxRounds(), simplex.arcCount(), null);
    }

    /**
     * About the k nearest columns of every row and rows of every column, ranked by the projected bound (the
     * shortlist only has to be good; pricing makes the answer exact). Exact costs only for the chosen arcs.
     */
    static void nearestCandidates(PairwiseCost cost, Projection bound, int k, ArcList out) {
        int n = cost.rows();
        int m = cost.cols();
        int kr = Math.min(k, m);
        int kc = Math.min(k, n);
        int[] rowBest = new int[n * kr];
        double[] rowBestSq = new double[n * kr];
        Arrays.fill(rowBestSq, Double.POSITIVE_INFINITY);
        int[] colBest = new int[m * kc];
        double[] colBestSq = new double[m * kc];
        Arrays.fill(colBestSq, Double.POSITIVE_INFINITY);
        // rows in parallel blocks; column lists are merged afterwards from per-block copies
        int blocks = Math.max(1, Math.min(n, Runtime.getRuntime().availableProcessors() * 4));
        double[][] blockColSq = new double[blocks][];
        int[][] blockCol = new int[blocks][];
        IntStream.range(0, blocks).parallel().forEach(block -> {
            int from = (int) ((long) n * block / blocks);
            int to = (int) ((long) n * (block + 1) / blocks);
            double[] cSq = new double[m * kc];
            int[] cIdx = new int[m * kc];
            double[] colWorst = new double[m];
            Arrays.fill(cSq, Double.POSITIVE_INFINITY);
            Arrays.fill(colWorst, Double.POSITIVE_INFINITY);
            double[] head = new double[m];
            for (int i = from; i < to; i++) {
                int ro = i * kr;
                double rowWorst = Double.POSITIVE_INFINITY;
                bound.headBounds(i, head);
                for (int j = 0; j < m; j++) {
                    double limit = Math.max(rowWorst, colWorst[j]);
                    if (head[j] > limit || bound.exceeds(i, j, limit)) {
                        continue;
                    }
                    double sq = bound.lowerBound(i, j);
                    if (sq < rowWorst) {
                        rowWorst = insert(rowBestSq, rowBest, ro, kr, sq, j);
                    }
                    if (sq < colWorst[j]) {
                        colWorst[j] = insert(cSq, cIdx, j * kc, kc, sq, i);
                    }
                }
            }
            blockColSq[block] = cSq;
            blockCol[block] = cIdx;
        });
        for (int block = 0; block < blocks; block++) {
            for (int j = 0; j < m; j++) {
                for (int s = 0; s < kc; s++) {
                    double sq = blockColSq[block][j * kc + s];
                    if (sq < Double.POSITIVE_INFINITY) {
                        insert(colBestSq, colBest, j * kc, kc, sq, blockCol[block][j * kc + s]);
                    }
                }
            }
        }
        for (int i = 0; i < n; i++) {
            for (int s = 0; s < kr; s++) {
                if (rowBestSq[i * kr + s] < Double.POSITIVE_INFINITY) {
                    out.addUnique(i, rowBest[i * kr + s], cost.cost(i, rowBest[i * kr + s]));
                }
            }
        }
        for (int j = 0; j < m; j++) {
            for (int s = 0; s < kc; s++) {
                if (colBestSq[j * kc + s] < Double.POSITIVE_INFINITY) {
                    out.addUnique(colBest[j * kc + s], j, cost.cost(colBest[j * kc + s], j));
                }
            }
        }
    }

    private static int worstOf(double[] sq, int offset, int k) {
        int worst = 0;
        for (int s = 1; s < k; s++) {
            if (sq[offset + s] > sq[offset + worst]) {
                worst = s;
            }
        }
        return worst;
    }

    /** Replaces the worst of the k kept values if {@code value} is better; returns the new worst value. */
    private static double insert(double[] sq, int[] idx, int offset, int k, double value, int index) {
        int worst = worstOf(sq, offset, k);
        if (value < sq[offset + worst]) {
            sq[offset + worst] = value;
            idx[offset + worst] = index;
            worst = worstOf(sq, offset, k);
        }
        return sq[offset + worst];
    }

    private static int[] identity(int n) {
        int[] order = new int[n];
        for (int i = 0; i < n; i++) {
            order[i] = i;
        }
        return order;
    }

    private static int[] sortedBy(int n, java.util.function.IntToDoubleFunction key) {
        return IntStream.range(0, n).boxed().sorted((p, q) -> Double.compare(key.applyAsDouble(p), key.applyAsDouble(q)))
                .mapToInt(Integer::intValue).toArray();
    }

    /**
     * Arcs of a feasible plan: the north-west corner rule with rows and columns in the given orders (sorted by
     * the first principal coordinate, this is the exact 1-D plan along it). Guarantees the restricted problem is
     * feasible.
     */
    static void feasiblePlanArcs(Weights a, Weights b, PairwiseCost cost, int[] rows, int[] cols, ArcList out) {
        int n = a.size();
        int m = b.size();
        boolean integer = a.isUniform() && b.isUniform();
        double[] left = new double[n];
        double[] need = new double[m];
        for (int i = 0; i < n; i++) {
            left[i] = integer ? m : a.get(i);
        }
        for (int j = 0; j < m; j++) {
            need[j] = integer ? n : b.get(j);
        }
        int p = 0;
        int q = 0;
        while (p < n && q < m) {
            int i = rows[p];
            int j = cols[q];
            out.addUnique(i, j, cost.cost(i, j));
            // the last row takes every remaining column and the last column every remaining row, so rounding
            // residues of general weights can never leave a node without an arc
            if (p == n - 1) {
                q++;
            } else if (q == m - 1) {
                p++;
            } else if (left[i] <= need[j]) {
                need[j] -= left[i];
                p++;
            } else {
                left[i] -= need[j];
                q++;
            }
        }
    }

    /** A growing list of arcs, deduplicated on request. */
    static final class ArcList implements java.io.Serializable {
        private int[] rows = new int[64];
        private int[] cols = new int[64];
        private double[] costs = new double[64];
        private int size;
        private Set<Long> seen;

        void add(int i, int j, double c) {
            if (size == rows.length) {
                rows = Arrays.copyOf(rows, size * 2);
                cols = Arrays.copyOf(cols, size * 2);
                costs = Arrays.copyOf(costs, size * 2);
            }
            rows[size] = i;
            cols[size] = j;
            costs[size] = c;
            size++;
        }

        void addUnique(int i, int j, double c) {
            if (seen == null) {
                seen = new HashSet<>();
            }
            if (seen.add(((long) i << 32) | j)) {
                add(i, j, c);
            }
        }

        void addAll(ArcList other) {
            for (int k = 0; k < other.size; k++) {
                add(other.rows[k], other.cols[k], other.costs[k]);
            }
        }

        int size() {
            return size;
        }

        int[] rows() {
            return Arrays.copyOf(rows, size);
        }

        int[] cols() {
            return Arrays.copyOf(cols, size);
        }

        double[] costs() {
            return Arrays.copyOf(costs, size);
        }
    }
}
