package org.wganspark.ot.loss;

/**
 * A distance between a generated set X and a data set Y, minimized directly (no critic), and its gradient with
 * respect to X's coordinates.
 *
 * @param value    the distance
 * @param gradient d value / d x, row-major like X's values (n x d)
 */
public record LossGradient(double value, double[] gradient) {
}
