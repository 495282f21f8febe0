package org.wganspark.cli;

import com.typesafe.config.Config;
import java.util.LinkedHashMap;
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
    SourceOptions source;

    @Mixin
    OutOption output;

    /** The keys of --data, --limit and --out, and those of the command's own options. */
    @Override
    protected final Map<String, Object> optionKeys() {
        Map<String, Object> keys = new LinkedHashMap<>(source.keys());
        keys.put("out", output.out);
        keys.putAll(ownKeys());
        return keys;
    }

    /** Keys set by the command's own options (none by default). */
    protected Map<String, Object> ownKeys() {
        return Map.of();
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
