package org.wganspark.model;

import java.util.SplittableRandom;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The generator's latent distribution: normal, uniform [0, 1), or the
 * discrete table {@code const=M}, M codes drawn once from N(0, I). A batch of size M is the whole table in
 * order; any other size draws rows with replacement. All draws come from the caller's seeded generator.
 */
public final class Prior {

    private final String kind;
    private final int zDim;
    private final float[] table;  // M x zDim for const=M, else null
    private final int size;

    private Prior(String kind, int zDim, float[] table, int size) {
        this.kind = kind;
        this.zDim = zDim;
        this.table = table;
        this.size = size;
    }

    /** {@code normal}, {@code uniform} or {@code const=M}; the table (if any) is drawn from {@code seed}. */
    public static Prior parse(String spec, int zDim, long seed) {
        if (spec.equals("normal") || spec.equals("uniform")) {
            return new Prior(spec, zDim, null, 0);
        }
        if (spec.startsWith("onehot=")) {
            Prior p = oneHot(parseSize(spec.substring(7)));
            if (p.zDim != zDim) {
                throw new IllegalArgumentException("prior: onehot=M needs z-dim M, found " + spec + " with z-dim " + zDim);
            }
            return p;
        }
        if (spec.startsWith("const=")) {
            int m;
            try {
                m = Integer.parseInt(spec.substring(6));
            } catch (NumberFormatException e) {
                m = -1;
            }
            if (m < 1) {
                throw new IllegalArgumentException("prior: expected const=M with M >= 1, found '" + spec + "'");
            }
            SplittableRandom random = new SplittableRandom(seed);
            float[] t = new float[m * zDim];
            for (int k = 0; k < t.length; k++) {
                t[k] = (float) random.nextGaussian();
            }
            return new Prior("const", zDim, t, m);
        }
        throw new IllegalArgumentException("prior: expected normal, uniform or const=M, found '" + spec + "'");
    }

    /**
     * M one-hot codes: with a single linear layer without bias, G(e_i) is row i of the weights, so the generator is M
     * free images (the paper's pixels generator).
     */
    public static Prior oneHot(int m) {
        if (m < 1) {
            throw new IllegalArgumentException("prior: expected const=M with M >= 1, found M = " + m);
        }
        float[] t = new float[m * m];
        for (int i = 0; i < m; i++) {
            t[i * m + i] = 1;
        }
        return new Prior("const", m, t, m);
    }

    private static int parseSize(String m) {
        try {
            return Integer.parseInt(m);
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    public boolean discrete() {
        return table != null;
    }

    /** The whole table, in order (discrete priors only). */
    public INDArray all(DataType type) {
        return Nd4j.create(table, new long[] {size, zDim}, 'c').castTo(type);
    }

    /** Rows [from, to) of the table (discrete priors only): a worker's share of a whole-table batch. */
    public INDArray rows(int from, int to, DataType type) {
        return Nd4j.create(java.util.Arrays.copyOfRange(table, from * zDim, to * zDim), new long[] {to - from, zDim}, 'c').castTo(type);
    }

    public int size() {
        return size;
    }

    public INDArray sample(int batch, SplittableRandom random, DataType type) {
        if (table != null && batch == size) {
            return all(type);
        }
        float[] z = new float[batch * zDim];
        for (int b = 0; b < batch; b++) {
            if (table != null) {
                System.arraycopy(table, random.nextInt(size) * zDim, z, b * zDim, zDim);
            } else {
                for (int k = 0; k < zDim; k++) {
                    z[b * zDim + k] = (float) (kind.equals("normal") ? random.nextGaussian() : random.nextDouble());
                }
            }
        }
        return Nd4j.create(z, new long[] {batch, zDim}, 'c').castTo(type);
    }
}
