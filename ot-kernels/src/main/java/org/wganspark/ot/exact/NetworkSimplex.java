package org.wganspark.ot.exact;

import java.util.Arrays;
import org.wganspark.ot.Status;
import org.wganspark.ot.Weights;

/**
 * Primal network simplex for the transportation problem
 * <pre>
 *   min sum_ij P_ij c_ij   s.t.  sum_j P_ij = a_i,  sum_i P_ij = b_j,  P >= 0,
 * </pre>
 * over a dense cost matrix or a sparse arc list, with dual potentials: u_i + v_j <= c_ij on every arc,
 * with equality on the plan. Supplies are whole numbers (counts, or general weights in units of 2^-52 of the
 * mass), so every flow is exact in double and the marginals balance exactly.
 *
 * <p>The spanning tree hangs from an artificial root joined to every node by an artificial arc of cost
 * {@code art}. It starts small (2 max c + 1, so potentials stay well scaled) and grows only if artificial
 * flow survives at the optimum of the restricted problem. Leaving arcs follow Cunningham's rule, which keeps
 * the tree strongly feasible and prevents cycling; entering arcs come from block search.
 *
 * <p>The reported potentials are finished by {@link FinalDuals} (zero-weight rows and columns, the dual's free constant).
 *
 * <p>An instance keeps its tree: {@link #addArcs} followed by {@link #solve} continues from the last basis,
 * which is how the shortlist solver grows its problem.
 *
 * <p>References: [1] Ahuja, Magnanti, Orlin, Network Flows (1993), ch. 11. [2] Cunningham, A network simplex
 * method, Math. Programming 11 (1976). [3] Grigoriadis, An efficient implementation of the network simplex
 * method, Math. Programming Study 26 (1986) (block search).
 */
public final class NetworkSimplex {

    private final int n;
    private final int m;
    private final int nodes;   // n + m + root
    private final int root;
    private final double[] supply;  // per node: +a_i for rows, -b_j for columns, scaled to whole numbers
    private final double scale;     // plan mass = flow / scale
    private final Weights a;
    private final Weights b;

    // arcs: dense (id = i * m + j) or a growing sparse list
    private final boolean dense;
    private double[] cost;
    private int[] arcRow;
    private int[] arcCol;
    private int arcCount;
    private double maxCost;

    // spanning tree, by node; artificial arc of node w has id -1 - w
    private final int[] parent;
    private final int[] pred;
    private final boolean[] predUp;   // pred arc runs node -> parent
    private final double[] flow;      // flow on pred arc
    private final int[] depth;
    private final double[] potential;
    private final int[] firstChild;
    private final int[] nextSibling;
    private final int[] prevSibling;
    private final int[] stack;
    private double art;

    private int cursor;
    private long pivots;
    /** Long solves report here every {@link #REPORT_NANOS} (null: silent). */
    private java.util.function.Consumer<String> progress;
    private static final long REPORT_NANOS = 10_000_000_000L;

    private NetworkSimplex(Weights a, Weights b, boolean dense, double[] cost, int[] rows, int[] cols, int count) {
        this.a = a;
        this.b = b;
        this.n = a.size();
        this.m = b.size();
        this.nodes = n + m + 1;
        this.root = n + m;
        this.dense = dense;
        this.cost = cost;
        this.arcRow = rows;
        this.arcCol = cols;
        this.arcCount = count;
        this.supply = new double[nodes];
        this.scale = WholeSupplies.fill(a, b, supply);
        parent = new int[nodes];
        pred = new int[nodes];
        predUp = new boolean[nodes];
        flow = new double[nodes];
        depth = new int[nodes];
        potential = new double[nodes];
        firstChild = new int[nodes];
        nextSibling = new int[nodes];
        prevSibling = new int[nodes];
        stack = new int[nodes];
        for (int k = 0; k < count; k++) {
            double c = cost[k];
            if (!(c >= 0) || Double.isInfinite(c)) {
                throw new IllegalArgumentException("cost of arc " + k + " is " + c + ", expected a finite value >= 0");
            }
            maxCost = Math.max(maxCost, c);
        }
        art = 2 * maxCost + 1;
        initialTree();
    }

    /** A solver over the dense n x m matrix {@code cost} (row-major, not modified). */
    public static NetworkSimplex dense(Weights a, Weights b, double[] cost) {
        if ((long) a.size() * b.size() != cost.length) {
            throw new IllegalArgumentException("cost has " + cost.length + " entries, a and b need " + a.size() + " x " + b.size());
        }
        return new NetworkSimplex(a, b, true, cost, null, null, cost.length);
    }

    /** A solver over the arcs (rows[k], cols[k]) with costs[k]; the arrays are copied. */
    public static NetworkSimplex sparse(Weights a, Weights b, int[] rows, int[] cols, double[] costs) {
        if (rows.length != cols.length || rows.length != costs.length) {
            throw new IllegalArgumentException("arc arrays differ in length: " + rows.length + ", " + cols.length + ", " + costs.length);
        }
        for (int k = 0; k < rows.length; k++) {
            if (rows[k] < 0 || rows[k] >= a.size() || cols[k] < 0 || cols[k] >= b.size()) {
                throw new IllegalArgumentException("arc " + k + " = (" + rows[k] + ", " + cols[k] + ") outside " + a.size() + " x " + b.size());
            }
        }
        int capacity = Math.max(16, rows.length);
        return new NetworkSimplex(a, b, false, Arrays.copyOf(costs, capacity), Arrays.copyOf(rows, capacity),
                Arrays.copyOf(cols, capacity), rows.length);
    }

    /** One-shot dense solve. */
    public static ExactResult solve(Weights a, Weights b, double[] cost, ExactOptions options) {
        return dense(a, b, cost).solve(options);
    }

    /** Appends arcs to a sparse instance; the current basis stays, so the next solve is warm. */
    public void addArcs(int[] rows, int[] cols, double[] costs, int count) {
        if (dense) {
            throw new IllegalStateException("a dense instance already has every arc");
        }
        if (arcCount + count > arcRow.length) {
            int capacity = Math.max(arcCount + count, arcRow.length + arcRow.length / 2);
            arcRow = Arrays.copyOf(arcRow, capacity);
            arcCol = Arrays.copyOf(arcCol, capacity);
            cost = Arrays.copyOf(cost, capacity);
        }
        System.arraycopy(rows, 0, arcRow, arcCount, count);
        System.arraycopy(cols, 0, arcCol, arcCount, count);
        System.arraycopy(costs, 0, cost, arcCount, count);
        for (int k = arcCount; k < arcCount + count; k++) {
            maxCost = Math.max(maxCost, cost[k]);
        }
        arcCount += count;
    }

    /** Long solves print a line to {@code progress} every 10 s (pivots so far); null keeps them silent. */
    public void reportTo(java.util.function.Consumer<String> progress) {
        this.progress = progress;
    }

    /** The largest arc cost so far: the scale of the optimality tolerance. */
    public double maxCost() {
        return maxCost;
    }

    public int arcCount() {
        return arcCount;
    }

    // ---------------------------------------------------------------- tree set-up

    private void initialTree() {
        Arrays.fill(firstChild, -1);
        parent[root] = -1;
        pred[root] = Integer.MIN_VALUE;
        depth[root] = 0;
        for (int w = 0; w < root; w++) {
            parent[w] = root;
            pred[w] = -1 - w;
            // rows with supply point to the root; everything else hangs away from it (strongly feasible)
            predUp[w] = supply[w] > 0;
            flow[w] = Math.abs(supply[w]);
            depth[w] = 1;
            addChild(root, w);
        }
        recomputePotentials();
    }

    private double arcCost(int arc) {
        return arc >= 0 ? cost[arc] : art;
    }

    private int rowOf(int arc) {
        return dense ? arc / m : arcRow[arc];
    }

    private int colOf(int arc) {
        return dense ? arc % m : arcCol[arc];
    }

    /** Potentials from the tree alone (root 0), so rounding does not pile up over pivots. */
    private void recomputePotentials() {
        potential[root] = 0;
        int top = 0;
        for (int c = firstChild[root]; c >= 0; c = nextSibling[c]) {
            stack[top++] = c;
        }
        while (top > 0) {
            int w = stack[--top];
            int p = parent[w];
            double c = arcCost(pred[w]);
            // reduced cost c + pi_source - pi_target = 0 on tree arcs
            potential[w] = predUp[w] ? potential[p] - c : potential[p] + c;
            depth[w] = depth[p] + 1;
            for (int ch = firstChild[w]; ch >= 0; ch = nextSibling[ch]) {
                stack[top++] = ch;
            }
        }
    }

    private void addChild(int p, int c) {
        int first = firstChild[p];
        nextSibling[c] = first;
        prevSibling[c] = -1;
        if (first >= 0) {
            prevSibling[first] = c;
        }
        firstChild[p] = c;
    }

    private void removeChild(int p, int c) {
        int prev = prevSibling[c];
        int next = nextSibling[c];
        if (prev >= 0) {
            nextSibling[prev] = next;
        } else {
            firstChild[p] = next;
        }
        if (next >= 0) {
            prevSibling[next] = prev;
        }
    }

    // ---------------------------------------------------------------- pivoting

    /** Block search: the most negative reduced cost in the first block that has one; -1 when none. */
    private int findEnteringArc(double threshold) {
        int count = arcCount;
        if (count == 0) {
            return -1;
        }
        int block = Math.max(10, (int) Math.sqrt(count));
        double best = -threshold;
        int bestArc = -1;
        int inBlock = 0;
        int arc = cursor >= count ? 0 : cursor;
        if (dense) {
            int i = arc / m;
            int j = arc % m;
            for (int scanned = 0; scanned < count; scanned++) {
                double rc = cost[arc] + potential[i] - potential[n + j];
                if (rc < best) {
                    best = rc;
                    bestArc = arc;
                }
                arc++;
                if (++j == m) {
                    j = 0;
                    if (++i == n) {
                        i = 0;
                        arc = 0;
                    }
                }
                if (++inBlock == block) {
                    if (bestArc >= 0) {
                        cursor = arc;
                        return bestArc;
                    }
                    inBlock = 0;
                }
            }
        } else {
            for (int scanned = 0; scanned < count; scanned++) {
                double rc = cost[arc] + potential[arcRow[arc]] - potential[n + arcCol[arc]];
                if (rc < best) {
                    best = rc;
                    bestArc = arc;
                }
                if (++arc == count) {
                    arc = 0;
                }
                if (++inBlock == block) {
                    if (bestArc >= 0) {
                        cursor = arc;
                        return bestArc;
                    }
                    inBlock = 0;
                }
            }
        }
        cursor = arc;
        return bestArc;
    }

    private void pivot(int entering) {
        int source = rowOf(entering);
        int target = n + colOf(entering);
        // join: the first common ancestor of the two ends
        int p = source;
        int q = target;
        while (p != q) {
            if (depth[p] > depth[q]) {
                p = parent[p];
            } else if (depth[q] > depth[p]) {
                q = parent[q];
            } else {
                p = parent[p];
                q = parent[q];
            }
        }
        int join = p;
        // Flow runs source -> target, then up from target to join, then down from join to source.
        // Cunningham: the last blocking arc in that order leaves ('<' on the source side, '<=' on the target side).
        double delta = Double.POSITIVE_INFINITY;
        int leaving = -1;
        boolean leavingOnSourceSide = false;
        for (int w = source; w != join; w = parent[w]) {
            if (predUp[w] && flow[w] < delta) {
                delta = flow[w];
                leaving = w;
                leavingOnSourceSide = true;
            }
        }
        for (int w = target; w != join; w = parent[w]) {
            if (!predUp[w] && flow[w] <= delta) {
                delta = flow[w];
                leaving = w;
                leavingOnSourceSide = false;
            }
        }
        if (leaving < 0) {
            throw new IllegalStateException("no blocking arc on the cycle: unbounded (negative cycle)");
        }
        if (delta > 0) {
            for (int w = source; w != join; w = parent[w]) {
                flow[w] += predUp[w] ? -delta : delta;
            }
            for (int w = target; w != join; w = parent[w]) {
                flow[w] += predUp[w] ? delta : -delta;
            }
        }
        // re-hang the subtree below the leaving arc from the entering arc's end inside it
        int inside = leavingOnSourceSide ? source : target;
        int outside = leavingOnSourceSide ? target : source;
        double reduced = cost[entering] + potential[source] - potential[target];
        double shift = leavingOnSourceSide ? -reduced : reduced;
        removeChild(parent[leaving], leaving);
        int newParent = outside;
        int newPred = entering;
        double newFlow = delta;
        boolean newUp = leavingOnSourceSide;  // entering arc runs source -> target
        int w = inside;
        while (true) {
            int oldParent = parent[w];
            int oldPred = pred[w];
            double oldFlow = flow[w];
            boolean oldUp = predUp[w];
            if (w != leaving) {
                removeChild(oldParent, w);
            }
            parent[w] = newParent;
            pred[w] = newPred;
            flow[w] = newFlow;
            predUp[w] = newUp;
            addChild(newParent, w);
            if (w == leaving) {
                break;
            }
            newParent = w;
            newPred = oldPred;
            newFlow = oldFlow;
            newUp = !oldUp;
            w = oldParent;
        }
        // shift potentials and depths of the moved subtree
        int top = 0;
        stack[top++] = inside;
        while (top > 0) {
            int x = stack[--top];
            potential[x] += shift;
            depth[x] = depth[parent[x]] + 1;
            for (int ch = firstChild[x]; ch >= 0; ch = nextSibling[ch]) {
                stack[top++] = ch;
            }
        }
        pivots++;
    }

    // ---------------------------------------------------------------- solve and read out

    /** Pivots until no arc has a negative reduced cost (or the pivot budget runs out). */
    public ExactResult solve(ExactOptions options) {
        long budget = options.maxPivots();
        long start = pivots;
        int sinceRecompute = 0;
        long began = System.nanoTime();
        long nextReport = began + REPORT_NANOS;
        for (int attempt = 0; ; attempt++) {
            double threshold = options.tolerance() * Math.max(maxCost, Double.MIN_NORMAL);
            while (true) {
                if (pivots - start >= budget) {
                    return result(Status.MAX_ITERATIONS);
                }
                int entering = findEnteringArc(threshold);
                if (entering < 0) {
                    recomputePotentials();
                    sinceRecompute = 0;
                    entering = findEnteringArc(threshold);
                    if (entering < 0) {
                        break;
                    }
                }
                pivot(entering);
                if (++sinceRecompute >= nodes) {
                    recomputePotentials();
                    sinceRecompute = 0;
                }
                if (progress != null && (pivots & 4095) == 0 && System.nanoTime() > nextReport) {
                    nextReport = System.nanoTime() + REPORT_NANOS;
                    progress.accept(String.format(java.util.Locale.ROOT, "simplex: %d pivots in %.0f s, %d arcs, %d nodes", pivots - start,
                            (System.nanoTime() - began) / 1e9, arcCount, nodes - 1));
                }
            }
            if (!artificialFlowRemains()) {
                return result(Status.OPTIMAL);
            }
            // Artificial flow left: either the arc set has no feasible plan, or art was too cheap.
            if (art > (maxCost + 1) * nodes * 4.0 || attempt > 8) {
                return result(Status.INFEASIBLE);
            }
            art *= 16;
            recomputePotentials();
        }
    }

    private boolean artificialFlowRemains() {
        for (int w = 0; w < root; w++) {
            if (pred[w] < 0 && flow[w] > 0.5) {
                return true;
            }
        }
        return false;
    }

    private ExactResult result(Status status) {
        int count = 0;
        for (int w = 0; w < root; w++) {
            if (pred[w] >= 0 && flow[w] > 0) {
                count++;
            }
        }
        int[] rows = new int[count];
        int[] cols = new int[count];
        double[] mass = new double[count];
        int k = 0;
        double total = 0;
        double carry = 0;
        for (int w = 0; w < root; w++) {
            if (pred[w] >= 0 && flow[w] > 0) {
                rows[k] = rowOf(pred[w]);
                cols[k] = colOf(pred[w]);
                mass[k] = flow[w] / scale;
                double term = mass[k] * cost[pred[w]] - carry;
                double t = total + term;
                carry = (t - total) - term;
                total = t;
                k++;
            }
        }
        double[] u = new double[n];
        double[] v = new double[m];
        for (int i = 0; i < n; i++) {
            u[i] = -potential[i];
        }
        for (int j = 0; j < m; j++) {
            v[j] = potential[n + j];
        }
        FinalDuals.tightenZeroWeight(u, v, supply, arcCount, this::rowOf, this::colOf, arc -> cost[arc]);
        FinalDuals.center(u, v, a, b);
        return new ExactResult(total, u, v, new SparsePlan(rows, cols, mass), status, pivots, 0, arcCount, null);
    }
}
