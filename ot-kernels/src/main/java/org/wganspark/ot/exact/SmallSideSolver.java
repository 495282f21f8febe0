package org.wganspark.ot.exact;

import java.util.Arrays;
import java.util.Locale;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.stream.IntStream;
import org.wganspark.ot.Status;
import org.wganspark.ot.Weights;
import org.wganspark.ot.cost.PairwiseCost;

/**
 * Exact OT when the rows are few and far fewer than the columns (n << m: the 64 images of a generated set against the
 * 60,000 of a training set), by column generation in which most columns leave the linear program.
 *
 * <p><b>Structure.</b> Given row potentials u, the best column potentials are the c-transform
 * v_j = min_i (c_ij - u_i), and an optimal basic plan sends all of column j's mass to its argmin row except on at most
 * n - 1 split columns. So a column with a single arc in the restricted problem is <em>fixed</em>: its flow is b_j on
 * that arc, its potential is c_hj - u_h, and it can be removed from the network, leaving its row with less supply.
 * The network simplex then solves only the rows and the columns near a cell boundary.
 *
 * <p><b>Algorithm.</b> (1) One pass over all pairs gives every column's costs to all rows. (2) Row potentials u come
 * from log-domain Sinkhorn with epsilon scaling ({@link EntropicBalance}). (3) Each column is fixed to its best row
 * under u, except those whose two best rows are within the smallest 5 % of those gaps and those a row cannot hold
 * (a row whose fixed columns would exceed its mass gives up those closest to a tie): they form the boundary, with
 * both arcs. (4) <em>Guards</em>: for every pair of rows (h, i) the fixed column at h that moves to i at the least
 * extra cost c_ij - c_hj joins the boundary too; while it stays at h the reduced problem's potentials keep
 * u_i - u_h &lt;= c_ij - c_hj, which is every fixed column's constraint with row i, so the potentials cannot drift
 * away from what the fixed columns allow (without guards they do: the reduced problem leaves them free).
 * (5) Repeat: solve the reduced problem (rows with their remaining supply, boundary columns, their arcs plus a
 * north-west-corner plan that makes it feasible) exactly; extend the duals to the fixed columns; price every pair
 * (as {@link ShortlistSolver} does, with the projected bound); a violated pair (i, j) adds the arc, and a fixed
 * column becomes a boundary column. No violated pair: the plan is optimal for the whole problem, and that last pass
 * is the certificate's all-pairs dual check.
 *
 * <p>The restricted problem is a linear program over a growing set of arcs, so this is ordinary column generation
 * (it ends, and the answer is the optimum whatever the estimate); the estimate only decides how few columns the
 * simplex sees. Supplies are whole numbers in the units of lcm(total count of a, total count of b), so removing a
 * column changes a row's supply exactly.
 *
 * <p>References: Gottschlich and Schuhmacher, The shortlist method for fast computation of the Earth Mover's
 * Distance and finding optimal solutions to transportation problems, PLoS ONE (2014); Schmitzer, A sparse multiscale
 * algorithm for dense optimal transport, J. Math. Imaging Vision (2016); Santambrogio, Optimal Transport for Applied
 * Mathematicians (2015), sec. 1.2 (c-transforms), and Mérigot and Thibert, Optimal transport: discretization and
 * algorithms (2021), sec. 4 (the semi-discrete dual over the small side).
 */
public final class SmallSideSolver {

    /** Columns per row at which the structure pays. */
    static final int MIN_RATIO = 8;
    /**
     * Most rows: the start keeps all n costs of every column and runs Sinkhorn over them, work that grows with n; the
     * shortlist solver takes larger n.
     */
    static final int MAX_ROWS = 100;
    /** Below this many columns the shortlist solver is as fast. */
    static final int MIN_COLUMNS = 10_000;
    /** Most pairs: it keeps all n x m costs with their row indices (12 bytes a pair) and a transposed index (8 more). */
    static final long MAX_PAIRS = 50_000_000L;
    /** Share of the columns that start on the boundary. */
    private static final double BOUNDARY_SHARE = 0.05;

    private SmallSideSolver() {
    }

    /**
     * Whether this solver takes the problem: a few rows (at most {@link #MAX_ROWS}) against many more columns, at most
     * {@link #MAX_PAIRS} pairs, both sides' weights counts with a common unit that fits.
     */
    public static boolean applies(Weights a, Weights b) {
        long n = a.size();
        long m = b.size();
        return n <= MAX_ROWS && n * m <= MAX_PAIRS && n * MIN_RATIO <= m && m >= MIN_COLUMNS && a.hasCounts() && b.hasCounts()
                && commonUnits(a.total(), b.total()) > 0;
    }

    /** lcm of the totals, or 0 when it would not fit comfortably in a long. */
    static long commonUnits(long ta, long tb) {
        long g = gcd(ta, tb);
        long l = (ta / g);
        return l > (1L << 50) / tb ? 0 : l * tb;
    }

    private static long gcd(long p, long q) {
        return q == 0 ? p : gcd(q, p % q);
    }

    public static ExactResult solve(Weights a, Weights b, PairwiseCost cost, ExactOptions options, Consumer<String> progress,
                                    Function<PricingKernel, ShortlistSolver.Pricer> pricerFactory) {
        return new Run(a, b, cost, options, progress).solve(pricerFactory);
    }

    private static final class Run {
        final Weights a;
        final Weights b;
        final PairwiseCost cost;
        final ExactOptions options;
        final Consumer<String> progress;
        final int n;
        final int m;
        final long units;
        final long[] rowUnits;
        final long[] colUnits;
        /** Row of each fixed column, -1 for a boundary column. */
        final int[] home;
        final double[] homeCost;
        final long[] fixedUnits;
        final ArcList arcs = new ArcList();
        final long start = System.nanoTime();

        Run(Weights a, Weights b, PairwiseCost cost, ExactOptions options, Consumer<String> progress) {
            this.a = a;
            this.b = b;
            this.cost = cost;
            this.options = options;
            this.progress = progress;
            this.n = a.size();
            this.m = b.size();
            this.units = commonUnits(a.total(), b.total());
            this.rowUnits = new long[n];
            this.colUnits = new long[m];
            for (int i = 0; i < n; i++) {
                rowUnits[i] = a.count(i) * (units / a.total());
            }
            for (int j = 0; j < m; j++) {
                colUnits[j] = b.count(j) * (units / b.total());
            }
            this.home = new int[m];
            this.homeCost = new double[m];
            this.fixedUnits = new long[n];
        }

        ExactResult solve(Function<PricingKernel, ShortlistSolver.Pricer> pricerFactory) {
            double[] u = balancedStart();
            Projection bound = Projection.of(cost.x(), cost.y(), ShortlistSolver.BOUND_RANK, 0x5eedL);
            ShortlistSolver.Pricer pricer = pricerFactory.apply(new PricingKernel(cost, bound, options.tolerance(),
                    ShortlistSolver.rowCapacity(a, m, options.addPerRow())));
            double maxCost = 0;
            for (int j = 0; j < m; j++) {
                maxCost = Math.max(maxCost, homeCost[j]);
            }
            long pivots = 0;
            double slack = 0;
            for (int round = 1; round <= options.maxRounds(); round++) {
                long t0 = System.nanoTime();
                Reduced reduced = reduced();
                ExactResult r = NetworkSimplex.sparse(reduced.rows, reduced.cols, reduced.arcRows, reduced.arcCols, reduced.arcCosts).solve(options);
                pivots += r.pivots();
                for (int k = 0; k < reduced.arcCosts.length; k++) {
                    maxCost = Math.max(maxCost, reduced.arcCosts[k]);
                }
                if (r.status() != Status.OPTIMAL) {
                    return new ExactResult(Double.NaN, null, null, null, r.status(), pivots, round, arcs.size(), null);
                }
                u = r.u();
                double[] v = columnDuals(u, reduced.boundary, r.v());
                long t1 = System.nanoTime();
                PricingKernel.Pricing pricing = pricer.price(u, v, maxCost, slack);
                if (pricing.violations() == 0) {
                    report(round, reduced, r, t0, t1, pricing, 0, 0);
                    SparsePlan plan = plan(reduced, r.plan());
                    double total = plan.cost(cost::cost);
                    double maxViolation = pricing.maxViolation();
                    for (int k = 0; k < plan.size(); k++) {
                        maxViolation = Math.max(maxViolation, u[plan.row()[k]] + v[plan.col()[k]] - cost.cost(plan.row()[k], plan.col()[k]));
                    }
                    Certificate certificate = Certificate.withViolation(a, b, cost::cost, u, v, plan, maxViolation, (long) n * m);
                    return new ExactResult(total, u, v, plan, Status.OPTIMAL, pivots, round, arcs.size(), certificate);
                }
                int added = 0;
                int released = 0;
                for (int k = 0; k < pricing.count(); k++) {
                    int j = pricing.cols()[k];
                    if (home[j] >= 0) {
                        if (pricing.costs()[k] - u[pricing.rows()[k]] - v[j] >= 0) {
                            continue;  // nearly binding only: a fixed column is released when it violates
                        }
                        release(j);
                        released++;
                    }
                    if (arcs.uniquePairs().add(pricing.rows()[k], j)) {
                        arcs.add(pricing.rows()[k], j, pricing.costs()[k]);
                        added++;
                    }
                }
                report(round, reduced, r, t0, t1, pricing, added, released);
                slack = pricing.violations() < n ? Math.max(0, pricing.maxViolation()) : 0;
            }
            return new ExactResult(Double.NaN, null, null, null, Status.MAX_ITERATIONS, pivots, options.maxRounds(), arcs.size(), null);
        }

        private void report(int round, Reduced reduced, ExactResult r, long t0, long t1, PricingKernel.Pricing pricing, int added, int released) {
            if (progress != null) {
                progress.accept(String.format(Locale.ROOT, "round %d: %d boundary columns of %d, %d arcs; simplex %d pivots %.3f s; pricing %.3f s: "
                                + "%d violated pairs, %d arcs added, %d columns released",
                        round, reduced.boundary.length, m, reduced.arcCosts.length, r.pivots(), (t1 - t0) / 1e9, (System.nanoTime() - t1) / 1e9,
                        pricing.violations(), added, released));
            }
        }

        /**
         * The start: each column's costs to every row, entropic row potentials over them, each column fixed to its best
         * row, and the first boundary: the heavy columns, the columns closest to a tie, those a full row cannot keep,
         * and the guards.
         */
        double[] balancedStart() {
            ColumnCosts c = ColumnCosts.of(cost, rowUnits, colUnits);
            if (progress != null) {
                progress.accept(String.format(Locale.ROOT, "costs: %d rows a column (%d heavy columns), %.2f s", n,
                        c.heavy, (System.nanoTime() - start) / 1e9));
            }
            EntropicBalance balance = new EntropicBalance(c, rowUnits, colUnits, n, m);
            double[] u = balance.run(progress, start);
            int[] second = balance.secondRow;
            float[] gap = new float[m];
            for (int j = 0; j < m; j++) {
                home[j] = balance.bestRow[j];
                homeCost[j] = c.cost(home[j], j);
                gap[j] = (float) (balance.secondValue[j] - balance.bestValue[j]);
                fixedUnits[home[j]] += colUnits[j];
            }
            for (int j = 0; j < m; j++) {
                if (c.isHeavy(j)) {
                    release(j);
                    for (int i = 0; i < n; i++) {
                        if (arcs.uniquePairs().add(i, j)) {
                            arcs.add(i, j, c.cost(i, j));
                        }
                    }
                }
            }
            float[] sorted = gap.clone();
            Arrays.sort(sorted);
            float threshold = sorted[(int) Math.min(m - 1, (long) (BOUNDARY_SHARE * m))];
            for (int j = 0; j < m; j++) {
                if (home[j] >= 0 && gap[j] <= threshold && second[j] >= 0) {
                    releaseWith(j, second[j]);
                }
            }
            // rows that would receive more than their mass give up the columns nearest a tie
            boolean over = false;
            for (int i = 0; i < n; i++) {
                over |= fixedUnits[i] > rowUnits[i];
            }
            if (over) {
                double[] wide = new double[m];
                for (int j = 0; j < m; j++) {
                    wide[j] = gap[j];
                }
                int[] byGap = org.wganspark.ot.IndexSort.argsort(wide);
                for (int j : byGap) {
                    if (home[j] >= 0 && fixedUnits[home[j]] > rowUnits[home[j]]) {
                        if (second[j] >= 0) {
                            releaseWith(j, second[j]);
                        } else {
                            release(j);
                        }
                    }
                }
            }
            int guards = releaseGuards(c);
            if (progress != null) {
                progress.accept(String.format(Locale.ROOT, "guards: %d columns released", guards));
                long boundary = Arrays.stream(home).filter(h -> h < 0).count();
                progress.accept(String.format(Locale.ROOT, "start: %d of %d columns on the boundary, the rest fixed; %.2f s", boundary, m,
                        (System.nanoTime() - start) / 1e9));
            }
            return u;
        }

        /**
         * For every pair of rows (h, i), the fixed column at h whose move to row i costs least,
         * c_ij - c_hj, joins the boundary: while it stays at h, u_i - u_h <= c_ij - c_hj holds, and so every fixed
         * column at h keeps its constraint with row i. The reduced problem's potentials then cannot drift from
         * what the fixed columns allow.
         */
        private int releaseGuards(ColumnCosts c) {
            double[] best = new double[n * n];
            int[] who = new int[n * n];
            Arrays.fill(best, Double.POSITIVE_INFINITY);
            Arrays.fill(who, -1);
            for (int j = 0; j < m; j++) {
                int h = home[j];
                if (h < 0) {
                    continue;
                }
                for (int i = 0; i < n; i++) {
                    if (i != h) {
                        double d = c.cost(i, j) - homeCost[j];
                        int key = h * n + i;
                        if (d < best[key]) {
                            best[key] = d;
                            who[key] = j;
                        }
                    }
                }
            }
            int released = 0;
            for (int key = 0; key < n * n; key++) {
                int j = who[key];
                if (j >= 0) {
                    released += home[j] >= 0 ? 1 : 0;
                    releaseWith(j, key % n);  // a column already released by another pair gets the arc
                }
            }
            return released;
        }

        /** Column j joins the boundary with its home arc and an arc to row {@code other}. */
        private void releaseWith(int j, int other) {
            release(j);
            if (arcs.uniquePairs().add(other, j)) {
                arcs.add(other, j, cost.cost(other, j));
            }
        }

        /** Column j joins the boundary, keeping its home arc. */
        private void release(int j) {
            int h = home[j];
            if (h < 0) {
                return;
            }
            home[j] = -1;
            fixedUnits[h] -= colUnits[j];
            if (arcs.uniquePairs().add(h, j)) {
                arcs.add(h, j, homeCost[j]);
            }
        }

        /** The boundary problem: rows with what the fixed columns leave, boundary columns, their arcs and a feasible plan's. */
        Reduced reduced() {
            int[] boundary = IntStream.range(0, m).filter(j -> home[j] < 0).toArray();
            int[] position = new int[m];
            Arrays.fill(position, -1);
            for (int k = 0; k < boundary.length; k++) {
                position[boundary[k]] = k;
            }
            long[] rowLeft = new long[n];
            for (int i = 0; i < n; i++) {
                rowLeft[i] = rowUnits[i] - fixedUnits[i];
            }
            long[] colNeed = new long[boundary.length];
            for (int k = 0; k < boundary.length; k++) {
                colNeed[k] = colUnits[boundary[k]];
            }
            Weights rows = Weights.counts(rowLeft);
            Weights cols = Weights.counts(colNeed);
            ArcList list = new ArcList();
            int[] ar = arcs.rows();
            int[] ac = arcs.cols();
            double[] cc = arcs.costs();
            for (int k = 0; k < ar.length; k++) {
                list.addUnique(ar[k], position[ac[k]], cc[k]);
            }
            int[] rowOrder = IntStream.range(0, n).filter(i -> rowLeft[i] > 0).toArray();
            int[] colOrder = IntStream.range(0, boundary.length).toArray();
            ArcList corner = new ArcList();
            northWestCorner(rowLeft, rowOrder, colNeed, colOrder, corner);
            int[] cornerRows = corner.rows();
            int[] cornerCols = corner.cols();
            for (int k = 0; k < cornerRows.length; k++) {
                int i = cornerRows[k];
                int c = cornerCols[k];
                if (arcs.uniquePairs().add(i, boundary[c])) {
                    double cij = cost.cost(i, boundary[c]);
                    arcs.add(i, boundary[c], cij);
                    list.addUnique(i, c, cij);
                }
            }
            return new Reduced(rows, cols, boundary, list.rows(), list.cols(), list.costs(), units - Arrays.stream(fixedUnits).sum());
        }

        /** The column potentials: the boundary's from the simplex, a fixed column's tight on its arc. */
        double[] columnDuals(double[] u, int[] boundary, double[] vBoundary) {
            double[] v = new double[m];
            for (int j = 0; j < m; j++) {
                v[j] = home[j] >= 0 ? homeCost[j] - u[home[j]] : Double.NaN;
            }
            for (int k = 0; k < boundary.length; k++) {
                v[boundary[k]] = vBoundary[k];
            }
            return v;
        }

        /** The whole plan: fixed columns on their arcs, the boundary's flows in the whole problem's mass. */
        SparsePlan plan(Reduced reduced, SparsePlan boundaryPlan) {
            int fixed = 0;
            for (int j = 0; j < m; j++) {
                fixed += home[j] >= 0 ? 1 : 0;
            }
            int size = fixed + boundaryPlan.size();
            int[] row = new int[size];
            int[] col = new int[size];
            double[] mass = new double[size];
            int k = 0;
            for (int j = 0; j < m; j++) {
                if (home[j] >= 0) {
                    row[k] = home[j];
                    col[k] = j;
                    mass[k++] = colUnits[j] / (double) units;
                }
            }
            double share = reduced.units / (double) units;
            for (int t = 0; t < boundaryPlan.size(); t++) {
                row[k] = boundaryPlan.row()[t];
                col[k] = reduced.boundary[boundaryPlan.col()[t]];
                mass[k++] = boundaryPlan.mass()[t] * share;
            }
            return new SparsePlan(row, col, mass);
        }
    }

    /** The boundary problem of one round. */
    private record Reduced(Weights rows, Weights cols, int[] boundary, int[] arcRows, int[] arcCols, double[] arcCosts, long units) {
    }

    /** North-west corner arcs over whole-number supplies in the given orders: a feasible plan's support. */
    static void northWestCorner(long[] supply, int[] rows, long[] demand, int[] cols, ArcList out) {
        long[] left = new long[rows.length];
        for (int p = 0; p < rows.length; p++) {
            left[p] = supply[rows[p]];
        }
        long need = cols.length > 0 ? demand[cols[0]] : 0;
        int p = 0;
        int q = 0;
        while (p < rows.length && q < cols.length) {
            out.add(rows[p], cols[q], 0);
            long moved = Math.min(left[p], need);
            left[p] -= moved;
            need -= moved;
            if (left[p] == 0 && p < rows.length - 1) {
                p++;
            } else if (need == 0) {
                q++;
                need = q < cols.length ? demand[cols[q]] : 0;
            } else {
                p++;
            }
        }
    }

}
