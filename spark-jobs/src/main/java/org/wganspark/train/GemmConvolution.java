package org.wganspark.train;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.util.Map;
import org.bytedeco.openblas.global.openblas_nolapack;
import org.deeplearning4j.nn.conf.CNN2DFormat;
import org.deeplearning4j.nn.conf.ConvolutionMode;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer.AlgoMode;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer.BwdDataAlgo;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer.BwdFilterAlgo;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer.FwdAlgo;
import org.deeplearning4j.nn.gradient.DefaultGradient;
import org.deeplearning4j.nn.gradient.Gradient;
import org.deeplearning4j.nn.layers.convolution.ConvolutionHelper;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.params.ConvolutionParamInitializer;
import org.deeplearning4j.nn.workspace.ArrayType;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.nd4j.common.primitives.Pair;
import org.nd4j.linalg.activations.IActivation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * A DL4J convolution layer's forward and backward pass as one column matrix and three OpenBLAS products (convolution as
 * matrix multiplication, Chellapilla, Puri and Simard 2006): the columns X^T hold, for every kernel tap (c, ky, kx),
 * the input pixel each output position reads; then Z = W X^T, dW = Delta X, dX^T = W^T Delta, and the input gradient
 * is dX^T summed back onto the pixels. The layout keeps the output channel as the slow index, so every product is
 * one call and the NCHW activations are block copies of it.
 *
 * <p>Why: DL4J 1.0.0-M2.1's oneDNN convolutions ran the Fig. 7 critic's layers at a few GFLOP/s on one thread (a
 * 128-image forward and backward pass of its 64-channel second layer 125 ms, these products 55 ms), and a CNN critic
 * step is almost all convolutions. Only for float NCHW layers without dilation in Truncate or Strict mode; anything
 * else returns null, and DL4J takes its own path. Installed by {@link #install} on the CPU backend (host memory);
 * {@code -Dwgan.gemm-conv=false} leaves DL4J's choice.
 */
final class GemmConvolution implements ConvolutionHelper, java.io.Serializable {

    private static final long serialVersionUID = 1L;
    private static final int ROW_MAJOR = 101;
    private static final int NO_TRANS = 111;
    private static final int TRANS = 112;

    /** The column matrix X^T [taps, positions] of the last forward pass, and the input it was built from. */
    private transient FloatBuffer columns;
    private transient INDArray columnsOf;
    /** Z or Delta as [output channels, positions]; dX^T [taps, positions]. Reused from call to call. */
    private transient FloatBuffer channelMajor;
    private transient FloatBuffer columnGradient;
    /** Heap copies: the input the columns were built from, an input gradient, one row of X^T. */
    private transient float[] pixels;
    private transient float[] inputGradient;
    private transient float[] tapRow;
    /** The weights and bias of the product in channelMajor, while it holds Z (between a forward pass and a backward one). */
    private transient float[] zWeights;
    private transient float[] zBias;
    private transient boolean holdsZ;
    /** Forward passes served from channelMajor (a test reads it). */
    transient long reusedPasses;

    /** Puts this helper on every plain convolution layer of {@code net} (not the transposed ones, a subclass). */
    static void install(MultiLayerNetwork net) {
        if (!OffHeap.HOST_MEMORY || !Boolean.parseBoolean(System.getProperty("wgan.gemm-conv", "true"))) {
            return;
        }
        for (org.deeplearning4j.nn.api.Layer layer : net.getLayers()) {
            if (layer.getClass() == org.deeplearning4j.nn.layers.convolution.ConvolutionLayer.class) {
                try {
                    java.lang.reflect.Field helper = org.deeplearning4j.nn.layers.convolution.ConvolutionLayer.class.getDeclaredField("helper");
                    helper.setAccessible(true);
                    helper.set(layer, new GemmConvolution());
                } catch (ReflectiveOperationException e) {
                    return;  // another DL4J version: its own helpers stay
                }
            }
        }
    }

    /** The sizes of one layer's pass. */
    private record Geometry(int batch, int channels, int height, int width, int outChannels, int kh, int kw, int sy, int sx, int py, int px,
                            int outHeight, int outWidth) {
        int taps() {
            return channels * kh * kw;
        }

        int positionsPerImage() {
            return outHeight * outWidth;
        }

        int positions() {
            return batch * outHeight * outWidth;
        }
    }

    private static Geometry geometry(INDArray input, INDArray weights, int[] kernel, int[] strides, int[] pad, ConvolutionMode mode,
                                     int[] dilation, CNN2DFormat format) {
        if (input.dataType() != DataType.FLOAT || weights.dataType() != DataType.FLOAT || input.rank() != 4
                || (format != null && format != CNN2DFormat.NCHW) || (mode != ConvolutionMode.Truncate && mode != ConvolutionMode.Strict)
                || (dilation != null && (dilation[0] != 1 || dilation[1] != 1)) || weights.size(1) != input.size(1)) {
            return null;
        }
        int height = (int) input.size(2);
        int width = (int) input.size(3);
        int outHeight = (height + 2 * pad[0] - kernel[0]) / strides[0] + 1;
        int outWidth = (width + 2 * pad[1] - kernel[1]) / strides[1] + 1;
        long columnsSize = input.size(1) * kernel[0] * kernel[1] * input.size(0) * outHeight * outWidth;
        if (outHeight < 1 || outWidth < 1 || columnsSize * Float.BYTES > Integer.MAX_VALUE) {
            return null;
        }
        return new Geometry((int) input.size(0), (int) input.size(1), height, width, (int) weights.size(0), kernel[0], kernel[1], strides[0],
                strides[1], pad[0], pad[1], outHeight, outWidth);
    }

    @Override
    public INDArray preOutput(INDArray input, INDArray weights, INDArray bias, int[] kernel, int[] strides, int[] pad, AlgoMode mode,
                              FwdAlgo fwdAlgo, ConvolutionMode convolutionMode, int[] dilation, CNN2DFormat format, LayerWorkspaceMgr workspaces) {
        Geometry g = geometry(input, weights, kernel, strides, pad, convolutionMode, dilation, format);
        if (g == null) {
            return null;
        }
        int positions = g.positions();
        INDArray w = contiguous(weights);
        float[] b = bias == null ? new float[g.outChannels()] : contiguous(bias).toFloatVector();
        // DL4J's backward pass first recomputes the forward pass it follows; Z is still here when nothing has changed
        if (!(holdsZ && columnsOf == input && sameFloats(at(contiguous(input)), pixels, g.batch() * g.channels() * g.height() * g.width())
                && sameFloats(at(w), zWeights, g.outChannels() * g.taps()) && java.util.Arrays.equals(b, zBias))) {
            buildColumns(input, g);
            channelMajor = capacity(channelMajor, (long) g.outChannels() * positions);
            openblas_nolapack.cblas_sgemm(ROW_MAJOR, NO_TRANS, NO_TRANS, g.outChannels(), positions, g.taps(), 1f, at(w), g.taps(), columns,
                    positions, 0f, channelMajor, positions);
            zWeights = scratch(zWeights, g.outChannels() * g.taps());
            at(w).get(0, zWeights, 0, g.outChannels() * g.taps());
            zBias = b;
            holdsZ = true;
        } else {
            reusedPasses++;
        }
        INDArray z = workspaces.createUninitialized(ArrayType.ACTIVATIONS, DataType.FLOAT, g.batch(), g.outChannels(), g.outHeight(), g.outWidth());
        FloatBuffer out = at(z);
        int perImage = g.positionsPerImage();
        float[] row = new float[perImage];
        for (int co = 0; co < g.outChannels(); co++) {
            for (int n = 0; n < g.batch(); n++) {
                channelMajor.get(co * positions + n * perImage, row, 0, perImage);
                if (b[co] != 0f) {
                    for (int p = 0; p < perImage; p++) {
                        row[p] += b[co];
                    }
                }
                out.put((n * g.outChannels() + co) * perImage, row, 0, perImage);
            }
        }
        return z;
    }

    @Override
    public Pair<Gradient, INDArray> backpropGradient(INDArray input, INDArray weights, INDArray bias, INDArray delta, int[] kernel, int[] strides, int[] pad,
                                                     INDArray biasGradView, INDArray weightGradView, IActivation afn, AlgoMode mode,
                                                     BwdFilterAlgo bwdFilterAlgo, BwdDataAlgo bwdDataAlgo, ConvolutionMode convolutionMode,
                                                     int[] dilation, CNN2DFormat format, LayerWorkspaceMgr workspaces) {
        Geometry g = geometry(input, weights, kernel, strides, pad, convolutionMode, dilation, format);
        if (g == null || !isContiguous(weightGradView) || delta.dataType() != DataType.FLOAT) {
            return null;
        }
        // DL4J recomputes the forward pass just before, so the columns are almost always this input's
        if (columnsOf != input || !sameFloats(at(contiguous(input)), pixels, g.batch() * g.channels() * g.height() * g.width())) {
            buildColumns(input, g);
        }
        int positions = g.positions();
        int perImage = g.positionsPerImage();
        int taps = g.taps();
        // Delta as [output channels, positions], and the bias gradient as its row sums
        holdsZ = false;
        channelMajor = capacity(channelMajor, (long) g.outChannels() * positions);
        FloatBuffer d = at(contiguous(delta));
        float[] row = new float[perImage];
        float[] biasGradient = new float[g.outChannels()];
        for (int co = 0; co < g.outChannels(); co++) {
            double sum = 0;
            for (int n = 0; n < g.batch(); n++) {
                d.get((n * g.outChannels() + co) * perImage, row, 0, perImage);
                for (int p = 0; p < perImage; p++) {
                    sum += row[p];
                }
                channelMajor.put(co * positions + n * perImage, row, 0, perImage);
            }
            biasGradient[co] = (float) sum;
        }
        FloatBuffer w = at(contiguous(weights));
        openblas_nolapack.cblas_sgemm(ROW_MAJOR, NO_TRANS, TRANS, g.outChannels(), taps, positions, 1f, channelMajor, positions, columns,
                positions, 0f, at(weightGradView), taps);
        columnGradient = capacity(columnGradient, (long) taps * positions);
        openblas_nolapack.cblas_sgemm(ROW_MAJOR, TRANS, NO_TRANS, taps, positions, g.outChannels(), 1f, w, taps, channelMajor, positions, 0f,
                columnGradient, positions);
        INDArray epsilon = workspaces.create(ArrayType.ACTIVATION_GRAD, DataType.FLOAT, g.batch(), g.channels(), g.height(), g.width());
        sumColumnsOntoPixels(at(epsilon), g);
        Gradient gradient = new DefaultGradient();
        if (biasGradView != null && biasGradView.length() == g.outChannels()) {
            for (int co = 0; co < g.outChannels(); co++) {
                biasGradView.putScalar(co, biasGradient[co]);
            }
            gradient.setGradientFor(ConvolutionParamInitializer.BIAS_KEY, biasGradView);
        }
        gradient.setGradientFor(ConvolutionParamInitializer.WEIGHT_KEY, weightGradView, 'c');
        return new Pair<>(gradient, epsilon);
    }

    /** X^T [taps, positions]: row (c, ky, kx), column (n, oy, ox) holds x[n, c, oy sy - py + ky, ox sx - px + kx] (0 outside). */
    private void buildColumns(INDArray input, Geometry g) {
        int positions = g.positions();
        columns = capacity(columns, (long) g.taps() * positions);
        // heap copies: element-wise access to the direct buffers is several times slower than the products themselves
        pixels = scratch(pixels, g.batch() * g.channels() * g.height() * g.width());
        at(contiguous(input)).get(0, pixels, 0, g.batch() * g.channels() * g.height() * g.width());
        tapRow = scratch(tapRow, positions);
        float[] x = pixels;
        float[] row = tapRow;
        int plane = g.height() * g.width();
        for (int c = 0; c < g.channels(); c++) {
            for (int ky = 0; ky < g.kh(); ky++) {
                for (int kx = 0; kx < g.kw(); kx++) {
                    // the outputs whose column ox * sx - px + kx lies inside the image: [first, last)
                    int first = Math.max(0, ceilDiv(g.px() - kx, g.sx()));
                    int last = Math.min(g.outWidth(), ceilDiv(g.width() + g.px() - kx, g.sx()));
                    int sx = g.sx();
                    int to = 0;
                    for (int n = 0; n < g.batch(); n++) {
                        int image = (n * g.channels() + c) * plane;
                        for (int oy = 0; oy < g.outHeight(); oy++, to += g.outWidth()) {
                            int iy = oy * g.sy() - g.py() + ky;
                            if (iy < 0 || iy >= g.height() || first >= last) {
                                java.util.Arrays.fill(row, to, to + g.outWidth(), 0f);
                                continue;
                            }
                            int line = image + iy * g.width() - g.px() + kx;
                            for (int ox = 0; ox < first; ox++) {
                                row[to + ox] = 0f;
                            }
                            for (int ox = first; ox < last; ox++) {
                                row[to + ox] = x[line + ox * sx];
                            }
                            for (int ox = last; ox < g.outWidth(); ox++) {
                                row[to + ox] = 0f;
                            }
                        }
                    }
                    columns.put(((c * g.kh() + ky) * g.kw() + kx) * positions, row, 0, positions);
                }
            }
        }
        columnsOf = input;
    }

    /** epsilon[n, c, iy, ix] = the sum of dX^T over the (tap, position) pairs that read that pixel. */
    private void sumColumnsOntoPixels(FloatBuffer epsilon, Geometry g) {
        int positions = g.positions();
        int size = g.batch() * g.channels() * g.height() * g.width();
        inputGradient = scratch(inputGradient, size);
        tapRow = scratch(tapRow, positions);
        float[] eps = inputGradient;
        float[] row = tapRow;
        java.util.Arrays.fill(eps, 0, size, 0f);
        int plane = g.height() * g.width();
        for (int c = 0; c < g.channels(); c++) {
            for (int ky = 0; ky < g.kh(); ky++) {
                for (int kx = 0; kx < g.kw(); kx++) {
                    columnGradient.get(((c * g.kh() + ky) * g.kw() + kx) * positions, row, 0, positions);
                    int first = Math.max(0, ceilDiv(g.px() - kx, g.sx()));
                    int last = Math.min(g.outWidth(), ceilDiv(g.width() + g.px() - kx, g.sx()));
                    int sx = g.sx();
                    int from = 0;
                    for (int n = 0; n < g.batch(); n++) {
                        int image = (n * g.channels() + c) * plane;
                        for (int oy = 0; oy < g.outHeight(); oy++, from += g.outWidth()) {
                            int iy = oy * g.sy() - g.py() + ky;
                            if (iy < 0 || iy >= g.height()) {
                                continue;
                            }
                            int line = image + iy * g.width() - g.px() + kx;
                            for (int ox = first; ox < last; ox++) {
                                eps[line + ox * sx] += row[from + ox];
                            }
                        }
                    }
                }
            }
        }
        epsilon.put(0, eps, 0, size);
    }

    /** True when the buffer's first n floats are the array's (bit for bit). */
    private static boolean sameFloats(FloatBuffer buffer, float[] copy, int n) {
        return copy != null && copy.length >= n && buffer.slice(0, n).mismatch(FloatBuffer.wrap(copy, 0, n)) == -1;
    }

    /** The smallest integer >= a / b for b > 0. */
    private static int ceilDiv(int a, int b) {
        return -Math.floorDiv(-a, b);
    }

    private static float[] scratch(float[] a, int size) {
        return a != null && a.length >= size ? a : new float[size];
    }

    private static boolean isContiguous(INDArray a) {
        return a != null && a.dataType() == DataType.FLOAT && a.ordering() == 'c' && (a.length() <= 1 || a.elementWiseStride() == 1);
    }

    private static INDArray contiguous(INDArray a) {
        return isContiguous(a) ? a : a.dup('c');
    }

    /** The array's floats from its first element (its offset into the shared buffer). */
    private static FloatBuffer at(INDArray a) {
        ByteBuffer bytes = OffHeap.bytes(a);
        return bytes.position((int) a.offset() * Float.BYTES).slice().order(ByteOrder.nativeOrder()).asFloatBuffer();
    }

    private static FloatBuffer capacity(FloatBuffer b, long floats) {
        if (b != null && b.capacity() >= floats) {
            return b;
        }
        return ByteBuffer.allocateDirect((int) (floats * Float.BYTES)).order(ByteOrder.nativeOrder()).asFloatBuffer();
    }

    @Override
    public INDArray activate(INDArray z, IActivation afn, boolean training) {
        return null;  // DL4J applies the activation
    }

    @Override
    public Map<String, Long> helperMemoryUse() {
        long bytes = 0;
        for (FloatBuffer b : new FloatBuffer[] {columns, channelMajor, columnGradient}) {
            bytes += b == null ? 0 : (long) b.capacity() * Float.BYTES;
        }
        return Map.of("columns", bytes);
    }

    @Override
    public boolean checkSupported() {
        return true;
    }
}
