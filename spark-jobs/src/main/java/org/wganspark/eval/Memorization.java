package org.wganspark.eval;

import java.util.Arrays;
import java.util.Locale;
import java.util.Map;
import org.wganspark.ot.cost.NearestNeighbours;
import org.wganspark.ot.cost.PointSet;

/**
 * The memorization readout of Fig. 6 (Elnekave & Weiss): a generated image whose nearest training image is much
 * closer than its second-nearest (distance ratio below a threshold) is a near copy of that one image.
 *
 * @param distance  each generated image's distance to its nearest training image
 * @param copies    how many are copies at the given ratio
 * @param median    the median nearest distance (the mean of the middle two for an even count)
 * @param csv       nearest.csv: generated, nearest, distance, second_distance, ratio
 */
public record Memorization(double[] distance, int copies, double median, double mean, String csv) {

    public static Memorization of(NearestNeighbours nn, int count, double copyRatio) {
        double[] distance = new double[count];
        int copies = 0;
        StringBuilder csv = new StringBuilder("generated,nearest,distance,second_distance,ratio\n");
        for (int i = 0; i < count; i++) {
            distance[i] = Math.sqrt(nn.first()[i]);
            double ratio = nn.ratio(i);
            copies += ratio < copyRatio ? 1 : 0;
            csv.append(String.format(Locale.ROOT, "%d,%d,%.6g,%.6g,%.4f%n", i, nn.nearest()[i], distance[i], Math.sqrt(nn.second()[i]), ratio));
        }
        double[] sorted = distance.clone();
        Arrays.sort(sorted);
        double median = count % 2 == 1 ? sorted[count / 2] : (sorted[count / 2 - 1] + sorted[count / 2]) / 2;
        return new Memorization(distance, copies, median, Arrays.stream(distance).average().orElse(0), csv.toString());
    }

    /** The first {@code shown} generated images in one row and their nearest training images below them, as grid rows. */
    public static float[] pairs(PointSet generated, NearestNeighbours nn, Map<Long, float[]> nearestRows, int shown) {
        int size = generated.d();
        float[] grid = new float[2 * shown * size];
        System.arraycopy(generated.values(), 0, grid, 0, shown * size);
        for (int i = 0; i < shown; i++) {
            System.arraycopy(nearestRows.get(nn.nearest()[i]), 0, grid, (shown + i) * size, size);
        }
        return grid;
    }
}
