package io.warmstream.model.features;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What a {@link FeatureStore} did: lookups answered from memory, from disk, or by neither (the caller computed the
 * hidden state), evictions and corrupt disk files; and what it holds now.
 */
public record CacheStats(long memoryHits, long diskHits, long misses, long memoryEvictions, long diskEvictions,
                         long diskCorrupt, int memoryEntries, long memoryBytes, long diskBytes) {

    /** The counters since {@code earlier} (the sizes stay current): what one job did. */
    public CacheStats since(CacheStats earlier) {
        return new CacheStats(memoryHits - earlier.memoryHits, diskHits - earlier.diskHits, misses - earlier.misses,
                memoryEvictions - earlier.memoryEvictions, diskEvictions - earlier.diskEvictions,
                diskCorrupt - earlier.diskCorrupt, memoryEntries, memoryBytes, diskBytes);
    }

    public long lookups() {
        return memoryHits + diskHits + misses;
    }

    /** Snake-case facts, as model directories record them. */
    public Map<String, Object> toFacts() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("memory_hits", memoryHits);
        m.put("disk_hits", diskHits);
        m.put("misses", misses);
        m.put("memory_evictions", memoryEvictions);
        m.put("disk_evictions", diskEvictions);
        m.put("disk_corrupt", diskCorrupt);
        m.put("memory_entries", memoryEntries);
        m.put("memory_bytes", memoryBytes);
        m.put("disk_bytes", diskBytes);
        return m;
    }
}
