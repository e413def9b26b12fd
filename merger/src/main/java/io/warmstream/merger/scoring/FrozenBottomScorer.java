package io.warmstream.merger.scoring;

import io.warmstream.merger.guard.PairRanker;
import io.warmstream.model.BaseModel;
import io.warmstream.model.BaseModels;
import io.warmstream.model.Compute;
import io.warmstream.model.FrozenBottomWeights;
import io.warmstream.model.FrozenPrefixCache;
import io.warmstream.model.PreferencePair;
import io.warmstream.model.RewardModel;
import io.warmstream.model.features.FeatureStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.file.Path;
import java.util.List;

/**
 * Scores models on held-out pairs like {@link PairRanker#rewardModels}, but from cached bottom-layer features when
 * the model's bottom allows it. Why: members trained with only their top layers (the CPU default) and every average
 * of them carry the base's embeddings and bottom layers bit for bit, so the hidden states leaving the bottom are the
 * same for all of them; computed once per held-out sequence, each later model runs only its top layers.
 *
 * <p>Integrity: the model is loaded hash-verified as before, then its bottom weights are compared value for value
 * with those the cache was computed from ({@link FrozenBottomWeights}); a single differing value (a model trained in
 * full, an altered file) and the model runs whole, with a log line and the {@code full} outcome. The cached path's
 * rewards equal the full network's within float reassociation (tested within 1e-5). Any failure of the cache itself
 * falls back to the full network: the checks never depend on the cache working.
 *
 * <p>The cached bottom comes from {@code base-model}, or else from the first model scored; with {@code base-model}
 * set it opens before the first checkpoint. One thread at a time.
 */
public final class FrozenBottomScorer implements PairRanker, AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(FrozenBottomScorer.class);

    /** Told, for each model scored, whether it ran from cached features or whole. */
    @FunctionalInterface
    public interface Outcomes {
        Outcomes NONE = cached -> { };

        void scored(boolean fromCache);
    }

    private final HeldOutCacheSettings settings;
    private final Compute compute;
    private final Outcomes outcomes;
    private FeatureStore store;
    private FrozenPrefixCache cache;
    private FrozenBottomWeights bottom;
    private String unusable;
    private boolean triedAtStart;

    public FrozenBottomScorer(HeldOutCacheSettings settings, Compute compute, Outcomes outcomes) {
        this.settings = settings;
        this.compute = compute;
        this.outcomes = outcomes;
    }

    @Override
    public synchronized boolean[] rankedRight(Path modelDir, List<PreferencePair> pairs) {
        Rewards r = rewards(modelDir, pairs);
        return PairRanker.rankedRight(r.chosen(), r.rejected());
    }

    /** Opens the cache from {@code modelDir} if it is not open, so prewarming can start; never fails. */
    @Override
    public synchronized void prepare(Path modelDir) {
        if (cache != null || !settings.isEnabled()) {
            return;
        }
        try (RewardModel model = RewardModel.load(modelDir, compute)) {
            cacheFor(model, modelDir);
        } catch (RuntimeException e) {
            LOG.info("held-out feature cache not opened from {} ({}); the first scored model opens it", modelDir,
                    e.toString());
        }
    }

    /**
     * Opens the cache from the configured base ({@link HeldOutCacheSettings#opensAtStart()}), so prewarming fills it
     * before the first checkpoint; never fails (the first scored model opens it then).
     */
    public synchronized void prepareFromSettings() {
        if (cache != null || !settings.opensAtStart() || triedAtStart) {
            return;
        }
        triedAtStart = true;
        try {
            BaseModel base = BaseModels.byName(settings.getBaseModel());
            int layers = Math.min(settings.getCachedLayers(), base.config().numLayers() - 1);
            if (layers >= 1) {
                open(base, layers, settings.getMaxLength() > 0 ? settings.getMaxLength() : base.config().maxPositions());
            }
        } catch (RuntimeException e) {
            LOG.info("held-out feature cache not opened from {} ({}); the first scored model opens it",
                    settings.getBaseModel(), e.toString());
        }
    }

    /** Rewards of both responses of each pair, and whether they came from cached features. */
    record Rewards(float[] chosen, float[] rejected, boolean fromCache) {
    }

    synchronized Rewards rewards(Path modelDir, List<PreferencePair> pairs) {
        List<String> prompts = pairs.stream().map(PreferencePair::prompt).toList();
        List<String> chosen = pairs.stream().map(PreferencePair::chosen).toList();
        List<String> rejected = pairs.stream().map(PreferencePair::rejected).toList();
        try (RewardModel model = RewardModel.load(modelDir, compute)) {
            FrozenPrefixCache c = cacheFor(model, modelDir);
            if (c != null) {
                try {
                    Rewards r = new Rewards(c.score(model, prompts, chosen), c.score(model, prompts, rejected), true);
                    outcomes.scored(true);
                    return r;
                } catch (RuntimeException e) {
                    LOG.warn("held-out scoring of {}: the feature cache failed ({}); running the whole network",
                            modelDir, e.toString());
                    close();
                }
            }
            outcomes.scored(false);
            return new Rewards(model.score(prompts, chosen), model.score(prompts, rejected), false);
        }
    }

    /**
     * Computes the cached bottom of {@code pairs} ahead of the next checkpoint, a few pairs per lock hold so a
     * checkpoint's scoring waits at most one chunk. Does nothing before the first model opened the cache (its token
     * length and bottom are not known until then). Returns the sequences computed.
     */
    public long prewarm(List<PreferencePair> pairs, int chunk) {
        long computed = 0;
        for (int start = 0; start < pairs.size(); start += chunk) {
            List<PreferencePair> part = pairs.subList(start, Math.min(pairs.size(), start + chunk));
            synchronized (this) {
                if (cache == null) {
                    return computed;
                }
                List<String> prompts = part.stream().map(PreferencePair::prompt).toList();
                try {
                    computed += cache.precompute(prompts, part.stream().map(PreferencePair::chosen).toList());
                    computed += cache.precompute(prompts, part.stream().map(PreferencePair::rejected).toList());
                } catch (RuntimeException e) {
                    // The checks never depend on the cache: they compute what they lack themselves.
                    LOG.warn("held-out feature prewarm failed ({}); checkpoints compute their features", e.toString());
                    return computed;
                }
            }
        }
        return computed;
    }

    /** Cached hidden states in memory now (0 before the first model is scored). */
    public synchronized long cachedBytes() {
        return cache == null ? 0 : cache.bytes();
    }

    /** The cache whose bottom {@code model} has, value for value; null when the model must run whole. */
    private FrozenPrefixCache cacheFor(RewardModel model, Path dir) {
        if (!settings.isEnabled()) {
            return null;
        }
        int layers = Math.min(settings.getCachedLayers(), model.config().numLayers() - 1);
        if (layers < 1) {
            once("held-out scoring runs whole networks: " + model.config().numLayers() + "-layer models leave no "
                    + "bottom to cache with " + HeldOutCacheSettings.PREFIX + ".cached-layers "
                    + settings.getCachedLayers());
            return null;
        }
        try {
            if (cache == null || cache.maxLength() != model.maxLength() || cache.frozenLayers() != layers) {
                open(settings.getBaseModel().isEmpty() ? BaseModels.fromDirectory(dir)
                        : BaseModels.byName(settings.getBaseModel()), layers, model.maxLength());
            }
            String differs = cache.firstDifference(model, bottom);
            if (differs != null) {
                LOG.info("held-out scoring of {}: whole network, its embeddings or bottom {} layers differ from the "
                        + "cached ones (first: {})", dir, layers, differs);
                return null;
            }
            return cache;
        } catch (RuntimeException e) {
            LOG.warn("held-out scoring of {}: whole network, the feature cache failed ({})", dir, e.toString());
            close();
            return null;
        }
    }

    private void open(BaseModel source, int layers, int maxLength) {
        close();
        if (store == null) {
            store = FeatureStore.inMemory(Math.min(settings.getMemoryBytes(), Runtime.getRuntime().maxMemory() / 2));
        }
        bottom = FrozenBottomWeights.of(source, layers);
        cache = FrozenPrefixCache.create(source, compute, maxLength, layers, store);
        LOG.info("held-out feature cache: bottom {} of {} layers from {}, {} tokens, {} MB of memory", layers,
                source.config().numLayers(), source.name(), maxLength, store.memory().budgetBytes() >> 20);
    }

    private void once(String why) {
        if (!why.equals(unusable)) {
            unusable = why;
            LOG.info(why);
        }
    }

    @Override
    public synchronized void close() {
        if (cache != null) {
            cache.close();
            cache = null;
        }
        bottom = null;
    }
}
