package io.warmstream.model.features;

import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Where cached hidden states live: a bounded memory tier over an optional bounded disk tier, with hit counts.
 * Keys carry the bottom's fingerprint, so one store can serve several caches (bottoms) under one budget.
 * Thread-safe.
 */
public final class FeatureStore {

    private final MemoryFeatureStore memory;
    private final DiskFeatureStore disk;
    private final AtomicLong memoryHits = new AtomicLong();
    private final AtomicLong diskHits = new AtomicLong();
    private final AtomicLong misses = new AtomicLong();

    /** {@code disk}: null for memory only. */
    public FeatureStore(MemoryFeatureStore memory, DiskFeatureStore disk) {
        this.memory = java.util.Objects.requireNonNull(memory, "memory");
        this.disk = disk;
    }

    /** Memory only, bounded by {@code memoryBytes} ({@link Long#MAX_VALUE}: unbounded). */
    public static FeatureStore inMemory(long memoryBytes) {
        return new FeatureStore(new MemoryFeatureStore(memoryBytes), null);
    }

    /** Memory over a directory ({@code diskDir} null: memory only). */
    public static FeatureStore of(long memoryBytes, Path diskDir, long diskBytes) {
        return new FeatureStore(new MemoryFeatureStore(memoryBytes),
                diskDir == null ? null : new DiskFeatureStore(diskDir, diskBytes));
    }

    /** From memory, else from disk (then kept in memory too), else null: the caller computes and {@link #put}s it. */
    public float[] get(SequenceKey key) {
        float[] hidden = memory.get(key);
        if (hidden != null) {
            memoryHits.incrementAndGet();
            return hidden;
        }
        hidden = disk == null ? null : disk.get(key);
        if (hidden != null) {
            diskHits.incrementAndGet();
            memory.put(key, hidden);
            return hidden;
        }
        misses.incrementAndGet();
        return null;
    }

    /** Keeps a computed hidden state in memory and on disk. */
    public void put(SequenceKey key, float[] hidden) {
        memory.put(key, hidden);
        if (disk != null) {
            disk.put(key, hidden);
        }
    }

    public MemoryFeatureStore memory() {
        return memory;
    }

    /** The disk tier, or null. */
    public DiskFeatureStore disk() {
        return disk;
    }

    public CacheStats stats() {
        return new CacheStats(memoryHits.get(), diskHits.get(), misses.get(), memory.evictions(),
                disk == null ? 0 : disk.evictions(), disk == null ? 0 : disk.corrupt(), memory.entries(),
                memory.bytes(), disk == null ? 0 : disk.bytes());
    }
}
