package org.wganspark.cli;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigParseOptions;
import com.typesafe.config.ConfigSyntax;
import com.typesafe.config.ConfigValue;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;
import org.wganspark.io.BadInputException;

/**
 * HOCON experiment configs (Typesafe Config) checked against the schema in
 * {@code wgan-spark/schema.conf}: command-line {@code key=value} overrides win over the config file,
 * which wins over the schema's defaults. Unknown keys and wrongly typed values are {@link BadInputException}s.
 */
public final class ExperimentConfig {

    /** Subtrees whose keys are free-form (passed through as they are). */
    private static final List<String> FREE_FORM = List.of("spark.conf");

    private ExperimentConfig() {
    }

    public static Config schema() {
        return ConfigFactory.parseResources(ExperimentConfig.class.getClassLoader(), "wgan-spark/schema.conf");
    }

    /**
     * @param file      config file (any Hadoop path), or null
     * @param options   keys set by command-line options (checked like the file)
     * @param overrides {@code key=value} strings, last wins
     */
    public static Config load(String file, Map<String, Object> options, List<String> overrides, Configuration hadoop) {
        return complete(explicit(file, options, overrides, hadoop), schema(), file);
    }

    /**
     * The keys the user gave, unresolved: overrides over command-line options over the config file, every key checked
     * against the schema.
     */
    public static Config explicit(String file, Map<String, Object> options, List<String> overrides, Configuration hadoop) {
        Config schema = schema();
        Config fromFile = ConfigFactory.empty();
        if (file != null) {
            fromFile = parseFile(file, hadoop);
            checkKeys(fromFile, schema, file);
        }
        Config fromOptions = ConfigFactory.parseMap(options, "command-line options");
        Config fromOverrides = ConfigFactory.empty();
        for (String o : overrides) {
            int eq = o.indexOf('=');
            if (eq <= 0) {
                throw new BadInputException("override '" + o + "': expected key=value");
            }
            Config one;
            try {
                one = ConfigFactory.parseString(o.substring(0, eq).trim() + " = " + quoteIfNeeded(o.substring(eq + 1).trim()),
                        ConfigParseOptions.defaults().setOriginDescription("override " + o));
            } catch (ConfigException e) {
                throw new BadInputException("override '" + o + "': " + e.getMessage());
            }
            checkKeys(one, schema, "override '" + o + "'");
            fromOverrides = one.withFallback(fromOverrides);
        }
        return fromOverrides.withFallback(fromOptions).withFallback(fromFile);
    }

    /**
     * The config of a resumed run: its saved config, with the keys the user gave now only where they may change on resume
     * ({@code mayChange}: exact keys, or prefixes ending in '.'); a different value for any other key is bad input,
     * because the checkpoint and the metrics so far belong to the saved one.
     *
     * @param saved      the run's config.conf, as written when it started
     * @param savedPath  where it was read, for messages
     */
    public static Config resume(Config saved, String savedPath, Config explicit, List<String> mayChange) {
        Config kept = ConfigFactory.empty();
        for (Map.Entry<String, ConfigValue> e : explicit.entrySet()) {
            String key = e.getKey();
            boolean free = mayChange.stream().anyMatch(k -> k.endsWith(".") ? key.startsWith(k) : key.equals(k));
            if (free) {
                kept = kept.withValue(key, e.getValue());
                continue;
            }
            Object given = e.getValue().unwrapped();
            Object before = saved.hasPath(key) ? saved.getValue(key).unwrapped() : null;
            if (before == null || !String.valueOf(before).equals(String.valueOf(given))) {
                throw new BadInputException("--resume: " + key + " is " + (before == null ? "not set" : "'" + before + "'") + " in " + savedPath
                        + ", found '" + given + "'; a resumed run keeps its config (may change: "
                        + String.join(", ", mayChange.stream().map(k -> k.endsWith(".") ? k + "*" : k).toList())
                        + "); start a new run in another folder instead");
            }
        }
        return complete(kept.withFallback(saved), schema(), savedPath);
    }

    /** {@code given} (from {@link #explicit}) over the schema's defaults, resolved and checked. */
    public static Config withDefaults(Config given, String file) {
        return complete(given, schema(), file);
    }

    private static Config complete(Config given, Config schema, String file) {
        Config merged;
        try {
            merged = given.withFallback(schema).resolve();
            merged.checkValid(schema);
            checkLeafTypes(merged, schema);
        } catch (ConfigException.ValidationFailed e) {
            ConfigException.ValidationProblem p = e.problems().iterator().next();
            throw new BadInputException((file != null ? file + ": " : "") + "key " + p.path() + ": " + p.problem());
        } catch (ConfigException e) {
            throw new BadInputException((file != null ? file + ": " : "") + e.getMessage());
        }
        return merged;
    }

    /** Typesafe's checkValid lets a string stand for a number or boolean; we insist the value parses as one. */
    private static void checkLeafTypes(Config merged, Config schema) {
        for (Map.Entry<String, ConfigValue> e : schema.entrySet()) {
            String key = e.getKey();
            try {
                switch (e.getValue().valueType()) {
                    case NUMBER -> merged.getNumber(key);
                    case BOOLEAN -> merged.getBoolean(key);
                    default -> {
                    }
                }
            } catch (ConfigException.WrongType | ConfigException.BadValue ex) {
                Object found = merged.getValue(key).unwrapped();
                throw new BadInputException("key " + key + ": expected a " + e.getValue().valueType().name().toLowerCase(java.util.Locale.ROOT)
                        + " like " + e.getValue().render() + ", found '" + found + "'");
            }
        }
    }

    private static String quoteIfNeeded(String value) {
        // Bare HOCON values may not contain ':' or '/' runs etc.; paths and URLs are the common case.
        if (value.startsWith("\"") || value.startsWith("[") || value.startsWith("{") || value.matches("[A-Za-z0-9_.+\\-]*")) {
            return value;
        }
        return ConfigFactory.parseMap(Map.of("v", value)).getValue("v").render(com.typesafe.config.ConfigRenderOptions.concise());
    }

    static Config parseFile(String file, Configuration hadoop) {
        Path path = new Path(file);
        String text;
        try (InputStream in = path.getFileSystem(hadoop).open(path)) {
            text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (java.io.FileNotFoundException e) {
            throw new BadInputException(file + ": no such config file");
        } catch (IOException e) {
            throw new BadInputException(file + ": cannot read config: " + e.getMessage());
        }
        try {
            return ConfigFactory.parseString(text, ConfigParseOptions.defaults().setSyntax(ConfigSyntax.CONF).setOriginDescription(file));
        } catch (ConfigException e) {
            String brackets = unbalancedBracket(text);
            throw new BadInputException(brackets != null ? file + ": " + brackets : e.getMessage());
        }
    }

    /**
     * Where the braces and brackets of a HOCON text stop matching, for a parse error that the parser reports only where
     * it gave up (a missing '}' surfaces at the end of the file as "expecting a close parentheses"); null when they match.
     */
    static String unbalancedBracket(String text) {
        java.util.ArrayDeque<int[]> open = new java.util.ArrayDeque<>();  // {character, line}
        int line = 1;
        char quote = 0;
        for (int k = 0; k < text.length(); k++) {
            char c = text.charAt(k);
            if (c == '\n') {
                line++;
                quote = 0;  // strings end with their line (triple-quoted ones are not checked)
                continue;
            }
            if (quote != 0) {
                if (c == '\\') {
                    k++;
                } else if (c == quote) {
                    quote = 0;
                }
                continue;
            }
            if (c == '"') {
                quote = c;
            } else if (c == '#' || c == '/' && k + 1 < text.length() && text.charAt(k + 1) == '/') {
                int end = text.indexOf('\n', k);
                k = (end < 0 ? text.length() : end) - 1;
            } else if (c == '{' || c == '[') {
                open.push(new int[] {c, line});
            } else if (c == '}' || c == ']') {
                char expected = c == '}' ? '{' : '[';
                if (open.isEmpty() || open.peek()[0] != expected) {
                    return "line " + line + ": '" + c + "' closes nothing" + (open.isEmpty() ? "" : " (the '" + (char) open.peek()[0]
                            + "' of line " + open.peek()[1] + " is still open)");
                }
                open.pop();
            }
        }
        if (!open.isEmpty()) {
            int[] last = open.peek();
            return "line " + last[1] + ": '" + (char) last[0] + "' is never closed (expected '" + (last[0] == '{' ? '}' : ']') + "')";
        }
        return null;
    }

    private static void checkKeys(Config given, Config schema, String where) {
        for (Map.Entry<String, ConfigValue> e : given.entrySet()) {
            String key = e.getKey();
            if (FREE_FORM.stream().anyMatch(f -> key.startsWith(f + "."))) {
                continue;
            }
            try {
                if (!schema.hasPathOrNull(key)) {
                    throw new BadInputException(where + ": unknown key '" + key + "'; valid keys" + validKeysNear(key, schema));
                }
            } catch (ConfigException.BadPath bad) {  // a quoted key that is no valid path, e.g. "a.\"b\""
                throw new BadInputException(where + ": key '" + key + "' is not a valid path: " + bad.getMessage());
            }
        }
    }

    private static String validKeysNear(String key, Config schema) {
        String section = key.contains(".") ? key.substring(0, key.indexOf('.')) : "";
        TreeSet<String> keys = new TreeSet<>();
        boolean sectionExists = !section.isEmpty() && schema.hasPath(section);
        for (Map.Entry<String, ConfigValue> e : schema.entrySet()) {
            String k = e.getKey();
            if (!sectionExists || k.startsWith(section + ".")) {
                keys.add(k);
            }
        }
        for (String f : FREE_FORM) {
            if (!sectionExists || f.startsWith(section + ".")) {
                keys.add(f + ".*");
            }
        }
        return (sectionExists ? " under " + section : "") + ": " + String.join(", ", keys);
    }
}
