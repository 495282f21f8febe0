package org.wganspark.cli;

import java.util.LinkedHashMap;
import java.util.Map;
import picocli.CommandLine.Option;

/** --data, --limit and --out of the commands that read one dataset and write one folder, as config keys. */
final class DataOptions {

    @Option(names = "--data", paramLabel = "SOURCE", description = "Dataset: mnist, fashion-mnist, ring8, or a path (IDX, .npy, npy folder, image folder). Key data.source; "
            + "default fashion-mnist.")
    String data;

    @Option(names = "--limit", paramLabel = "N", description = "Use the first N rows (key data.limit; default 0 = all).")
    Long limit;

    @Option(names = "--out", paramLabel = "PATH", description = "Output folder (key out; default runs/<command>).")
    String out;

    Map<String, Object> keys() {
        Map<String, Object> keys = new LinkedHashMap<>();
        keys.put("data.source", data);
        keys.put("data.limit", limit);
        keys.put("out", out);
        return keys;
    }
}
