package io.warmstream.trainer.work;

import io.warmstream.model.BaseModel;
import io.warmstream.model.BottomFingerprint;
import io.warmstream.model.Compute;
import io.warmstream.model.FrozenPrefixCache;
import io.warmstream.model.features.CacheStats;
import io.warmstream.model.features.FeatureStore;
import io.warmstream.model.train.TrainingConfig;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.HexFormat;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The worker's frozen-bottom caches, kept across jobs: one per (bottom fingerprint, max length, frozen layers), all
 * on one {@link FeatureStore} (one memory budget, one optional disk directory shared by the machine's workers). A
 * label's bottom is then computed once per worker, or once per machine, instead of once per step.
 *
 * <p>Which jobs use one: those that train some but not all encoder layers ({@code 0 < trainable-layers < layers}).
 * A job from an init checkpoint uses its base model's cache only if the checkpoint kept the base's bottom (compared
 * by value); otherwise it runs the whole network, so that checkpoints trained in full cannot multiply caches.
 *
 * <p>Used by the worker's one training thread only.
 */
public final class FeatureCaches implements AutoCloseable {

    /** Caches kept open: each holds its base's weights on the device. */
    private static final int MAX_OPEN = 2;
    /** Remembered base fingerprints (by content identity): computing one parses the base's weights. */
    private static final int MAX_FINGERPRINTS = 64;
    private static final Logger LOG = LoggerFactory.getLogger(FeatureCaches.class);

    private record Key(long fingerprint, int maxLength, int frozenLayers) {
    }

    /** A job's cache (null if none, with the reason) and the store's counters before the job. */
    public record Choice(FrozenPrefixCache cache, String reason, CacheStats before) {
        public boolean used() {
            return cache != null;
        }
    }

    private final Compute compute;
    private final FeatureStore store;
    private final LinkedHashMap<Key, FrozenPrefixCache> open = new LinkedHashMap<>(4, 0.75f, true);
    private final Map<String, Long> fingerprints = new LinkedHashMap<>(16, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Long> eldest) {
            return size() > MAX_FINGERPRINTS;
        }
    };

    public FeatureCaches(FeatureCacheSettings settings, Compute compute) {
        this.compute = compute;
        this.store = settings.enabled()
                ? FeatureStore.of(memoryBudget(settings.memoryBytes()), settings.diskDir(), settings.diskBytes())
                : null;
        if (store != null) {
            LOG.info("feature cache for top-layer jobs: {} MB of memory, {}", mb(store.memory().budgetBytes()),
                    store.disk() == null ? "no disk tier" : mb(store.disk().budgetBytes()) + " MB in "
                            + store.disk().directory());
        }
    }

    /**
     * The cache for a job training from {@code trainFrom} ({@code base}, or an init checkpoint of it when
     * {@code fromCheckpoint}) with {@code cfg}; none for full fine-tuning, a checkpoint with another bottom, or
     * when disabled.
     */
    public Choice forJob(BaseModel base, BaseModel trainFrom, boolean fromCheckpoint, TrainingConfig cfg) {
        if (store == null) {
            return new Choice(null, "disabled (warm.trainer.worker.feature-cache.enabled=false)", null);
        }
        int layers = trainFrom.config().numLayers();
        int top = cfg.trainableTopLayers();
        if (top <= 0 || top >= layers) {
            return new Choice(null, "trainable-layers " + top + " of " + layers + ": nothing frozen to cache", null);
        }
        int frozen = layers - top;
        long fingerprint = fingerprint(trainFrom, frozen);
        if (fromCheckpoint && fingerprint != fingerprint(base, frozen)) {
            return new Choice(null, "the init checkpoint's embeddings or bottom " + frozen + " layers differ from "
                    + base.name() + "'s", null);
        }
        Key key = new Key(fingerprint, cfg.maxLength(), frozen);
        FrozenPrefixCache cache = open.get(key);
        if (cache == null) {
            cache = FrozenPrefixCache.create(trainFrom, compute, cfg.maxLength(), frozen, store);
            open.put(key, cache);
            closeLeastRecentlyUsed();
            LOG.info("feature cache opened for {} ({} tokens, bottom {} of {} layers, fingerprint {})", base.name(),
                    cfg.maxLength(), frozen, layers, hex(fingerprint));
        }
        return new Choice(cache, null, store.stats());
    }

    /** What {@code choice} did during the job, for the model's facts and the log. */
    public Map<String, Object> facts(Choice choice) {
        Map<String, Object> f = new LinkedHashMap<>();
        f.put("used", choice.used());
        if (!choice.used()) {
            f.put("reason", choice.reason());
            return f;
        }
        FrozenPrefixCache cache = choice.cache();
        CacheStats job = store.stats().since(choice.before());
        f.put("frozen_layers", cache.frozenLayers());
        f.put("max_length", cache.maxLength());
        f.put("fingerprint", hex(cache.fingerprint()));
        f.put("lookups", job.toFacts());
        f.put("memory_budget_bytes", store.memory().budgetBytes());
        if (store.disk() != null) {
            f.put("disk_dir", store.disk().directory().toString());
            f.put("disk_budget_bytes", store.disk().budgetBytes());
        }
        LOG.info("feature cache: {} sequences, {} of {} MB in memory{}; this job {} memory hits, {} disk hits, {} "
                + "computed", job.memoryEntries(), mb(job.memoryBytes()), mb(store.memory().budgetBytes()),
                store.disk() == null ? "" : ", " + mb(job.diskBytes()) + " of " + mb(store.disk().budgetBytes())
                        + " MB on disk", job.memoryHits(), job.diskHits(), job.misses());
        return f;
    }

    /** Fingerprints are remembered by content: name, lineage and weight hash (every base records one). */
    private long fingerprint(BaseModel model, int frozen) {
        String identity = model.name() + "|" + model.lineage().id() + "|" + model.facts().get("base_sha256") + "|"
                + model.facts().get("base_onnx_sha256") + "|" + model.config().architectureId() + "|" + frozen;
        return fingerprints.computeIfAbsent(identity, k -> BottomFingerprint.of(model, frozen));
    }

    /** The heap budget, at most half the heap: a cache must not crowd out the worker (or throw OutOfMemoryError). */
    private static long memoryBudget(long configured) {
        long cap = Runtime.getRuntime().maxMemory() / 2;
        if (configured > cap) {
            LOG.warn("feature-cache.memory-bytes {} exceeds half the heap (-Xmx {} MB): using {} MB", configured,
                    Runtime.getRuntime().maxMemory() / 1_000_000, cap / 1_000_000);
            return cap;
        }
        return configured;
    }

    private void closeLeastRecentlyUsed() {
        Iterator<FrozenPrefixCache> oldestFirst = open.values().iterator();
        while (open.size() > MAX_OPEN) {
            oldestFirst.next().close();
            oldestFirst.remove();
        }
    }

    private static String mb(long bytes) {
        return String.format(java.util.Locale.ROOT, "%.1f", bytes / 1e6);
    }

    private static String hex(long fingerprint) {
        return HexFormat.of().toHexDigits(fingerprint);
    }

    @Override
    public void close() {
        open.values().forEach(FrozenPrefixCache::close);
        open.clear();
    }
}
