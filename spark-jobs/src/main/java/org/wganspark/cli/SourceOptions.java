package org.wganspark.cli;

import java.util.LinkedHashMap;
import java.util.Map;
import picocli.CommandLine.Option;

/** --data and --limit of the commands that read one dataset, as config keys. */
final class SourceOptions {

    @Option(names = "--data", paramLabel = "SOURCE", description = "Dataset: mnist, fashion-mnist, ring8, or a path (IDX, .npy, npy folder, "
            + "image folder). Key data.source; default fashion-mnist.")
    String data;

    @Option(names = "--limit", paramLabel = "N", description = "Use the first N rows (images) of the dataset (key data.limit; default 0 = all).")
    Long limit;

    /** The keys these options set; null where the option was not given. */
    Map<String, Object> keys() {
        Map<String, Object> keys = new LinkedHashMap<>();
        keys.put("data.source", data);
        keys.put("data.limit", limit);
        return keys;
    }
}
