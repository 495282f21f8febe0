package org.wganspark.ot.exact;

/**
 * The pairs of most negative reduced cost of several rows, each row with its own capacity: a max-heap per row
 * on the reduced cost, so a heavy row that may take thousands of arcs pays O(log capacity) per candidate.
 */
final class MostNegative {

    private final int[] start;     // row r's heap occupies [start[r], start[r] + capacity[r])
    private final int[] capacity;
    private final int[] size;
    private final int[] col;
    private final double[] reduced;
    private final double[] cost;

    MostNegative(int[] capacity) {
        this.capacity = capacity;
        this.start = new int[capacity.length + 1];
        for (int r = 0; r < capacity.length; r++) {
            start[r + 1] = start[r] + capacity[r];
        }
        this.size = new int[capacity.length];
        int total = start[capacity.length];
        this.col = new int[total];
        this.reduced = new double[total];
        this.cost = new double[total];
    }

    int size(int r) {
        return size[r];
    }

    int col(int r, int k) {
        return col[start[r] + k];
    }

    double cost(int r, int k) {
        return cost[start[r] + k];
    }

    /** Offers at or above this are refused: the row's worst kept reduced cost once it is full, else +infinity. */
    double bar(int r) {
        if (capacity[r] == 0) {
            return Double.NEGATIVE_INFINITY;
        }
        return size[r] < capacity[r] ? Double.POSITIVE_INFINITY : reduced[start[r]];
    }

    void clear() {
        java.util.Arrays.fill(size, 0);
    }

    /** Offers column j of row r; kept if the row has room or j beats the row's worst kept pair. */
    void offer(int r, int j, double rc, double c) {
        int base = start[r];
        int count = size[r];
        if (count < capacity[r]) {
            int at = count;  // sift up
            while (at > 0) {
                int parent = (at - 1) >> 1;
                if (reduced[base + parent] >= rc) {
                    break;
                }
                move(base + parent, base + at);
                at = parent;
            }
            put(base + at, j, rc, c);
            size[r] = count + 1;
        } else if (count > 0 && rc < reduced[base]) {
            int at = 0;  // replace the worst (the root), sift down
            while (true) {
                int child = 2 * at + 1;
                if (child >= count) {
                    break;
                }
                if (child + 1 < count && reduced[base + child + 1] > reduced[base + child]) {
                    child++;
                }
                if (reduced[base + child] <= rc) {
                    break;
                }
                move(base + child, base + at);
                at = child;
            }
            put(base + at, j, rc, c);
        }
    }

    private void move(int from, int to) {
        col[to] = col[from];
        reduced[to] = reduced[from];
        cost[to] = cost[from];
    }

    private void put(int at, int j, double rc, double c) {
        col[at] = j;
        reduced[at] = rc;
        cost[at] = c;
    }
}
