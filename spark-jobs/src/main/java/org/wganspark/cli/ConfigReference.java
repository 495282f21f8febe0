package org.wganspark.cli;

import com.typesafe.config.ConfigObject;
import com.typesafe.config.ConfigRenderOptions;
import com.typesafe.config.ConfigValue;
import com.typesafe.config.ConfigValueType;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

/**
 * The reference of every configuration key, rendered as Markdown from {@code schema.conf} itself: each key in file
 * order with its default and the comment above it, a table per section. {@code wgan-spark help config} prints it,
 * and docs/configuration.md is this text (a test keeps the two equal), so the documentation cannot drift from the
 * keys the program accepts.
 */
final class ConfigReference {

    private ConfigReference() {
    }

    static String markdown() {
        StringBuilder out = new StringBuilder();
        out.append("# Configuration\n\n")
                .append("Every key an experiment config may set, with its default, as `spark-jobs/src/main/resources/wgan-spark/schema.conf`\n")
                .append("declares it. Configs are HOCON files (`--config FILE`, any Hadoop path); `key=value` arguments on the command line\n")
                .append("override the file, which overrides these defaults. A key that is not listed here is an error that names the valid\n")
                .append("keys. This page is printed by `bin/wgan-spark help config`.\n");
        section(out, "Top level", "", ExperimentConfig.schema().root(), "");
        return out.toString();
    }

    /** A table of the section's plain keys, then its subsections, each with the comment above it as its introduction. */
    private static void section(StringBuilder out, String title, String intro, ConfigObject object, String prefix) {
        List<Map.Entry<String, ConfigValue>> entries = inFileOrder(object);
        List<Map.Entry<String, ConfigValue>> sections = new ArrayList<>();
        out.append("\n## ").append(title).append("\n\n");
        if (!intro.isEmpty()) {
            out.append(intro).append("\n\n");
        }
        out.append("| key | default | meaning |\n|---|---|---|\n");
        String previous = "";
        for (Map.Entry<String, ConfigValue> e : entries) {
            ConfigValue value = e.getValue();
            if (value.valueType() == ConfigValueType.OBJECT && !((ConfigObject) value).isEmpty()) {
                sections.add(e);
                continue;
            }
            String meaning = comment(value);
            out.append("| `").append(prefix).append(e.getKey()).append("` | `")
                    .append(value.render(ConfigRenderOptions.concise()).replace("|", "\\|")).append("` | ")
                    .append(meaning.isEmpty() ? (previous.isEmpty() ? "" : "as above") : cell(meaning)).append(" |\n");
            previous = meaning.isEmpty() ? previous : meaning;
        }
        for (Map.Entry<String, ConfigValue> e : sections) {
            section(out, prefix + e.getKey(), cell(comment(e.getValue())), (ConfigObject) e.getValue(), prefix + e.getKey() + ".");
        }
    }

    private static List<Map.Entry<String, ConfigValue>> inFileOrder(ConfigObject object) {
        List<Map.Entry<String, ConfigValue>> entries = new ArrayList<>(object.entrySet());
        entries.sort(Comparator.comparingInt(e -> e.getValue().origin().lineNumber()));
        return entries;
    }

    private static String comment(ConfigValue value) {
        return String.join(" ", value.origin().comments().stream().map(String::strip).toList()).strip();
    }

    /** Text for a table cell: pipes and angle brackets escaped (Markdown would read {@code <command>} as a tag). */
    private static String cell(String text) {
        return text.replace("|", "\\|").replace("<", "\\<").replace(">", "\\>");
    }
}
