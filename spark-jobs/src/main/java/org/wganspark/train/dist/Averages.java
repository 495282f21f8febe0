package org.wganspark.train.dist;

import java.util.List;

/** The element-wise mean that parameter averaging and averaged regression apply to their workers' arrays. */
final class Averages {

    private Averages() {
    }

    /**
     * Element-wise mean of equally shaped float arrays, each element summed in double in list order, written over the
     * first part's arrays (the parts are this round's freshly deserialized results: no 36 MB of new arrays a round).
     */
    static float[][] meanIntoFirst(List<float[][]> parts) {
        int count = parts.size();
        float[][] result = parts.get(0);
        double[] sum = new double[4096];  // a block of running sums in double, each element summed in part order
        for (int f = 0; f < result.length; f++) {
            float[] mean = result[f];
            for (int from = 0; from < mean.length; from += sum.length) {
                int size = Math.min(sum.length, mean.length - from);
                for (int k = 0; k < size; k++) {
                    sum[k] = mean[from + k];
                }
                for (int p = 1; p < count; p++) {
                    float[] values = parts.get(p)[f];
                    for (int k = 0; k < size; k++) {
                        sum[k] += values[from + k];
                    }
                }
                for (int k = 0; k < size; k++) {
                    mean[from + k] = (float) (sum[k] / count);
                }
            }
        }
        return result;
    }
}
