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
        String kind = t.getString("critic");
        try {
            return switch (kind) {
                case "fc" -> Networks.fcCritic(shape.size(), t.getInt("critic-nf"), t.getInt("critic-depth"), t.getDouble("lr-critic"), seed,
                        DataType.FLOAT);
                case "cnn" -> {
                    if (shape.height() == 1) {
                        throw new BadInputException("train.critic = cnn needs images, found rows of " + shape.size() + " values");
                    }
                    yield Networks.cnnCritic(shape, t.getInt("critic-nf"), t.getInt("critic-depth"), t.getInt("critic-kernel"),
                            t.getBoolean("critic-gap"), t.getDouble("lr-critic"), seed, DataType.FLOAT);
                }
                default -> throw new BadInputException("train.critic: expected fc or cnn, found '" + kind + "'");
            };
        } catch (IllegalArgumentException e) {
            throw new BadInputException("train.critic: " + e.getMessage());
        }
    }

    /** What one score of the critic depends on: the anchor's receptive-field report. */
    static String describeCritic(Config t, ImageShape shape, MultiLayerNetwork critic) {
        if (t.getString("critic").equals("fc")) {
            return String.format(Locale.ROOT, "critic FC, %d parameters: receptive field = the whole %s image", critic.numParams(), shape);
        }
        int field = Networks.receptiveField(t.getInt("critic-depth"), t.getInt("critic-kernel"));
        return String.format(Locale.ROOT, "critic CNN%s, %d parameters: receptive field %d x %d px%s", t.getBoolean("critic-gap") ? "+GAP" : "+flatten",
                critic.numParams(), field, field, t.getBoolean("critic-gap") ? " (a patch critic: the mean score of its patches)"
                        : " (the flattened map: one linear score over all locations)");
    }

    static boolean nonSaturating(Config t) {
        String loss = t.getString("loss");
        if (!loss.equals("wgan") && !loss.equals("non-saturating")) {
            throw new BadInputException("train.loss: expected wgan or non-saturating, found '" + loss + "'");
        }
        return loss.equals("non-saturating");
    }
}
