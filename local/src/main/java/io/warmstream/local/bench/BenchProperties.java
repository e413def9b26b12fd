package io.warmstream.local.bench;

/** The {@code bench.*} system properties a benchmark's child JVM is started with ({@link ChildJvm}). */
public final class BenchProperties {

    private BenchProperties() {
    }

    /** The property's trimmed value, or {@code fallback} when it is unset or blank. */
    public static String get(String key, String fallback) {
        String v = System.getProperty(key);
        return v == null || v.isBlank() ? fallback : v.trim();
    }
}
