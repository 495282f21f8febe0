package org.wganspark.cli;

import com.typesafe.config.Config;
import org.wganspark.data.ImageShape;
import org.wganspark.io.BadInputException;
import org.wganspark.model.NetworkSpec;
import org.wganspark.train.objective.DirectLoss;
import org.wganspark.train.step.Kernels;

/** The train section's choices that are not numbers: the networks, the loss, the kernels. */
final class NetworkChoice {

    private NetworkChoice() {
    }

    /** The networks the train section asks for. */
    static NetworkSpec networks(Config t) {
        return new NetworkSpec(t.getString("generator"), t.getInt("generator-nf"), t.getInt("generator-depth"), t.getDouble("lr-generator"),
                t.getString("critic"), t.getInt("critic-nf"), t.getInt("critic-depth"), t.getInt("critic-kernel"), t.getInt("critic-padding"),
                t.getBoolean("critic-gap"), t.getDouble("lr-critic"), t.getString("init"));
    }

    /** The config's {@code kernels}: what runs the training steps. */
    static Kernels kernels(Config config) {
        try {
            return Kernels.parse(config.getString("kernels"));
        } catch (IllegalArgumentException e) {
            throw new BadInputException("kernels: " + e.getMessage());
        }
    }

    static boolean nonSaturating(Config t) {
        String loss = t.getString("loss");
        if (!java.util.List.of("wgan", "non-saturating", "direct-w1", "direct-patch-swd").contains(loss)) {
            throw new BadInputException("train.loss: expected wgan, non-saturating, direct-w1 or direct-patch-swd, found '" + loss + "'");
        }
        return loss.equals("non-saturating");
    }

    /** The metric of {@code train.loss = direct-...} (no critic), or null for a GAN loss. */
    static DirectLoss direct(Config t, ImageShape shape) {
        String loss = t.getString("loss");
        if (loss.equals("direct-w1")) {
            return new DirectLoss("w1", null, 0);
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
        return new DirectLoss("patch-swd", Specs.patchGeometry(shape, t.getInt("direct-patch-size"), t.getInt("direct-patch-stride"), "train"),
                directions);
    }
}
