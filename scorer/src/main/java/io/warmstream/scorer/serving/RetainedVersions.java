package io.warmstream.scorer.serving;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Optional;

/**
 * Versions that served before and stay loaded for requests pinned to them ({@code "version": N}), least recently
 * used first out. Bounded by a count (the serving version counts as one of {@code maxVersions}) and by an estimate
 * of memory (weights of the version and of its loaded ENS members, serving version included): an RL trainer that
 * pinned a version for a rollout batch keeps being answered by it after a swap, as long as it keeps using it.
 *
 * <p>Each retained version holds the installation reference {@link HotSwappedModel} gave up; evicting it releases
 * that reference, so a request already leasing it still finishes.
 */
public final class RetainedVersions implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(RetainedVersions.class);

    private final int maxVersions;
    private final long maxBytes;
    private final LinkedHashMap<Long, ServingModel> byUse = new LinkedHashMap<>(16, 0.75f, true);

    /**
     * @param maxVersions versions loaded at most, the serving one included (1: none retained)
     * @param maxBytes    estimated bytes of all loaded versions at most, the serving one included
     */
    public RetainedVersions(int maxVersions, long maxBytes) {
        if (maxVersions < 1) {
            throw new IllegalArgumentException("maxVersions must be >= 1, got " + maxVersions);
        }
        this.maxVersions = maxVersions;
        this.maxBytes = maxBytes;
    }

    /** Keeps no version besides the serving one. */
    public static RetainedVersions none() {
        return new RetainedVersions(1, Long.MAX_VALUE);
    }

    public int maxVersions() {
        return maxVersions;
    }

    public long maxBytes() {
        return maxBytes;
    }

    /** Takes over the installation reference of a version that stopped serving; evicts to stay in bounds. */
    synchronized void keep(ServingModel retired, ServingModel serving) {
        byUse.put(retired.version().version(), retired);
        evict(serving);
    }

    /** A lease on a retained version (marking it used), or empty if it is not retained. */
    synchronized Optional<ModelLease> lease(long version) {
        ServingModel m = byUse.get(version);
        return m == null ? Optional.empty() : m.tryLease();
    }

    /** Retained version numbers, newest first. */
    public synchronized List<Long> versions() {
        List<Long> out = new ArrayList<>(byUse.keySet());
        out.sort((a, b) -> Long.compare(b, a));
        return out;
    }

    /** Evicts again, e.g. after ENS members of the serving version loaded and its size grew. */
    synchronized void fit(ServingModel serving) {
        evict(serving);
    }

    private void evict(ServingModel serving) {
        long bytes = serving == null ? 0 : serving.memoryBytes();
        for (ServingModel m : byUse.values()) {
            bytes += m.memoryBytes();
        }
        Iterator<ServingModel> lru = byUse.values().iterator();
        while (lru.hasNext() && (byUse.size() + 1 > maxVersions || bytes > maxBytes)) {
            ServingModel m = lru.next();
            lru.remove();
            bytes -= m.memoryBytes();
            LOG.info("no longer keeping v{} loaded for pinned requests (least recently used)", m.version().version());
            m.release();
        }
    }

    @Override
    public synchronized void close() {
        for (ServingModel m : byUse.values()) {
            m.release();
        }
        byUse.clear();
    }
}
