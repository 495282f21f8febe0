package org.wganspark.model;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * Spectral normalization of a critic's weights (Miyato et al. 2018): every weight matrix W (a convolution's kernel
 * as out x (in k k), a dense layer's as in x out) is used as W / sigma(W), sigma estimated by one power iteration
 * per update from a persistent vector u. The network always holds the normalized weights, so every evaluation
 * (critic step, generator step) sees them; the raw weights and u live here and are what the optimizer updates,
 * what is averaged across workers and what a checkpoint keeps. The raw gradient follows from the normalized one
 * with u, v held fixed (sigma = u^T W v): dL/dW = (G - <G, W / sigma> u v^T) / sigma, G = dL/d(W / sigma).
 */
public final class SpectralNorm {

    /** One normalized weight: where it sits in the flat parameters, its matrix shape, the power-iteration state. */
    private static final class Weight {
        final long offset;
        final int rows;
        final int cols;
        final char order;
        final long[] shape;
        final double[] u;
        final double[] v;
        double sigma;

        Weight(long offset, int rows, int cols, char order, long[] shape) {
            this.offset = offset;
            this.rows = rows;
            this.cols = cols;
            this.order = order;
            this.shape = shape;
            this.u = new double[rows];
            this.v = new double[cols];
        }
    }

    private final List<Weight> weights = new ArrayList<>();
    private final double[] raw;

    /**
     * @param critic a network holding the raw weights (they are replaced by the normalized ones)
     * @param u      the power-iteration vectors of a previous run (concatenated), or empty to start from seeded normals
     */
    public SpectralNorm(MultiLayerNetwork critic, float[] u, long seed) {
        long base = critic.params().offset();
        for (Map.Entry<String, INDArray> p : critic.paramTable().entrySet()) {
            if (!p.getKey().endsWith("_W")) {
                continue;
            }
            INDArray w = p.getValue();
            long[] s = w.shape();
            int rows = (int) s[0];
            int cols = (int) (w.length() / rows);
            weights.add(new Weight(w.offset() - base, rows, cols, w.ordering(), s));
        }
        java.util.SplittableRandom random = new java.util.SplittableRandom(seed);
        int at = 0;
        for (Weight w : weights) {
            for (int i = 0; i < w.rows; i++) {
                w.u[i] = u.length > 0 ? u[at + i] : random.nextGaussian();
            }
            at += w.rows;
            normalizeInPlace(w.u);
        }
        if (u.length > 0 && u.length != at) {
            throw new IllegalArgumentException("spectral-norm state holds " + u.length + " values, the critic's weights need " + at);
        }
        raw = critic.params().castTo(org.nd4j.linalg.api.buffer.DataType.DOUBLE).dup('c').data().asDouble();
        normalize(critic);
    }

    /** The power-iteration vectors, concatenated (for the averaged state and checkpoints). */
    public float[] vectors() {
        int size = weights.stream().mapToInt(w -> w.rows).sum();
        float[] out = new float[size];
        int at = 0;
        for (Weight w : weights) {
            for (int i = 0; i < w.rows; i++) {
                out[at++] = (float) w.u[i];
            }
        }
        return out;
    }

    /** The raw (unnormalized) parameters, flat in the network's layout. */
    public float[] rawParameters() {
        float[] out = new float[raw.length];
        for (int k = 0; k < raw.length; k++) {
            out[k] = (float) raw[k];
        }
        return out;
    }

    /**
     * One optimizer step: {@code gradient} is dL/d(normalized parameters) as computed on the network; its weight
     * parts are carried to the raw weights, {@code optimizerStep} (the trainer's optimizer) steps the raw parameters
     * from the network's gradient view at {@code iteration}, and the network then holds the new raw weights normalized
     * after one more power iteration.
     */
    public void step(MultiLayerNetwork critic, INDArray gradient, int iteration, double clip, java.util.function.IntConsumer optimizerStep) {
        double[] g = rawGradient(gradient);
        critic.params().assign(Nd4j.createFromArray(raw).castTo(critic.params().dataType()));
        ((org.deeplearning4j.nn.updater.MultiLayerUpdater) critic.getUpdater()).getFlattenedGradientsView()
                .assign(Nd4j.createFromArray(g).castTo(critic.params().dataType()));
        optimizerStep.accept(iteration);
        if (clip > 0) {
            Networks.clip(critic, clip);
        }
        double[] updated = critic.params().castTo(org.nd4j.linalg.api.buffer.DataType.DOUBLE).dup('c').data().asDouble();
        System.arraycopy(updated, 0, raw, 0, raw.length);
        normalize(critic);
    }

    /** dL/d(raw parameters) from dL/d(normalized parameters), u and v held at the last power iteration's. */
    double[] rawGradient(INDArray gradient) {
        double[] g = gradient.castTo(org.nd4j.linalg.api.buffer.DataType.DOUBLE).dup('c').data().asDouble();
        INDArray flat = Nd4j.createFromArray(g);
        INDArray rawFlat = Nd4j.createFromArray(raw);
        for (Weight w : weights) {
            double[] matrix = read(flat, w);
            double[] weight = read(rawFlat, w);
            double inner = 0;  // <G, W / sigma>
            for (int k = 0; k < matrix.length; k++) {
                inner += matrix[k] * weight[k];
            }
            inner /= w.sigma;
            for (int i = 0; i < w.rows; i++) {
                double ui = inner * w.u[i];
                for (int j = 0; j < w.cols; j++) {
                    matrix[i * w.cols + j] = (matrix[i * w.cols + j] - ui * w.v[j]) / w.sigma;
                }
            }
            write(matrix, w, g);
        }
        return g;
    }

    /** The parameters the network would hold for these raw ones with u and v fixed: each W / (u^T W v). */
    double[] normalizedParameters(double[] rawParameters) {
        double[] normalized = rawParameters.clone();
        INDArray flat = Nd4j.createFromArray(rawParameters);
        for (Weight w : weights) {
            double[] m = read(flat, w);
            double sigma = 0;
            for (int i = 0; i < w.rows; i++) {
                double s = 0;
                for (int j = 0; j < w.cols; j++) {
                    s += m[i * w.cols + j] * w.v[j];
                }
                sigma += w.u[i] * s;
            }
            for (int k = 0; k < m.length; k++) {
                m[k] /= sigma;
            }
            write(m, w, normalized);
        }
        return normalized;
    }

    /** The raw parameters (double). */
    double[] raw() {
        return raw.clone();
    }

    /** One power iteration per weight (v = W^T u / |.|, u = W v / |.|, sigma = u^T W v); the network gets W / sigma. */
    private void normalize(MultiLayerNetwork critic) {
        double[] normalized = raw.clone();
        INDArray flat = Nd4j.createFromArray(raw);
        for (Weight w : weights) {
            double[] m = read(flat, w);
            java.util.Arrays.fill(w.v, 0);
            for (int i = 0; i < w.rows; i++) {
                double ui = w.u[i];
                for (int j = 0; j < w.cols; j++) {
                    w.v[j] += m[i * w.cols + j] * ui;
                }
            }
            normalizeInPlace(w.v);
            double sigma = 0;
            for (int i = 0; i < w.rows; i++) {
                double s = 0;
                for (int j = 0; j < w.cols; j++) {
                    s += m[i * w.cols + j] * w.v[j];
                }
                w.u[i] = s;
                sigma += s * s;
            }
            sigma = Math.sqrt(sigma);  // u^T W v with u = W v / |W v|
            normalizeInPlace(w.u);
            w.sigma = Math.max(sigma, 1e-12);
            for (int k = 0; k < m.length; k++) {
                m[k] /= w.sigma;
            }
            write(m, w, normalized);
        }
        critic.params().assign(Nd4j.createFromArray(normalized).castTo(critic.params().dataType()));
    }

    /** The weight's values from a flat array in the network's layout, as a row-major rows x cols matrix. */
    private static double[] read(INDArray flat, Weight w) {
        INDArray view = flat.get(NDArrayIndex.interval(w.offset, w.offset + (long) w.rows * w.cols));
        return view.reshape(w.order, w.shape).reshape('c', w.rows, w.cols).dup('c').data().asDouble();
    }

    /** Writes a row-major rows x cols matrix back into a flat array in the network's layout. */
    private static void write(double[] matrix, Weight w, double[] flat) {
        // the flat layout of a parameter view with this ordering is its values read in that ordering
        double[] values = Nd4j.toFlattened(w.order, Nd4j.createFromArray(matrix).reshape('c', w.shape)).data().asDouble();
        System.arraycopy(values, 0, flat, (int) w.offset, values.length);
    }

    private static void normalizeInPlace(double[] x) {
        double norm = 0;
        for (double value : x) {
            norm += value * value;
        }
        norm = Math.sqrt(norm);
        if (norm > 0) {
            for (int k = 0; k < x.length; k++) {
                x[k] /= norm;
            }
        }
    }

    /** The current estimate of each weight's largest singular value (the raw weights'). */
    public double[] sigmas() {
        return weights.stream().mapToDouble(w -> w.sigma).toArray();
    }
}
