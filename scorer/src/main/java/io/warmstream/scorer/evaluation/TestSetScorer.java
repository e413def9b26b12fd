package io.warmstream.scorer.evaluation;

import io.warmstream.model.BaseModel;
import io.warmstream.model.BaseModels;
import io.warmstream.model.Compute;
import io.warmstream.model.FrozenPrefixCache;
import io.warmstream.model.RewardModel;
import io.warmstream.model.features.FeatureStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.function.Supplier;

/**
 * Scores model directories on fixed test sets. Versions of one average fine-tuned with their bottom layers frozen
 * share those layers bit for bit, so their output is computed once per test sequence ({@link FrozenPrefixCache}) and
 * each later model runs only its top layers: a fraction of a whole forward pass. A model whose bottom differs (all
 * layers trained, another base) starts a fresh cache from its own bottom, so the next model like it is fast again.
 *
 * <p>One thread at a time (the judge's worker).
 */
public final class TestSetScorer implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(TestSetScorer.class);
    /** Pairs scored between two looks at {@link #cancel()}: a few seconds of CPU at most. */
    static final int CHUNK = 64;

    private final List<TestSet> sets;
    private final Compute compute;
    private final int maxLength;
    private final int cachedLayers;
    private final Path diskDir;
    private final long diskBytes;
    private FrozenPrefixCache cache;
    /** Set by {@link #cancel()} from another thread: scoring stops between chunks, before anything is closed under it. */
    private volatile boolean cancelled;

    /**
     * @param maxLength    tokens per (prompt, response); 0: each model's own maximum, which is what the scorer serves
     * @param cachedLayers bottom encoder layers to cache (0: no cache, every model runs whole)
     */
    public TestSetScorer(List<TestSet> sets, Compute compute, int maxLength, int cachedLayers) {
        this(sets, compute, maxLength, cachedLayers, null, 0);
    }

    /**
     * As {@link #TestSetScorer(List, Compute, int, int)}, also keeping the cached layers' output in {@code diskDir}
     * (bounded by {@code diskBytes}), where a restarted scorer, another scorer of the machine or an offline judge of
     * the same test sets finds it instead of computing it again. {@code diskDir} null: memory only.
     */
    public TestSetScorer(List<TestSet> sets, Compute compute, int maxLength, int cachedLayers, Path diskDir,
                         long diskBytes) {
        this.sets = List.copyOf(sets);
        this.compute = compute;
        this.maxLength = maxLength;
        this.cachedLayers = cachedLayers;
        this.diskDir = diskDir;
        this.diskBytes = diskBytes;
    }

    public List<TestSetAccuracy> score(Path modelDir) {
        return outcomes(modelDir).stream().map(TestSetOutcomes::accuracy).toList();
    }

    /** Per pair, which the model got right, test set by test set. */
    public List<TestSetOutcomes> outcomes(Path modelDir) {
        try (RewardModel loaded = RewardModel.load(modelDir, compute)) {
            int length = length(loaded.config().maxPositions());
            if (length == loaded.maxLength()) {
                return scoreAll(loaded, modelDir.toString(), () -> BaseModels.fromDirectory(modelDir));
            }
            try (RewardModel model = RewardModel.copyOf(loaded, compute, length)) {
                return scoreAll(model, modelDir.toString(), () -> BaseModels.fromDirectory(modelDir));
            }
        }
    }

    /**
     * Computes the bottom layers' output for every test sequence from the base the versions will be trained from,
     * before the first version arrives (while the stack waits for labels), so the first version is judged in the
     * time its top layers take. Only the cached bottom runs: the base's own top and head would be judged for nothing.
     * Returns how many sequences had to be computed (0 when a disk tier already held them all, or without a cache).
     */
    public long warmUp(BaseModel base) {
        if (cancelled) {
            throw new CancellationException("test-set preparation not started: the scorer is closing");
        }
        try (RewardModel model = RewardModel.create(base, compute, length(base.config().maxPositions()))) {
            FrozenPrefixCache prefix = cacheFor(model, "the base model", () -> base);
            if (prefix == null) {
                return 0;
            }
            long computed = 0;
            for (TestSet set : sets) {
                computed += precomputeInChunks(prefix, set.prompts(), set.preferred());
                computed += precomputeInChunks(prefix, set.prompts(), set.other());
            }
            return computed;
        }
    }

    private long precomputeInChunks(FrozenPrefixCache prefix, List<String> prompts, List<String> responses) {
        long[] computed = {0};
        forEachChunk(prompts, responses, "test-set preparation",
                (start, p, r) -> computed[0] += prefix.precompute(p, r));
        return computed[0];
    }

    private int length(int modelMaximum) {
        return maxLength > 0 ? Math.min(maxLength, modelMaximum) : modelMaximum;
    }

    private List<TestSetOutcomes> scoreAll(RewardModel model, String name, Supplier<BaseModel> bottom) {
        FrozenPrefixCache prefix = cacheFor(model, name, bottom);
        List<TestSetOutcomes> out = new ArrayList<>(sets.size());
        for (TestSet set : sets) {
            long started = System.nanoTime();
            float[] better = inChunks(model, prefix, set.prompts(), set.preferred());
            float[] worse = inChunks(model, prefix, set.prompts(), set.other());
            out.add(TestSetOutcomes.of(set.name(), better, worse, (System.nanoTime() - started) / 1_000_000));
        }
        return out;
    }

    /** Rewards of the pairs, {@link #CHUNK} at a time. */
    private float[] inChunks(RewardModel model, FrozenPrefixCache prefix, List<String> prompts, List<String> responses) {
        float[] out = new float[prompts.size()];
        forEachChunk(prompts, responses, "test-set scoring", (start, p, r) -> {
            float[] part = prefix != null ? prefix.score(model, p, r) : model.score(p, r);
            System.arraycopy(part, 0, out, start, part.length);
        });
        return out;
    }

    /** Runs {@code action} over {@link #CHUNK} pairs at a time, stopping between chunks once cancelled. */
    private void forEachChunk(List<String> prompts, List<String> responses, String work, ChunkAction action) {
        for (int start = 0; start < prompts.size(); start += CHUNK) {
            if (cancelled) {
                throw new CancellationException(work + " stopped: the scorer is closing");
            }
            int end = Math.min(prompts.size(), start + CHUNK);
            action.run(start, prompts.subList(start, end), responses.subList(start, end));
        }
    }

    private interface ChunkAction {
        void run(int start, List<String> prompts, List<String> responses);
    }

    /** Stops scoring between chunks (from any thread); the scoring thread gets a {@link CancellationException}. */
    public void cancel() {
        cancelled = true;
    }

    /** The cache that holds this model's bottom, building one from it when the current one does not. */
    private FrozenPrefixCache cacheFor(RewardModel model, String name, Supplier<BaseModel> bottom) {
        if (cachedLayers <= 0 || cachedLayers >= model.config().numLayers()) {
            return null;
        }
        if (cache != null && cache.maxLength() == model.maxLength() && cache.matches(model)) {
            return cache;
        }
        if (cache != null) {
            LOG.info("test sets: {} has other bottom weights than the cached ones; caching its bottom instead", name);
            cache.close();
            cache = null;
        }
        // Every test sequence stays in memory (the sets are bounded by max-pairs); the disk tier outlives the process.
        cache = FrozenPrefixCache.create(bottom.get(), compute, model.maxLength(), cachedLayers,
                FeatureStore.of(Long.MAX_VALUE, diskDir, diskBytes));
        return cache.matches(model) ? cache : null;
    }

    /** Bytes of cached hidden states (a gauge: the cache holds every test sequence once). */
    long cachedBytes() {
        FrozenPrefixCache c = cache;
        return c == null ? 0 : c.bytes();
    }

    /** Lookups of the current cache (null if none): what came from memory, disk, or had to be computed. */
    io.warmstream.model.features.CacheStats cacheStats() {
        FrozenPrefixCache c = cache;
        return c == null ? null : c.stats();
    }

    @Override
    public void close() {
        if (cache != null) {
            cache.close();
            cache = null;
        }
    }
}
