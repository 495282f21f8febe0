package org.wganspark.ot.cost;

/** c(i, j) for any pair, computed on demand (the dense matrix need not exist). */
@FunctionalInterface
public interface PairCost {
    double cost(int i, int j);
}
