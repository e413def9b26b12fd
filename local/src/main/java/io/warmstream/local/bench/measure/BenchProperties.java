package io.warmstream.local.bench.measure;

/** The {@code bench.*} system properties a benchmark's child JVM is started with ({@code io.warmstream.local.bench.ChildJvm}). */
public final class BenchProperties {

    private BenchProperties() {
    }

    /** The property's trimmed value, or {@code fallback} when it is unset or blank. */
    public static String get(String key, String fallback) {
        String v = System.getProperty(key);
        return v == null || v.isBlank() ? fallback : v.trim();
    }
}
