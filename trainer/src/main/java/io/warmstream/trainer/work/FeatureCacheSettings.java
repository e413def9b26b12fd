package io.warmstream.trainer.work;

import java.nio.file.Path;
import java.util.Locale;

/**
 * The worker's frozen-bottom feature cache ({@code warm.trainer.worker.feature-cache.*}).
 *
 * @param enabled false: every job runs the whole network, as with full fine-tuning
 * @param memoryBytes heap budget of the cached hidden states (least recently used evicted first)
 * @param diskDir a directory for a second tier, shared by the workers of one machine; null for none
 * @param diskBytes budget of the files in {@code diskDir} (oldest evicted first)
 */
public record FeatureCacheSettings(boolean enabled, long memoryBytes, Path diskDir, long diskBytes) {

    public static final long DEFAULT_MEMORY_BYTES = 1L << 30;
    public static final long DEFAULT_DISK_BYTES = 8L << 30;

    public FeatureCacheSettings {
        if (memoryBytes < 0) {
            throw new IllegalArgumentException("feature-cache.memory-bytes must be >= 0, got " + memoryBytes);
        }
        if (diskDir != null && diskBytes <= 0) {
            throw new IllegalArgumentException("feature-cache.disk-bytes must be > 0 with a disk-dir, got " + diskBytes);
        }
    }

    /** The defaults: on, 1 GiB of memory, no disk tier. */
    public static FeatureCacheSettings defaults() {
        return new FeatureCacheSettings(true, DEFAULT_MEMORY_BYTES, null, DEFAULT_DISK_BYTES);
    }

    public static FeatureCacheSettings disabled() {
        return new FeatureCacheSettings(false, 0, null, DEFAULT_DISK_BYTES);
    }

    /**
     * A byte count: digits, optionally followed by a unit; K, M, G and T (with or without "B" or "iB", any case)
     * are all powers of 1024, as heap sizes are. "1GiB" = "1g" = 1073741824.
     */
    public static long parseBytes(String key, String text) {
        String s = text.trim().toLowerCase(Locale.ROOT).replace("_", "");
        int end = 0;
        while (end < s.length() && Character.isDigit(s.charAt(end))) {
            end++;
        }
        String unit = s.substring(end).trim().replaceFirst("i?b$", "");
        int shift = switch (unit) {
            case "" -> 0;
            case "k" -> 10;
            case "m" -> 20;
            case "g" -> 30;
            case "t" -> 40;
            default -> -1;
        };
        if (end == 0 || shift < 0) {
            throw new IllegalArgumentException(key + ": '" + text + "' is not a byte count (e.g. 1073741824, 512MiB, 1GiB)");
        }
        long value = Long.parseLong(s.substring(0, end));
        if (value > (Long.MAX_VALUE >> shift)) {
            throw new IllegalArgumentException(key + ": '" + text + "' is too large");
        }
        return value << shift;
    }
}
