package io.warmstream.trainer.work;

import java.nio.file.Path;

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
}
