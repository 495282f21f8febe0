package org.wganspark.ot.exact;

import org.wganspark.ot.cost.Deduplicated;

/**
 * A transport plan by its nonzeros: mass[k] moves from row[k] to col[k]. An optimal basic plan has at most
 * n + m - 1 entries.
 */
public record SparsePlan(int[] row, int[] col, double[] mass) {

    public SparsePlan {
        if (row.length != col.length || row.length != mass.length) {
            throw new IllegalArgumentException("plan arrays differ in length: " + row.length + ", " + col.length + ", " + mass.length);
        }
    }

    public int size() {
        return row.length;
    }

    /** Sum of mass * cost, compensated (Kahan), so long plans lose no digits. */
    public double cost(org.wganspark.ot.cost.PairCost c) {
        double sum = 0;
        double carry = 0;
        for (int k = 0; k < row.length; k++) {
            double term = mass[k] * c.cost(row[k], col[k]) - carry;
            double t = sum + term;
            carry = (t - sum) - term;
            sum = t;
        }
        return sum;
    }

    /** The sum of the masses. */
    public double totalMass() {
        double sum = 0;
        for (double v : mass) {
            sum += v;
        }
        return sum;
    }

    /**
     * This plan between merged point sets as a plan between the original points: each distinct point's mass is split
     * over its copies in proportion to their weights, rows first, then columns (a north-west corner rule within each
     * point, so at most one extra entry per copy). Copies are the same point, so the cost is unchanged and an
     * optimal plan stays optimal, and each original point gets its own weight as its marginal.
     *
     * @param rows the merging of the rows (null: rows were not merged)
     * @param cols the merging of the columns (null: likewise)
     */
    public SparsePlan unmerge(Deduplicated rows, Deduplicated cols) {
        SparsePlan byRows = rows == null ? this : split(this, rows, true);
        return cols == null ? byRows : split(byRows, cols, false);
    }

    /** Splits the row (or column) of every entry over the copies of its distinct point. */
    private static SparsePlan split(SparsePlan plan, Deduplicated merged, boolean rows) {
        int[] key = rows ? plan.row : plan.col;
        int[] other = rows ? plan.col : plan.row;
        int distinct = merged.points().n();
        int[] entryStart = groupStarts(key, distinct);
        int[] entries = grouped(key, entryStart);
        int[] copyStart = groupStarts(merged.distinctOf(), distinct);
        int[] copies = grouped(merged.distinctOf(), copyStart);
        Pieces out = new Pieces(plan.size() + merged.distinctOf().length);
        for (int u = 0; u < distinct; u++) {
            int e0 = entryStart[u];
            int e1 = entryStart[u + 1];
            int c0 = copyStart[u];
            int c1 = copyStart[u + 1];
            if (e0 == e1) {
                continue;
            }
            double total = 0;
            for (int e = e0; e < e1; e++) {
                total += plan.mass[entries[e]];
            }
            double weight = 0;
            for (int c = c0; c < c1; c++) {
                weight += merged.original().get(copies[c]);
            }
            int c = c0;
            int e = e0;
            double copyLeft = share(merged, copies[c], total, weight, c1 - c0);
            double entryLeft = plan.mass[entries[e]];
            while (c < c1 && e < e1) {
                int entry = entries[e];
                if (c == c1 - 1) {  // the last copy takes whatever is left of each entry
                    out.add(copies[c], other[entry], entryLeft, rows);
                    if (++e < e1) {
                        entryLeft = plan.mass[entries[e]];
                    }
                } else if (e == e1 - 1 || copyLeft <= entryLeft) {
                    double take = Math.min(copyLeft, entryLeft);
                    out.add(copies[c], other[entry], take, rows);
                    entryLeft -= take;
                    if (++c < c1) {
                        copyLeft = share(merged, copies[c], total, weight, c1 - c0);
                    }
                } else {
                    out.add(copies[c], other[entry], entryLeft, rows);
                    copyLeft -= entryLeft;
                    if (++e < e1) {
                        entryLeft = plan.mass[entries[e]];
                    }
                }
            }
        }
        return out.plan();
    }

    /** The part of a distinct point's plan mass that copy {@code i} takes: its share of the weight (equal shares for zero weight). */
    private static double share(Deduplicated merged, int i, double total, double weight, int copies) {
        return weight > 0 ? total * (merged.original().get(i) / weight) : total / copies;
    }

    /** start[g] = the first slot of group g in an array grouped by {@code group}, start[groups] = its length. */
    private static int[] groupStarts(int[] group, int groups) {
        int[] start = new int[groups + 1];
        for (int g : group) {
            start[g + 1]++;
        }
        for (int g = 0; g < groups; g++) {
            start[g + 1] += start[g];
        }
        return start;
    }

    /** The indices 0..length-1 grouped by {@code group}, in index order within a group. */
    private static int[] grouped(int[] group, int[] start) {
        int[] next = java.util.Arrays.copyOf(start, start.length - 1);
        int[] out = new int[group.length];
        for (int k = 0; k < group.length; k++) {
            out[next[group[k]]++] = k;
        }
        return out;
    }

    /** A growing plan. */
    private static final class Pieces {
        private int[] row;
        private int[] col;
        private double[] mass;
        private int size;

        Pieces(int capacity) {
            row = new int[Math.max(16, capacity)];
            col = new int[row.length];
            mass = new double[row.length];
        }

        void add(int copy, int other, double m, boolean copyIsRow) {
            if (!(m > 0)) {
                return;
            }
            if (size == row.length) {
                row = java.util.Arrays.copyOf(row, size * 2);
                col = java.util.Arrays.copyOf(col, size * 2);
                mass = java.util.Arrays.copyOf(mass, size * 2);
            }
            row[size] = copyIsRow ? copy : other;
            col[size] = copyIsRow ? other : copy;
            mass[size++] = m;
        }

        SparsePlan plan() {
            return new SparsePlan(java.util.Arrays.copyOf(row, size), java.util.Arrays.copyOf(col, size), java.util.Arrays.copyOf(mass, size));
        }
    }
}
