package org.wganspark.train.dist;

import java.io.Serializable;
import org.wganspark.train.local.LocalTrainer;

/** What every worker needs to rebuild the trainer: network configurations, prior, options, seed. */
public record TrainingSetup(String generatorJson, String criticJson, String prior, int zDim, long seed, LocalTrainer.Options options)
        implements Serializable {
}
