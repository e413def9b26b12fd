package io.warmstream.model.features;

import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Hidden states on the heap, bounded by bytes: once a put passes the budget, the least recently used entries go
 * first. An entry counts its floats plus {@link #ENTRY_OVERHEAD} for key, array header and map node, so the budget
 * bounds what the store really holds. Thread-safe (one lock: lookups are far cheaper than what they save).
 */
public final class MemoryFeatureStore {

    /** Heap bytes per entry besides its floats: the key (digest and object), the array header, the map node. */
    public static final long ENTRY_OVERHEAD = 160;

    private final long budgetBytes;
    private final LinkedHashMap<SequenceKey, float[]> entries = new LinkedHashMap<>(64, 0.75f, true);
    private long bytes;
    private long evictions;

    public MemoryFeatureStore(long budgetBytes) {
        if (budgetBytes < 0) {
            throw new IllegalArgumentException("memory budget must be >= 0 bytes, got " + budgetBytes);
        }
        this.budgetBytes = budgetBytes;
    }

    /** The hidden state stored under {@code key}, now the most recently used; null if absent. Do not modify it. */
    public synchronized float[] get(SequenceKey key) {
        return entries.get(key);
    }

    /**
     * Stores {@code hidden} (kept, not copied), then evicts least recently used entries until the budget holds. An
     * entry larger than the whole budget is not stored: it would only push everything else out.
     */
    public synchronized void put(SequenceKey key, float[] hidden) {
        long size = sizeOf(hidden);
        if (size > budgetBytes) {
            return;
        }
        float[] previous = entries.put(key, hidden);
        if (previous != null) {
            bytes -= sizeOf(previous);
        }
        bytes += size;
        Iterator<Map.Entry<SequenceKey, float[]>> oldestFirst = entries.entrySet().iterator();
        while (bytes > budgetBytes && oldestFirst.hasNext()) {
            Map.Entry<SequenceKey, float[]> e = oldestFirst.next();
            bytes -= sizeOf(e.getValue());
            oldestFirst.remove();
            evictions++;
        }
    }

    public synchronized boolean contains(SequenceKey key) {
        return entries.containsKey(key);
    }

    public synchronized int entries() {
        return entries.size();
    }

    /** Bytes held, as counted against the budget. */
    public synchronized long bytes() {
        return bytes;
    }

    public synchronized long evictions() {
        return evictions;
    }

    public long budgetBytes() {
        return budgetBytes;
    }

    static long sizeOf(float[] hidden) {
        return 4L * hidden.length + ENTRY_OVERHEAD;
    }
}
