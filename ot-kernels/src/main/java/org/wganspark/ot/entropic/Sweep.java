package org.wganspark.ot.entropic;

/**
 * What a sweep over a block of rows returns: the column masses its rows send under the new f, the rows'
 * marginal error before the step, and, under the new f, the block's total mass and its share of <P, C>.
 */
public record Sweep(double[] columnMass, double rowError, double mass, double transport) implements java.io.Serializable {

    /** Sum of the parts' column masses, in the parts' order (so any split summed in order gives the same bits). */
    public static double[] columnMass(Sweep[] parts, int m) {
        double[] total = new double[m];
        for (Sweep part : parts) {
            for (int j = 0; j < m; j++) {
                total[j] += part.columnMass[j];
            }
        }
        return total;
    }
}
