package io.warmstream.local.bench;

import java.util.Map;

/** Reads a number out of a benchmark's own JSON by its path of keys; null where the benchmark did not measure it. */
final class RawFigures {

    private final Map<String, Object> raw;

    RawFigures(Map<String, Object> raw) {
        this.raw = raw;
    }

    Double number(String... path) {
        Object at = raw;
        for (String key : path) {
            if (!(at instanceof Map<?, ?> m)) {
                return null;
            }
            at = m.get(key);
        }
        return at instanceof Number n ? n.doubleValue() : null;
    }

    Object value(String key) {
        return raw.get(key);
    }
}
