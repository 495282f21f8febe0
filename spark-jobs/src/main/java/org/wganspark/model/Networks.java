package org.wganspark.model;

import org.deeplearning4j.nn.conf.ConvolutionMode;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.WorkspaceMode;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.ActivationLayer;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.Deconvolution2D;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.GlobalPoolingLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.conf.layers.PoolingType;
import org.deeplearning4j.nn.conf.preprocessor.CnnToFeedForwardPreProcessor;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.weights.WeightInit;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.activations.impl.ActivationLReLU;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.learning.config.IUpdater;
import org.nd4j.linalg.lossfunctions.impl.LossL2;
import org.wganspark.data.ImageShape;

/**
 * The paper's fully connected networks as DL4J MultiLayerNetworks. No
 * output layer: the last layer is a DenseLayer, so gradients come from external errors (the critic loss is not a DL4J loss function).
 * Workspaces off: the critic is evaluated several times per step at different inputs.
 */
public final class Networks {

    private Networks() {
    }

    /** The paper's optimizer: Adam with betas (0.5, 0.9). */
    public static IUpdater adam(double lr) {
        return new Adam(lr, 0.5, 0.9, 1e-8);
    }

    /** FC generator: z -> nf (LeakyReLU 0.2) -> ... -> out (Tanh), {@code depth} linear layers in all. */
    public static MultiLayerNetwork fcGenerator(int zDim, int nf, int depth, int out, double lr, long seed, DataType type) {
        return fcGenerator(zDim, nf, depth, out, adam(lr), false, seed, type);
    }

    /**
     * FC generator with any optimizer. With {@code regressionHead} the last layer is an {@link OutputLayer} with the
     * squared-error loss (1/m) sum_i |G(z_i) - y_i|^2, so that DL4J's own fit (and ParameterAveragingTrainingMaster)
     * can regress it onto targets; the parameter layout is the same as without it.
     */
    public static MultiLayerNetwork fcGenerator(int zDim, int nf, int depth, int out, IUpdater updater, boolean regressionHead, long seed,
                                                DataType type) {
        return build(zDim, nf, depth, out, Activation.TANH, updater, regressionHead, seed, type);
    }

    /**
     * The pixels generator: one linear layer without bias from M one-hot codes ({@link Prior#oneHot}) to the image, so
     * its M outputs are M free images, initialized near gray (Xavier normal).
     */
    public static MultiLayerNetwork pixelsGenerator(int m, int out, IUpdater updater, long seed, DataType type) {
        NeuralNetConfiguration.ListBuilder list = builder(updater, seed, type);
        list.layer(new DenseLayer.Builder().nIn(m).nOut(out).hasBias(false).activation(Activation.IDENTITY).build());
        return initialized(list.build(), seed);
    }

    /** FC critic: in -> nf (LeakyReLU 0.2) -> ... -> 1 (identity), {@code depth} linear layers in all. */
    public static MultiLayerNetwork fcCritic(int in, int nf, int depth, double lr, long seed, DataType type) {
        return build(in, nf, depth, 1, Activation.IDENTITY, adam(lr), false, seed, type);
    }

    private static MultiLayerNetwork build(int in, int nf, int depth, int out, Activation last, IUpdater updater, boolean regressionHead,
                                           long seed, DataType type) {
        if (depth < 2) {
            throw new IllegalArgumentException("an FC network needs depth >= 2, found " + depth);
        }
        NeuralNetConfiguration.ListBuilder list = builder(updater, seed, type);
        int width = in;
        for (int layer = 0; layer < depth - 1; layer++) {
            list.layer(new DenseLayer.Builder().nIn(width).nOut(nf).activation(new ActivationLReLU(0.2)).build());
            width = nf;
        }
        // LossL2 sums the squared errors over a row; DL4J averages over the minibatch in the updater
        list.layer(regressionHead ? new OutputLayer.Builder(new LossL2()).nIn(width).nOut(out).activation(last).build()
                : new DenseLayer.Builder().nIn(width).nOut(out).activation(last).build());
        return initialized(list.build(), seed);
    }

    /**
     * The paper's CNN critic: {@code depth} stride-2 k x k convolutions without
     * padding, nf, 2 nf, 4 nf, ... channels, ReLU; then either global average pooling and a linear map to the score
     * without bias ({@code gap}: a patch critic, it scores patches of its receptive field and averages them), or the
     * flattened feature map and a linear map. Input rows are flat images, channel planes row-major.
     */
    public static MultiLayerNetwork cnnCritic(ImageShape shape, int nf, int depth, int kernel, boolean gap, double lr, long seed, DataType type) {
        return cnnCritic(shape, nf, depth, kernel, 0, gap, lr, seed, type);
    }

    /** The same with {@code padding} zero pixels around each convolution's input (the paper's critic: 0). */
    public static MultiLayerNetwork cnnCritic(ImageShape shape, int nf, int depth, int kernel, int padding, boolean gap, double lr, long seed,
                                              DataType type) {
        if (depth < 1 || kernel < 1 || nf < 1 || padding < 0 || padding >= kernel) {
            throw new IllegalArgumentException("a CNN critic needs depth, kernel and nf >= 1 and 0 <= padding < kernel, found " + depth + ", "
                    + kernel + ", " + nf + ", " + padding);
        }
        int side = Math.min(shape.height(), shape.width());
        for (int l = 0; l < depth; l++) {
            side = convolvedSide(side, kernel, padding);
            if (side < 1) {
                throw new IllegalArgumentException("a CNN critic of depth " + depth + " and kernel " + kernel + " does not fit a " + shape
                        + " image");
            }
        }
        NeuralNetConfiguration.ListBuilder list = builder(adam(lr), seed, type);
        int channels = shape.channels();
        int width = nf;
        for (int l = 0; l < depth; l++) {
            list.layer(new ConvolutionLayer.Builder(kernel, kernel).stride(2, 2).padding(padding, padding).convolutionMode(ConvolutionMode.Truncate)
                    .nIn(channels).nOut(width).activation(Activation.RELU).build());
            channels = width;
            width *= 2;
        }
        if (gap) {
            list.layer(new GlobalPoolingLayer.Builder(PoolingType.AVG).build());
        }
        list.layer(new DenseLayer.Builder().nOut(1).hasBias(false).activation(Activation.IDENTITY).build());
        list.setInputType(InputType.convolutionalFlat(shape.height(), shape.width(), shape.channels()));
        return initialized(list.build(), seed);
    }

    /**
     * The paper's DCGAN generator (no normalization, biases on): z as a 1 x 1 map,
     * a transposed convolution to s0 x s0 with nf 2^(L-1) channels, then L transposed convolutions k 4 s 2 p 1 that
     * double the side and halve the channels (ReLU), the last to the image's channels (Tanh). s0 is the image side
     * halved while it stays even and at least 4: 4 for 64 px (the paper's 4 -> 8 -> ... -> 64, 8 nf at 4 x 4), 7 for
     * 28 px (7 -> 14 -> 28). Output rows are flat images, channel planes row-major.
     */
    public static MultiLayerNetwork dcganGenerator(int zDim, ImageShape shape, int nf, IUpdater updater, long seed, DataType type) {
        if (shape.height() != shape.width() || shape.height() < 8) {
            throw new IllegalArgumentException("a DCGAN generator makes square images of side >= 8, found " + shape);
        }
        int side = shape.height();
        int stages = 0;
        while (side % 2 == 0 && side / 2 >= 4) {
            side /= 2;
            stages++;
        }
        if (stages < 1) {
            throw new IllegalArgumentException("a DCGAN generator needs an even image side (s0 2^L, L >= 1), found " + shape);
        }
        NeuralNetConfiguration.ListBuilder list = builder(updater, seed, type);
        int channels = nf << (stages - 1);
        list.layer(new Deconvolution2D.Builder(side, side).stride(1, 1).padding(0, 0).convolutionMode(ConvolutionMode.Truncate)
                .nIn(zDim).nOut(channels).activation(Activation.RELU).build());
        for (int l = 1; l <= stages; l++) {
            boolean last = l == stages;
            int next = last ? shape.channels() : channels / 2;
            list.layer(new Deconvolution2D.Builder(4, 4).stride(2, 2).padding(1, 1).convolutionMode(ConvolutionMode.Truncate)
                    .nIn(channels).nOut(next).activation(last ? Activation.IDENTITY : Activation.RELU).build());
            channels = next;
        }
        int flat = stages + 1;
        list.layer(new ActivationLayer.Builder().activation(Activation.TANH).build());
        list.inputPreProcessor(flat, new CnnToFeedForwardPreProcessor(shape.height(), shape.width(), shape.channels()));
        list.setInputType(InputType.convolutionalFlat(1, 1, zDim));
        return initialized(list.build(), seed);
    }

    /**
     * The paper's DCGAN critic without its instance normalization (DL4J has no such layer; with a gradient penalty
     * the critic must not mix samples, so batch normalization is no substitute): k 4 s 2 p 1 convolutions nf, 2 nf,
     * 4 nf, ... (ReLU) while the map is larger than 4 x 4 (64 px: four, 28 px: three, to 3 x 3), then one linear score
     * over the flattened map. Receptive field 4, 10, 22, 46, 94 px.
     */
    public static MultiLayerNetwork dcganCritic(ImageShape shape, int nf, double lr, long seed, DataType type) {
        int side = Math.min(shape.height(), shape.width());
        if (side < 8) {
            throw new IllegalArgumentException("a DCGAN critic needs images of side >= 8, found " + shape);
        }
        NeuralNetConfiguration.ListBuilder list = builder(adam(lr), seed, type);
        int channels = shape.channels();
        int width = nf;
        while (side > 4) {
            list.layer(new ConvolutionLayer.Builder(4, 4).stride(2, 2).padding(1, 1).convolutionMode(ConvolutionMode.Truncate)
                    .nIn(channels).nOut(width).activation(Activation.RELU).build());
            side = (side + 2 - 4) / 2 + 1;
            channels = width;
            width *= 2;
        }
        list.layer(new DenseLayer.Builder().nOut(1).activation(Activation.IDENTITY).build());
        list.setInputType(InputType.convolutionalFlat(shape.height(), shape.width(), shape.channels()));
        return initialized(list.build(), seed);
    }

    /** Convolutions of the DCGAN critic for this image: halving k 4 s 2 p 1 layers while the map exceeds 4 x 4. */
    public static int dcganCriticDepth(ImageShape shape) {
        int side = Math.min(shape.height(), shape.width());
        int depth = 0;
        while (side > 4) {
            side = (side + 2 - 4) / 2 + 1;
            depth++;
        }
        return depth;
    }

    /** Pixels one score depends on: stride-2 k x k layers widen it by (k - 1) times the running stride. */
    public static int receptiveField(int depth, int kernel) {
        int field = 1;
        int jump = 1;
        for (int l = 0; l < depth; l++) {
            field += (kernel - 1) * jump;
            jump *= 2;
        }
        return field;
    }

    /**
     * Leading pixels of a side that reach the CNN critic's score: its stride-2 k x k convolutions (truncating) drop
     * the last rows and columns that no window covers, at every layer. Unpadded (the paper's critic, k 3, depth 3):
     * 23 of 28 (28 -> 13 -> 6 -> 2), 63 of 64 at the paper's 64 px; a generator gets no gradient in the rest.
     * {@code padding}: zeros around each layer's input.
     */
    public static int seenSide(int side, int depth, int kernel, int padding) {
        int[] sizes = new int[depth + 1];
        sizes[0] = side;
        for (int l = 1; l <= depth; l++) {
            sizes[l] = convolvedSide(sizes[l - 1], kernel, padding);
        }
        int covered = sizes[depth];  // the head (pooling or flatten) uses every output of the last layer
        for (int l = depth; l >= 1; l--) {
            // in the padded input of layer l, windows cover [0, (covered - 1) 2 + k); its first `padding` are zeros
            covered = Math.min(sizes[l - 1], (covered - 1) * 2 + kernel - padding);
        }
        return covered;
    }

    /** The side of a stride-2 k x k convolution's output (truncating), its input padded by {@code padding}. */
    private static int convolvedSide(int side, int kernel, int padding) {
        return (side + 2 * padding - kernel) / 2 + 1;
    }

    private static NeuralNetConfiguration.ListBuilder builder(IUpdater updater, long seed, DataType type) {
        return new NeuralNetConfiguration.Builder()
                .seed(seed)
                .dataType(type)
                .weightInit(WeightInit.XAVIER)
                .updater(updater)
                .trainingWorkspaceMode(WorkspaceMode.NONE)
                .inferenceWorkspaceMode(WorkspaceMode.NONE)
                .list();
    }

    /** Weight initializations: PyTorch's defaults (what the paper's code gets, as it sets none) or Xavier normal. */
    public enum Init {
        TORCH, XAVIER;

        /** The value of a config key such as {@code train.init}: torch or xavier. */
        public static Init parse(String value) {
            return switch (value) {
                case "torch" -> TORCH;
                case "xavier" -> XAVIER;
                default -> throw new IllegalArgumentException("expected torch or xavier, found '" + value + "'");
            };
        }
    }

    /**
     * A network of this configuration, initialized by DL4J (parameters not yet ours). Every network of the project is
     * built here, after {@link Dl4jHelpers#enable()}: a layer picks its oneDNN helper when it is built. What runs its
     * training steps is chosen afterwards, by the training code's kernel choice.
     */
    public static MultiLayerNetwork built(MultiLayerConfiguration conf) {
        Dl4jHelpers.enable();
        MultiLayerNetwork net = new MultiLayerNetwork(conf);
        net.init();
        return net;
    }

    /** Weight clipping: every parameter of {@code net} into [-bound, bound]. */
    public static void clip(MultiLayerNetwork net, double bound) {
        net.params().assign(org.nd4j.linalg.ops.transforms.Transforms.max(org.nd4j.linalg.ops.transforms.Transforms.min(net.params(), bound),
                -bound));
    }

    /**
     * DL4J's own initialization is not repeatable here (two nets from one configuration seed differed, also with
     * ND4J's generator seeded first), so the weights are drawn again from our seeded generator: Xavier normal, std
     * sqrt(2 / (fan in + fan out)) (a convolution's fans count its kernel's pixels), zero biases.
     */
    private static MultiLayerNetwork initialized(MultiLayerConfiguration conf, long seed) {
        MultiLayerNetwork net = built(conf);
        initialize(net, Init.XAVIER, seed);
        return net;
    }

    /**
     * Draws every weight and bias again from a generator seeded with {@code seed}. TORCH: PyTorch's default for
     * Linear, Conv2d and ConvTranspose2d (kaiming uniform with a = sqrt 5), weights and biases uniform in
     * +-1 / sqrt(fan in), where fan in counts the kernel's pixels times its second dimension (a convolution's input
     * channels; a transposed convolution's output channels, PyTorch's convention, which DL4J's [in, out, k, k] layout
     * shares). XAVIER: normal with std sqrt(2 / (fan in + fan out)), zero biases.
     */
    public static void initialize(MultiLayerNetwork net, Init init, long seed) {
        java.util.SplittableRandom random = new java.util.SplittableRandom(seed);
        for (int l = 0; l < net.getnLayers(); l++) {
            java.util.Map<String, INDArray> params = net.getLayer(l).paramTable();
            INDArray w = params.get("W");
            if (w == null) {
                continue;
            }
            long[] s = w.shape();
            double fanIn = s.length == 4 ? (double) s[1] * s[2] * s[3] : s[0];
            double fanOut = s.length == 4 ? (double) s[0] * s[2] * s[3] : s[1];
            double scale = init == Init.TORCH ? 1 / Math.sqrt(fanIn) : Math.sqrt(2.0 / (fanIn + fanOut));
            fill(w, random, scale, init == Init.TORCH);
            INDArray b = params.get("b");
            if (b != null) {
                if (init == Init.TORCH) {
                    fill(b, random, scale, true);
                } else {
                    b.assign(0);
                }
            }
        }
    }

    /** Uniform in +-scale, or normal with std scale. */
    private static void fill(INDArray target, java.util.SplittableRandom random, double scale, boolean uniform) {
        double[] values = new double[(int) target.length()];
        for (int k = 0; k < values.length; k++) {
            values[k] = uniform ? scale * (2 * random.nextDouble() - 1) : scale * random.nextGaussian();
        }
        target.assign(Nd4j.createFromArray(values).reshape('c', target.shape()).castTo(target.dataType()));
    }
}
