package org.wganspark.cli;

import com.typesafe.config.Config;
import java.util.Locale;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.api.buffer.DataType;
import org.wganspark.data.BadInputException;
import org.wganspark.data.ImageShape;
import org.wganspark.train.Networks;

/** The critic a config's {@code train} section asks for, and one line on what it sees. */
final class NetworkChoice {

    private NetworkChoice() {
    }

    static MultiLayerNetwork critic(Config t, ImageShape shape, long seed) {
        return initialized(t, buildCritic(t, shape, seed), seed);
    }

    /** {@code train.init}: the weights drawn again as PyTorch draws them by default (torch) or Xavier normal. */
    static MultiLayerNetwork initialized(Config t, MultiLayerNetwork net, long seed) {
        try {
            Networks.initialize(net, Networks.Init.parse(t.getString("init")), seed);
        } catch (IllegalArgumentException e) {
            throw new BadInputException("train.init: " + e.getMessage());
        }
        return net;
    }

    private static MultiLayerNetwork buildCritic(Config t, ImageShape shape, long seed) {
        String kind = t.getString("critic");
        try {
            return switch (kind) {
                case "fc" -> Networks.fcCritic(shape.size(), t.getInt("critic-nf"), t.getInt("critic-depth"), t.getDouble("lr-critic"), seed,
                        DataType.FLOAT);
                case "cnn" -> {
                    if (shape.height() == 1) {
                        throw new BadInputException("train.critic = cnn needs images, found rows of " + shape.size() + " values");
                    }
                    int kernel = t.getInt("critic-kernel");
                    int padding = t.getInt("critic-padding");
                    if (padding < 0 || padding >= kernel) {
                        throw new BadInputException("train.critic-padding: expected 0 to critic-kernel - 1 = " + (kernel - 1) + ", found " + padding);
                    }
                    yield Networks.cnnCritic(shape, t.getInt("critic-nf"), t.getInt("critic-depth"), kernel, padding, t.getBoolean("critic-gap"),
                            t.getDouble("lr-critic"), seed, DataType.FLOAT);
                }
                case "dcgan" -> {
                    if (shape.height() == 1) {
                        throw new BadInputException("train.critic = dcgan needs images, found rows of " + shape.size() + " values");
                    }
                    yield Networks.dcganCritic(shape, t.getInt("critic-nf"), t.getDouble("lr-critic"), seed, DataType.FLOAT);
                }
                default -> throw new BadInputException("train.critic: expected fc, cnn or dcgan, found '" + kind + "'");
            };
        } catch (IllegalArgumentException e) {
            throw new BadInputException("train.critic: " + e.getMessage());
        }
    }

    /** The values of {@code train.generator}. */
    static final java.util.List<String> GENERATORS = java.util.List.of("fc", "dcgan", "pixels");

    /** The generator a config's {@code train} section asks for (the pixels generator reads one-hot codes: zDim = M). */
    static MultiLayerNetwork generator(Config t, ImageShape shape, int zDim, long seed) {
        MultiLayerNetwork g = buildGenerator(t, shape, zDim, seed);
        return t.getString("generator").equals("pixels") ? g : initialized(t, g, seed);
    }

    private static MultiLayerNetwork buildGenerator(Config t, ImageShape shape, int zDim, long seed) {
        String kind = t.getString("generator");
        org.nd4j.linalg.learning.config.IUpdater adam = Networks.adam(t.getDouble("lr-generator"));
        try {
            return switch (kind) {
                case "fc" -> Networks.fcGenerator(zDim, t.getInt("generator-nf"), t.getInt("generator-depth"), shape.size(), t.getDouble("lr-generator"),
                        seed, DataType.FLOAT);
                case "pixels" -> Networks.pixelsGenerator(zDim, shape.size(), adam, seed, DataType.FLOAT);
                case "dcgan" -> {
                    if (shape.height() == 1) {
                        throw new BadInputException("train.generator = dcgan needs images, found rows of " + shape.size() + " values");
                    }
                    yield Networks.dcganGenerator(zDim, shape, t.getInt("generator-nf"), adam, seed, DataType.FLOAT);
                }
                default -> throw badGenerator(kind);
            };
        } catch (IllegalArgumentException e) {
            throw new BadInputException("train.generator: " + e.getMessage());
        }
    }

    static BadInputException badGenerator(String kind) {
        return new BadInputException("train.generator: expected one of " + GENERATORS + ", found '" + kind + "'");
    }

    /** What one score of the critic depends on: the anchor's receptive-field report. */
    static String describeCritic(Config t, ImageShape shape, MultiLayerNetwork critic) {
        if (t.getString("critic").equals("fc")) {
            return String.format(Locale.ROOT, "critic FC, %d parameters: receptive field = the whole %s image", critic.numParams(), shape);
        }
        if (t.getString("critic").equals("dcgan")) {
            int depth = Networks.dcganCriticDepth(shape);
            int field = Networks.receptiveField(depth, 4);
            return String.format(Locale.ROOT, "critic DCGAN (%d k4 s2 convolutions, flatten), %d parameters: receptive field %d x %d px", depth,
                    critic.numParams(), field, field);
        }
        int field = Networks.receptiveField(t.getInt("critic-depth"), t.getInt("critic-kernel"));
        int padding = t.getInt("critic-padding");
        int seenRows = Networks.seenSide(shape.height(), t.getInt("critic-depth"), t.getInt("critic-kernel"), padding);
        int seenCols = Networks.seenSide(shape.width(), t.getInt("critic-depth"), t.getInt("critic-kernel"), padding);
        String blind = seenRows == shape.height() && seenCols == shape.width() ? ""
                : String.format(Locale.ROOT, "; it sees only the first %d x %d px: the last %d rows and %d columns reach no score, so the generator "
                        + "gets no gradient there (train.critic-padding=1 lets it see them)", seenRows, seenCols, shape.height() - seenRows, shape.width() - seenCols);
        return String.format(Locale.ROOT, "critic CNN%s, %d parameters: receptive field %d x %d px%s%s", t.getBoolean("critic-gap") ? "+GAP" : "+flatten",
                critic.numParams(), field, field, t.getBoolean("critic-gap") ? " (a patch critic: the mean score of its patches)"
                        : " (the flattened map: one linear score over all locations)", blind);
    }

    static boolean nonSaturating(Config t) {
        String loss = t.getString("loss");
        if (!java.util.List.of("wgan", "non-saturating", "direct-w1", "direct-patch-swd").contains(loss)) {
            throw new BadInputException("train.loss: expected wgan, non-saturating, direct-w1 or direct-patch-swd, found '" + loss + "'");
        }
        return loss.equals("non-saturating");
    }

    /** The metric of {@code train.loss = direct-...} (no critic), or null for a GAN loss. */
    static org.wganspark.train.DirectLoss direct(Config t, ImageShape shape) {
        String loss = t.getString("loss");
        if (loss.equals("direct-w1")) {
            return new org.wganspark.train.DirectLoss("w1", null, 0);
        }
        if (!loss.equals("direct-patch-swd")) {
            return null;
        }
        if (shape.height() == 1) {
            throw new BadInputException("train.loss = direct-patch-swd needs images, found rows of " + shape.size() + " values");
        }
        int directions = t.getInt("direct-directions");
        if (directions < 1) {
            throw new BadInputException("train.direct-directions: expected at least 1, found " + directions);
        }
        return new org.wganspark.train.DirectLoss("patch-swd", W1FeCommand.patchGeometry(shape, t.getInt("direct-patch-size"),
                t.getInt("direct-patch-stride"), "train"), directions);
    }
}
