package org.wganspark.cli;

import com.typesafe.config.Config;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.wganspark.data.DataSpec;
import org.wganspark.data.Datasets;
import org.wganspark.data.ImageShape;
import org.wganspark.data.RowSource;
import picocli.CommandLine.Mixin;

/** A command that reads one configured dataset (--data, --limit) and writes one folder (--out). */
abstract class DatasetCommand extends JobCommand {

    @Mixin
    DataOptions dataOptions;

    @Override
    protected Map<String, Object> optionKeys() {
        return dataOptions.keys();
    }

    /** The dataset of the config's data section, opened before Spark starts, so a bad source is one line. */
    protected record Opened(DataSpec spec, RowSource source, ImageShape shape) {
    }

    protected Opened openData(Config config) {
        DataSpec spec = Specs.data(config);
        RowSource source = Datasets.open(spec, new Configuration(), namedDatasets(false));
        return new Opened(spec, source, source.shape());
    }
}
