package org.wganspark.io;


/** A flat JSON object built in insertion order: enough for our one-line results, no dependency. */
public final class Json {

    private final StringBuilder b = new StringBuilder("{");

    public Json put(String key, Object value) {
        if (b.length() > 1) {
            b.append(',');
        }
        b.append(quote(key)).append(':');
        if (value == null) {
            b.append("null");
        } else if (value instanceof Double d) {
            b.append(Double.isFinite(d) ? Double.toString(d) : "null");  // round-trips exactly
        } else if (value instanceof Number || value instanceof Boolean) {
            b.append(value);
        } else if (value instanceof RawJson raw) {
            b.append(raw.text());
        } else {
            b.append(quote(value.toString()));
        }
        return this;
    }

    /** A value that is already JSON. */
    public record RawJson(String text) {
    }

    public static String quote(String s) {
        StringBuilder q = new StringBuilder("\"");
        for (char c : s.toCharArray()) {
            switch (c) {
                case '"' -> q.append("\\\"");
                case '\\' -> q.append("\\\\");
                case '\n' -> q.append("\\n");
                case '\t' -> q.append("\\t");
                default -> {
                    if (c < 0x20) {
                        q.append(String.format("\\u%04x", (int) c));
                    } else {
                        q.append(c);
                    }
                }
            }
        }
        return q.append('"').toString();
    }

    @Override
    public String toString() {
        return b + "}";
    }
}
