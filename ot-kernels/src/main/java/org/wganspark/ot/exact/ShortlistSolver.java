package org.wganspark.ot.exact;

import java.util.Arrays;
import java.util.stream.IntStream;
import org.wganspark.ot.Blocks;
import org.wganspark.ot.Status;
import org.wganspark.ot.TopK;
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
     * The dense cost matrix of the last small solve, up to 64 MB, kept for the next: a fresh 8 MB array costs more
     * than its BLAS product on a VM.
     */
    private static final org.wganspark.ot.Spare<double[]> DENSE_MATRIX = new org.wganspark.ot.Spare<>(matrix -> matrix.length, 1L << 23);

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
    public static ExactResult solve(Weights a, Weights b, PairwiseCost cost, ExactOptions options, java.util.function.Consumer<String> progress,
                                    java.util.function.Function<PricingKernel, Pricer> pricerFactory) {
        int n = cost.rows();
        int m = cost.cols();
        if (a.size() != n || b.size() != m) {
            throw new IllegalArgumentException("a has " + a.size() + " weights and b " + b.size() + ", the cost is " + n + " x " + m);
        }
        long start = System.nanoTime();
        boolean dense = (long) n * m <= options.denseEntries();
        double[] matrix = dense ? cost.dense(DENSE_MATRIX.take((long) n * m)) : null;
        try {
            return solve(a, b, cost, options, progress, pricerFactory, matrix, start);
        } finally {
            DENSE_MATRIX.keep(matrix);
        }
    }

    private static ExactResult solve(Weights a, Weights b, PairwiseCost cost, ExactOptions options, java.util.function.Consumer<String> progress,
                                     java.util.function.Function<PricingKernel, Pricer> pricerFactory, double[] matrix, long start) {
        int n = cost.rows();
        int m = cost.cols();
        boolean dense = matrix != null;
        Projection bound = dense ? null : Projection.of(cost.x(), cost.y(), BOUND_RANK, 0x5eedL);
        long prepared = System.nanoTime();
        ArcList initial = new ArcList();
        Pricer pricer;
        org.wganspark.ot.cost.PairCost exactCost;
        if (dense) {
            DenseShortlist.nearest(matrix, n, m, options.candidatesPerRow(), initial);
            feasiblePlanArcs(a, b, (i, j) -> matrix[i * m + j], identity(n), identity(m), initial);
            double tol = options.tolerance();
            int[] capacity = rowCapacity(a, m, options.addPerRow());
            pricer = (u, v, scale, slack) -> DenseShortlist.price(matrix, n, m, u, v, tol * Math.max(scale, Double.MIN_NORMAL), slack,
                    capacity);
            exactCost = (i, j) -> matrix[i * m + j];
        } else {
            double[][] duals = options.sampledStart() ? sampledDuals(a, b, cost, bound, options, progress) : null;
            if (duals == null) {
                nearestCandidates(cost, bound, options.candidatesPerRow(), initial);
            } else {
                dualCandidates(cost, bound, options.candidatesPerRow(), initial, duals[0], duals[1]);
            }
            feasiblePlanArcs(a, b, cost::cost, sortedBy(n, bound::firstCoordinateX), sortedBy(m, bound::firstCoordinateY), initial);
            pricer = pricerFactory.apply(new PricingKernel(cost, bound, options.tolerance(), rowCapacity(a, m, options.addPerRow())));
            exactCost = cost::cost;
        }
        NetworkSimplex simplex = NetworkSimplex.sparse(a, b, initial.rows(), initial.cols(), initial.costs());
        simplex.reportTo(progress);
        if (progress != null) {
            progress.accept(String.format(java.util.Locale.ROOT, "shortlist: %d arcs (%.1f per row); %s %.3f s, candidates %.3f s",
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
                progress.accept(String.format(java.util.Locale.ROOT,
                        "round %d: cost %.12g, %d pivots, %d arcs, simplex %.3f s; pricing %.3f s: %d violated pairs, %d arcs added%s, "
                                + "%.2f%% of pairs computed exactly",
                        round, result.cost(), result.pivots(), simplex.arcCount(), (t1 - t0) / 1e9, (System.nanoTime() - t1) / 1e9,
                        pricing.violations(), added.size(), slack > 0 ? String.format(java.util.Locale.ROOT, " (slack %.3g)", slack) : "",
                        100.0 * pricing.exactEvaluations() / ((double) n * m)));
            }
            if (pricing.violations() == 0) {
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
            simplex.addArcs(added.rows(), added.cols(), added.costs(), added.size());
            // Near the end the restricted duals move little: pairs within the last round's largest violation of
            // binding come in before they violate, which saves the full pricing passes of a long tail of rounds.
            slack = pricing.violations() < Math.min(n, m) ? Math.max(0, pricing.maxViolation()) : 0;
        }
        return new ExactResult(result.cost(), result.u(), result.v(), result.plan(), Status.MAX_ITERATIONS, result.pivots(),
                options.maxRounds(), simplex.arcCount(), null);
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

    /**
     * About the k nearest columns of every row and rows of every column, ranked by the projected bound (the
     * shortlist only has to be good; pricing makes the answer exact). Exact costs only for the chosen arcs.
     */
    static void nearestCandidates(PairwiseCost cost, Projection bound, int k, ArcList out) {
        dualCandidates(cost, bound, k, out, new double[cost.rows()], new double[cost.cols()]);
    }

    /**
     * The k columns of every row and rows of every column with the smallest reduced cost c_ij - u_i - v_j
     * for the given (estimated) duals, c_ij estimated by the projected bound; zero duals give the k nearest.
     */
    static void dualCandidates(PairwiseCost cost, Projection bound, int k, ArcList out, double[] u, double[] v) {
        org.wganspark.ot.cost.Metric metric = cost.metric();
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
            int from = Blocks.start(n, block, blocks);
            int to = Blocks.start(n, block + 1, blocks);
            double[] cSq = new double[m * kc];
            int[] cIdx = new int[m * kc];
            double[] colWorst = new double[m];
            Arrays.fill(cSq, Double.POSITIVE_INFINITY);
            Arrays.fill(colWorst, Double.POSITIVE_INFINITY);
            int rowBlock = PricingKernel.ROW_BLOCK;
            int width = PricingKernel.COLUMN_TILE;
            double[] tile = new double[rowBlock * width];
            double[] rowWorst = new double[rowBlock];
            for (int first = from; first < to; first += rowBlock) {
                int last = Math.min(to, first + rowBlock);
                Arrays.fill(rowWorst, Double.POSITIVE_INFINITY);
                for (int j0 = 0; j0 < m; j0 += width) {
                    int j1 = Math.min(m, j0 + width);
                    bound.tile(first, last, j0, j1, tile, width);
                    for (int i = first; i < last; i++) {
                        int ro = i * kr;
                        int t = (i - first) * width - j0;
                        double ui = u[i];
                        double worst = rowWorst[i - first];
                        for (int j = j0; j < j1; j++) {
                            double reach = Math.max(worst, colWorst[j]) + ui + v[j];  // key < worst needs c_ij < reach
                            if (reach <= 0 || tile[t + j] > metric.squaredOf(reach)) {
                                continue;
                            }
                            double key = metric.fromSquared(tile[t + j]) - ui - v[j];
                            if (key < worst) {
                                worst = TopK.offer(rowBestSq, rowBest, ro, kr, key, j);
                            }
                            if (key < colWorst[j]) {
                                colWorst[j] = TopK.offer(cSq, cIdx, j * kc, kc, key, i);
                            }
                        }
                        rowWorst[i - first] = worst;
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
                        TopK.offer(colBestSq, colBest, j * kc, kc, sq, blockCol[block][j * kc + s]);
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

    /**
     * Duals of a random subproblem of at most {@code denseEntries} pairs (a quarter of the problem at most), solved
     * exactly on its kept matrix, extended to every point by one c-transform each way against the sample on the
     * projected bound. Null when the sample would have fewer than 100 points a side.
     */
    static double[][] sampledDuals(Weights a, Weights b, PairwiseCost cost, Projection bound, ExactOptions options,
                                   java.util.function.Consumer<String> progress) {
        int n = cost.rows();
        int m = cost.cols();
        double pairs = (double) n * m;
        double ratio = Math.sqrt(Math.min(options.denseEntries(), pairs / 4) / pairs);
        int ns = (int) (n * ratio);
        int ms = (int) (m * ratio);
        if (ns < 100 || ms < 100) {
            return null;
        }
        long t0 = System.nanoTime();
        java.util.SplittableRandom random = new java.util.SplittableRandom(0x5a3b1eL);
        int[] sx = sample(n, ns, random);
        int[] sy = sample(m, ms, random);
        Weights as = a.restrict(sx);
        Weights bs = b.restrict(sy);
        if (as == null || bs == null) {
            return null;
        }
        if (progress != null) {
            progress.accept(String.format(java.util.Locale.ROOT, "sample %d x %d: solving it for a first estimate of the duals", ns, ms));
        }
        ExactResult sub = solve(as, bs, new PairwiseCost(cost.x().select(sx), cost.y().select(sy), cost.metric()),
                options.withSampledStart(false), progress == null ? null : line -> progress.accept("sample: " + line),
                kernel -> kernel::priceInParallel);
        if (sub.status() != Status.OPTIMAL) {
            return null;
        }
        double[] v = bound.transformToColumns(sx, sub.u(), cost.metric());
        double[] u = bound.transformToRows(sy, sub.v(), cost.metric());
        if (progress != null) {
            progress.accept(String.format(java.util.Locale.ROOT, "sample %d x %d: cost %.10g in %d rounds; duals extended, %.2f s",
                    ns, ms, sub.cost(), sub.rounds(), (System.nanoTime() - t0) / 1e9));
        }
        return new double[][] {u, v};
    }

    private static int[] sample(int n, int k, java.util.SplittableRandom random) {
        int[] all = identity(n);
        for (int t = 0; t < k; t++) {
            int p = t + random.nextInt(n - t);
            int swap = all[t];
            all[t] = all[p];
            all[p] = swap;
        }
        int[] chosen = Arrays.copyOf(all, k);
        Arrays.sort(chosen);
        return chosen;
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
    static void feasiblePlanArcs(Weights a, Weights b, org.wganspark.ot.cost.PairCost cost, int[] rows, int[] cols, ArcList out) {
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
        private transient PairSet seen;

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
                seen = new PairSet();
            }
            if (seen.add(i, j)) {
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

        /** The pairs added through {@link #addUnique} (a list built only that way holds each pair once). */
        PairSet uniquePairs() {
            if (seen == null) {
                seen = new PairSet();
            }
            return seen;
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
