package org.wganspark.train.step.cpu;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.util.Map;
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
import org.wganspark.model.OffHeap;
import org.wganspark.ot.Blas;
import org.wganspark.train.objective.PartialConvolution;

/**
 * A DL4J convolution layer's forward and backward pass as one column matrix and three OpenBLAS products (convolution as
 * matrix multiplication, Chellapilla, Puri and Simard 2006): the columns X^T hold, for every kernel tap (c, ky, kx),
 * the input pixel each output position reads; then Z = W X^T, dW = Delta X, dX^T = W^T Delta, and the input gradient
 * is dX^T summed back onto the pixels. The layout keeps the output channel as the slow index, so every product is
 * one call and the NCHW activations are block copies of it.
 *
 * <p>Why: the products run on OpenBLAS's tuned sgemm whatever the CPU's instruction set, and
 * {@code LinearizedPenalty} can ask these layers for one gradient alone ({@link PartialConvolution}), where DL4J's
 * layer API computes the forward pass and both gradients every time. Only for float NCHW layers without dilation in
 * Truncate or Strict mode ({@link ConvGeometry#supported}); anything else returns null, and DL4J takes its own path.
 * Installed by {@link #install} on the CPU backend (host memory) under kernels = auto; kernels = portable leaves
 * DL4J's choice.
 */
public final class GemmConvolution implements ConvolutionHelper, PartialConvolution, java.io.Serializable {

    private static final long serialVersionUID = 1L;

    /** The column matrix X^T [taps, positions], and the geometry and input (a heap copy) it was built from. */
    private transient FloatBuffer columns;
    private transient Pass columnsPass;
    private transient float[] pixels;
    /** Z as [output channels, positions], and the weights and bias it was computed with (null: not held). */
    private transient FloatBuffer product;
    private transient float[] zWeights;
    private transient float[] zBias;
    /** Delta as [output channels, positions] and dX^T [taps, positions]. Reused from call to call. */
    private transient FloatBuffer channelMajorDelta;
    private transient FloatBuffer columnGradient;
    /** The column layout, with its scratch memory. */
    private transient ChannelsFirstColumns layout;
    /** Heap scratch: a batch of activations or errors. */
    private transient float[] batchScratch;
    private transient float[] channelScratch;
    /** Forward passes served from the kept product (a test reads it). */
    transient long reusedPasses;

    /**
     * Puts this helper on every plain convolution layer of {@code net} (not the transposed ones, a subclass). DL4J has no
     * API to choose a layer's helper, so it goes into the layer's {@code helper} field; a DL4J without that field is an
     * error here, not a silent fall-back (kernels = portable runs without this helper).
     */
    public static void install(MultiLayerNetwork net) {
        for (org.deeplearning4j.nn.api.Layer layer : net.getLayers()) {
            if (layer.getClass() == org.deeplearning4j.nn.layers.convolution.ConvolutionLayer.class) {
                try {
                    java.lang.reflect.Field helper = org.deeplearning4j.nn.layers.convolution.ConvolutionLayer.class.getDeclaredField("helper");
                    helper.setAccessible(true);
                    helper.set(layer, new GemmConvolution());
                } catch (ReflectiveOperationException e) {
                    throw new IllegalStateException("DL4J's ConvolutionLayer has no helper field to set (a DL4J other than 1.0.0-M2.1?): "
                            + "run with kernels = portable", e);
                }
            }
        }
    }

    /** One layer's pass: the convolution and the images it runs over. */
    private record Pass(int batch, ConvGeometry conv) {
        int positions() {
            return batch * conv.positions();
        }

        int inputSize() {
            return batch * conv.imageFloats();
        }
    }

    private static Pass pass(INDArray input, INDArray weights, int[] kernel, int[] strides, int[] pad, ConvolutionMode mode, int[] dilation,
                             CNN2DFormat format) {
        if (input.dataType() != DataType.FLOAT || weights.dataType() != DataType.FLOAT || input.rank() != 4
                || !ConvGeometry.supported(mode, dilation, format) || weights.size(1) != input.size(1)) {
            return null;
        }
        ConvGeometry conv = ConvGeometry.of((int) input.size(1), (int) input.size(2), (int) input.size(3), (int) weights.size(0), kernel,
                strides, pad);
        if (conv == null || (long) conv.taps() * input.size(0) * conv.positions() * Float.BYTES > Integer.MAX_VALUE) {
            return null;
        }
        return new Pass((int) input.size(0), conv);
    }

    @Override
    public INDArray preOutput(INDArray input, INDArray weights, INDArray bias, int[] kernel, int[] strides, int[] pad, AlgoMode mode,
                              FwdAlgo fwdAlgo, ConvolutionMode convolutionMode, int[] dilation, CNN2DFormat format, LayerWorkspaceMgr workspaces) {
        Pass g = pass(input, weights, kernel, strides, pad, convolutionMode, dilation, format);
        if (g == null) {
            return null;
        }
        int positions = g.positions();
        int perImage = g.conv().positions();
        INDArray w = contiguous(weights);
        float[] b = bias == null ? new float[g.conv().outChannels()] : contiguous(bias).toFloatVector();
        // DL4J's backward pass first recomputes the forward pass it follows, and the penalty's tangent pass runs the
        // same input twice: the product is kept while input, weights and bias are unchanged
        boolean sameColumns = holdsColumnsOf(input, g);
        if (sameColumns && zWeights != null && sameFloats(at(w), zWeights, g.conv().outChannels() * g.conv().taps()) && java.util.Arrays.equals(b, zBias)) {
            reusedPasses++;
        } else {
            if (!sameColumns) {
                buildColumns(input, g);
            }
            product = capacity(product, (long) g.conv().outChannels() * positions);
            Blas.sgemm(Blas.Order.ROW_MAJOR, false, false, g.conv().outChannels(), positions, g.conv().taps(), 1f, at(w), g.conv().taps(), columns,
                    positions, 0f, product, positions);
            zWeights = scratch(zWeights, g.conv().outChannels() * g.conv().taps());
            at(w).get(0, zWeights, 0, g.conv().outChannels() * g.conv().taps());
            zBias = b;
        }
        // [output channels, (n, position)] to NCHW [n, output channels, position], plus the bias: two bulk copies
        int size = g.conv().outChannels() * positions;
        channelScratch = scratch(channelScratch, size);
        batchScratch = scratch(batchScratch, size);
        float[] channelMajor = channelScratch;
        float[] nchw = batchScratch;
        product.get(0, channelMajor, 0, size);
        for (int co = 0; co < g.conv().outChannels(); co++) {
            float shift = b[co];
            for (int n = 0; n < g.batch(); n++) {
                int from = co * positions + n * perImage;
                int to = (n * g.conv().outChannels() + co) * perImage;
                for (int p = 0; p < perImage; p++) {
                    nchw[to + p] = channelMajor[from + p] + shift;
                }
            }
        }
        INDArray z = workspaces.createUninitialized(ArrayType.ACTIVATIONS, DataType.FLOAT, g.batch(), g.conv().outChannels(), g.conv().outHeight(), g.conv().outWidth());
        at(z).put(0, nchw, 0, size);
        return z;
    }

    @Override
    public Pair<Gradient, INDArray> backpropGradient(INDArray input, INDArray weights, INDArray bias, INDArray delta, int[] kernel, int[] strides, int[] pad,
                                                     INDArray biasGradView, INDArray weightGradView, IActivation afn, AlgoMode mode,
                                                     BwdFilterAlgo bwdFilterAlgo, BwdDataAlgo bwdDataAlgo, ConvolutionMode convolutionMode,
                                                     int[] dilation, CNN2DFormat format, LayerWorkspaceMgr workspaces) {
        Pass g = pass(input, weights, kernel, strides, pad, convolutionMode, dilation, format);
        if (g == null || !isContiguous(weightGradView) || delta.dataType() != DataType.FLOAT) {
            return null;
        }
        // DL4J recomputes the forward pass just before, so the columns are almost always this input's
        if (!holdsColumnsOf(input, g)) {
            buildColumns(input, g);
        }
        float[] biasGradient = loadDelta(delta, g);
        weightGradient(g, at(weightGradView));
        INDArray epsilon = workspaces.create(ArrayType.ACTIVATION_GRAD, DataType.FLOAT, g.batch(), g.conv().channels(), g.conv().height(), g.conv().width());
        inputGradient(weights, g, epsilon);
        Gradient gradient = new DefaultGradient();
        if (biasGradView != null && biasGradView.length() == g.conv().outChannels()) {
            for (int co = 0; co < g.conv().outChannels(); co++) {
                biasGradView.putScalar(co, biasGradient[co]);
            }
            gradient.setGradientFor(ConvolutionParamInitializer.BIAS_KEY, biasGradView);
        }
        gradient.setGradientFor(ConvolutionParamInitializer.WEIGHT_KEY, weightGradView, 'c');
        return new Pair<>(gradient, epsilon);
    }

    /** Delta (NCHW) into channelMajorDelta [output channels, positions]; returns the bias gradient, its row sums. */
    private float[] loadDelta(INDArray delta, Pass g) {
        int positions = g.positions();
        int perImage = g.conv().positions();
        int size = g.conv().outChannels() * positions;
        batchScratch = scratch(batchScratch, size);
        channelScratch = scratch(channelScratch, size);
        float[] nchw = batchScratch;
        float[] channelMajor = channelScratch;
        at(contiguous(delta)).get(0, nchw, 0, size);
        float[] biasGradient = new float[g.conv().outChannels()];
        for (int co = 0; co < g.conv().outChannels(); co++) {
            double sum = 0;
            for (int n = 0; n < g.batch(); n++) {
                int from = (n * g.conv().outChannels() + co) * perImage;
                int to = co * positions + n * perImage;
                for (int p = 0; p < perImage; p++) {
                    float d = nchw[from + p];
                    channelMajor[to + p] = d;
                    sum += d;
                }
            }
            biasGradient[co] = (float) sum;
        }
        channelMajorDelta = capacity(channelMajorDelta, size);
        channelMajorDelta.put(0, channelMajor, 0, size);
        return biasGradient;
    }

    /** dW = Delta X [output channels, taps] from the loaded Delta and the columns. */
    private void weightGradient(Pass g, FloatBuffer into) {
        Blas.sgemm(Blas.Order.ROW_MAJOR, false, true, g.conv().outChannels(), g.conv().taps(), g.positions(), 1f, channelMajorDelta, g.positions(),
                columns, g.positions(), 0f, into, g.conv().taps());
    }

    /** dX^T = W^T Delta from the loaded Delta, summed onto the pixels of epsilon (NCHW, the input's shape). */
    private void inputGradient(INDArray weights, Pass g, INDArray epsilon) {
        columnGradient = capacity(columnGradient, (long) g.conv().taps() * g.positions());
        Blas.sgemm(Blas.Order.ROW_MAJOR, true, false, g.conv().taps(), g.positions(), g.conv().outChannels(), 1f, at(contiguous(weights)), g.conv().taps(),
                channelMajorDelta, g.positions(), 0f, columnGradient, g.positions());
        layout().sumOntoPixels(columnGradient, g.batch(), g.conv(), at(epsilon));
    }

    private static Pass pass(org.deeplearning4j.nn.layers.convolution.ConvolutionLayer layer, INDArray input) {
        org.deeplearning4j.nn.conf.layers.ConvolutionLayer conf = layer.layerConf();
        return pass(input, layer.getParam(ConvolutionParamInitializer.WEIGHT_KEY), conf.getKernelSize(), conf.getStride(), conf.getPadding(),
                conf.getConvolutionMode(), conf.getDilation(), conf.getCnn2dDataFormat());
    }

    /** The layer's input gradient for errors delta at its pre-activation: no forward pass, no weight gradient (null: not supported). */
    @Override
    public INDArray inputGradientOnly(org.deeplearning4j.nn.layers.convolution.ConvolutionLayer layer, INDArray input, INDArray delta) {
        Pass g = pass(layer, input);
        if (g == null || delta.dataType() != DataType.FLOAT) {
            return null;
        }
        loadDelta(delta, g);
        INDArray epsilon = org.nd4j.linalg.factory.Nd4j.createUninitialized(DataType.FLOAT, g.batch(), g.conv().channels(), g.conv().height(), g.conv().width());
        inputGradient(layer.getParam(ConvolutionParamInitializer.WEIGHT_KEY), g, epsilon);
        return epsilon;
    }

    /**
     * The layer's pre-activation W x + b, and its weight gradient for errors delta at that output, written into the
     * layer's gradient view: no input gradient (null: not supported, nothing written).
     */
    @Override
    public INDArray forwardAndWeightGradient(org.deeplearning4j.nn.layers.convolution.ConvolutionLayer layer, INDArray input, INDArray delta) {
        Pass g = pass(layer, input);
        INDArray view = layer.getGradientsViewArray();
        if (g == null || delta.dataType() != DataType.FLOAT || !isContiguous(view)) {
            return null;
        }
        org.deeplearning4j.nn.conf.layers.ConvolutionLayer conf = layer.layerConf();
        INDArray z = preOutput(input, layer.getParam(ConvolutionParamInitializer.WEIGHT_KEY),
                layer.hasBias() ? layer.getParam(ConvolutionParamInitializer.BIAS_KEY) : null, conf.getKernelSize(), conf.getStride(),
                conf.getPadding(), null, null, conf.getConvolutionMode(), conf.getDilation(), conf.getCnn2dDataFormat(),
                LayerWorkspaceMgr.noWorkspaces());
        loadDelta(delta, g);
        long first = layer.hasBias() ? g.conv().outChannels() : 0;  // the view holds the bias first, then W
        weightGradient(g, at(view).position((int) first).slice());
        return z;
    }

    /** True when the columns were built for this geometry from an input equal, float for float, to this one. */
    private boolean holdsColumnsOf(INDArray input, Pass g) {
        return g.equals(columnsPass) && sameFloats(at(contiguous(input)), pixels, g.inputSize());
    }

    /** X^T for this input, kept with the input (a heap copy) it was built from. */
    private void buildColumns(INDArray input, Pass g) {
        columns = capacity(columns, (long) g.conv().taps() * g.positions());
        // heap copies: element-wise access to the direct buffers is several times slower than the products themselves
        pixels = scratch(pixels, g.inputSize());
        at(contiguous(input)).get(0, pixels, 0, g.inputSize());
        layout().build(pixels, g.batch(), g.conv(), columns);
        columnsPass = g;
        zWeights = null;  // a kept product belonged to the old columns
    }

    private ChannelsFirstColumns layout() {
        if (layout == null) {
            layout = new ChannelsFirstColumns();
        }
        return layout;
    }

    /** True when the buffer's first n floats are the array's (bit for bit). */
    private static boolean sameFloats(FloatBuffer buffer, float[] copy, int n) {
        return copy != null && copy.length >= n && buffer.slice(0, n).mismatch(FloatBuffer.wrap(copy, 0, n)) == -1;
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

    private static FloatBuffer at(INDArray a) {
        return OffHeap.at(a);
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
        for (FloatBuffer b : new FloatBuffer[] {columns, product, channelMajorDelta, columnGradient}) {
            bytes += b == null ? 0 : (long) b.capacity() * Float.BYTES;
        }
        return Map.of("columns", bytes);
    }

    @Override
    public boolean checkSupported() {
        return true;
    }
}
