package org.wganspark.data;

import java.util.Iterator;
import java.util.SplittableRandom;
import org.apache.hadoop.conf.Configuration;

/**
 * The 2-D benchmark of the GAN literature: 8 Gaussians (std 0.03) centred on a ring of radius 0.7, inside a Tanh
 * generator's range. Row r is a function of r alone (its own seeded generator), so any partitioning, any retry
 * and any machine read the same points. Source name {@code ring8}; 100,000 rows unless {@code data.limit} says less.
 */
public record RingSource(long rows) implements RowSource {

    public static final String NAME = "ring8";
    static final long DEFAULT_ROWS = 100_000;
    private static final double RADIUS = 0.7;
    private static final double STD = 0.03;

    @Override
    public ImageShape shape() {
        return ImageShape.flat(2);
    }

    @Override
    public String describe() {
        return NAME + ": " + rows + " points of 8 Gaussians (std " + STD + ") on a ring of radius " + RADIUS;
    }

    @Override
    public Iterator<FloatBlock> read(long first, long count, int blockRows, Configuration conf) {
        return new RowBlocks(first, count, blockRows, 2, rows) {
            @Override
            protected void fill(long firstRow, int n, float[] values, double[] doubles) {
                for (int i = 0; i < n; i++) {
                    SplittableRandom random = new SplittableRandom((firstRow + i) * 0x9E3779B97F4A7C15L + 0x2545F4914F6CDD1DL);
                    double angle = 2 * Math.PI * random.nextInt(8) / 8;
                    values[2 * i] = (float) (RADIUS * Math.cos(angle) + STD * random.nextGaussian());
                    values[2 * i + 1] = (float) (RADIUS * Math.sin(angle) + STD * random.nextGaussian());
                }
            }
        };
    }

    @Override
    public RowSource limit(long limit) {
        return limit <= 0 ? this : new RingSource(Math.min(rows, limit));
    }
}
