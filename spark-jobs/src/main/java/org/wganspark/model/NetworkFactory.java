package org.wganspark.model;

import java.util.Locale;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.api.buffer.DataType;
import org.wganspark.data.ImageShape;
import org.wganspark.io.BadInputException;

/**
 * The generator and critic a {@link NetworkSpec} asks for, initialized from the seed, and one line on what the critic
 * sees (its receptive field: a patch critic or a whole-image one). Messages name the config keys of the train section.
 */
public final class NetworkFactory {

    /** The generator kinds. */
    public static final java.util.List<String> GENERATORS = java.util.List.of("fc", "dcgan", "pixels");

    private NetworkFactory() {
    }

    public static MultiLayerNetwork critic(NetworkSpec spec, ImageShape shape, long seed) {
        return initialized(spec, buildCritic(spec, shape, seed), seed);
    }

    /** {@code train.init}: the weights drawn again as PyTorch draws them by default (torch) or Xavier normal. */
    public static MultiLayerNetwork initialized(NetworkSpec spec, MultiLayerNetwork net, long seed) {
        try {
            Networks.initialize(net, Networks.Init.parse(spec.init()), seed);
        } catch (IllegalArgumentException e) {
            throw new BadInputException("train.init: " + e.getMessage());
        }
        return net;
    }

    private static MultiLayerNetwork buildCritic(NetworkSpec spec, ImageShape shape, long seed) {
        String kind = spec.critic();
        try {
            return switch (kind) {
                case "fc" -> Networks.fcCritic(shape.size(), spec.criticNf(), spec.criticDepth(), spec.lrCritic(), seed, DataType.FLOAT);
                case "cnn" -> {
                    if (shape.height() == 1) {
                        throw new BadInputException("train.critic = cnn needs images, found rows of " + shape.size() + " values");
                    }
                    int kernel = spec.criticKernel();
                    int padding = spec.criticPadding();
                    if (padding < 0 || padding >= kernel) {
                        throw new BadInputException("train.critic-padding: expected 0 to critic-kernel - 1 = " + (kernel - 1) + ", found " + padding);
                    }
                    yield Networks.cnnCritic(shape, spec.criticNf(), spec.criticDepth(), kernel, padding, spec.criticGap(), spec.lrCritic(), seed,
                            DataType.FLOAT);
                }
                case "dcgan" -> {
                    if (shape.height() == 1) {
                        throw new BadInputException("train.critic = dcgan needs images, found rows of " + shape.size() + " values");
                    }
                    yield Networks.dcganCritic(shape, spec.criticNf(), spec.lrCritic(), seed, DataType.FLOAT);
                }
                default -> throw new BadInputException("train.critic: expected fc, cnn or dcgan, found '" + kind + "'");
            };
        } catch (IllegalArgumentException e) {
            throw new BadInputException("train.critic: " + e.getMessage());
        }
    }

    /** The generator the spec asks for (the pixels generator reads one-hot codes: zDim = M). */
    public static MultiLayerNetwork generator(NetworkSpec spec, ImageShape shape, int zDim, long seed) {
        MultiLayerNetwork g = buildGenerator(spec, shape, zDim, seed);
        return spec.generator().equals("pixels") ? g : initialized(spec, g, seed);
    }

    private static MultiLayerNetwork buildGenerator(NetworkSpec spec, ImageShape shape, int zDim, long seed) {
        String kind = spec.generator();
        org.nd4j.linalg.learning.config.IUpdater adam = Networks.adam(spec.lrGenerator());
        try {
            return switch (kind) {
                case "fc" -> Networks.fcGenerator(zDim, spec.generatorNf(), spec.generatorDepth(), shape.size(), spec.lrGenerator(), seed, DataType.FLOAT);
                case "pixels" -> Networks.pixelsGenerator(zDim, shape.size(), adam, seed, DataType.FLOAT);
                case "dcgan" -> {
                    if (shape.height() == 1) {
                        throw new BadInputException("train.generator = dcgan needs images, found rows of " + shape.size() + " values");
                    }
                    yield Networks.dcganGenerator(zDim, shape, spec.generatorNf(), adam, seed, DataType.FLOAT);
                }
                default -> throw badGenerator(kind);
            };
        } catch (IllegalArgumentException e) {
            throw new BadInputException("train.generator: " + e.getMessage());
        }
    }

    public static BadInputException badGenerator(String kind) {
        return new BadInputException("train.generator: expected one of " + GENERATORS + ", found '" + kind + "'");
    }

    /** What one score of the critic depends on: its receptive field, and the pixels no score sees. */
    public static String describeCritic(NetworkSpec spec, ImageShape shape, MultiLayerNetwork critic) {
        if (spec.critic().equals("fc")) {
            return String.format(Locale.ROOT, "critic FC, %d parameters: receptive field = the whole %s image", critic.numParams(), shape);
        }
        if (spec.critic().equals("dcgan")) {
            int depth = Networks.dcganCriticDepth(shape);
            int field = Networks.receptiveField(depth, 4);
            return String.format(Locale.ROOT, "critic DCGAN (%d k4 s2 convolutions, flatten), %d parameters: receptive field %d x %d px", depth,
                    critic.numParams(), field, field);
        }
        int field = Networks.receptiveField(spec.criticDepth(), spec.criticKernel());
        int padding = spec.criticPadding();
        int seenRows = Networks.seenSide(shape.height(), spec.criticDepth(), spec.criticKernel(), padding);
        int seenCols = Networks.seenSide(shape.width(), spec.criticDepth(), spec.criticKernel(), padding);
        String blind = seenRows == shape.height() && seenCols == shape.width() ? ""
                : String.format(Locale.ROOT, "; it sees only the first %d x %d px: the last %d rows and %d columns reach no score, so the generator "
                        + "gets no gradient there (train.critic-padding=1 lets it see them)", seenRows, seenCols, shape.height() - seenRows, shape.width() - seenCols);
        return String.format(Locale.ROOT, "critic CNN%s, %d parameters: receptive field %d x %d px%s%s", spec.criticGap() ? "+GAP" : "+flatten",
                critic.numParams(), field, field, spec.criticGap() ? " (a patch critic: the mean score of its patches)"
                        : " (the flattened map: one linear score over all locations)", blind);
    }
}
