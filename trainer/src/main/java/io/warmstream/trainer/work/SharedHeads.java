package io.warmstream.trainer.work;

import io.warmstream.model.BaseModel;
import io.warmstream.model.FrozenPrefixCache;
import io.warmstream.model.PreferencePair;
import io.warmstream.model.RewardHead;
import io.warmstream.model.store.CheckpointStore;
import io.warmstream.model.train.RewardModelTrainer;
import io.warmstream.model.train.TrainingConfig;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.URI;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BooleanSupplier;

/**
 * LP-FT's shared heads, one per average, base and generation, in the checkpoint store under the key the planner put
 * in every job ({@code heads/<average>/<hash>}, {@code .../g<N>} for later generations; a directory holding
 * {@code head.json}).
 *
 * <p>Race-free by determinism: whichever worker first needs a head fits it from the same labels (the training split of
 * the job's {@code sharedHeadRanges}, in offset order: the first job's, or all labels up to a generation's start) with the deterministic linear probe, so concurrent first fits on the same kind
 * of device write identical content, and the store's put is atomic. After putting, a worker reads the head back
 * from the store and trains with what the store holds, so every member uses a stored head.
 */
public final class SharedHeads {

    public static final String HEAD_FILE = "head.json";
    private static final Logger LOG = LoggerFactory.getLogger(SharedHeads.class);

    /** Supplies the labels a missing head is fitted from. */
    @FunctionalInterface
    public interface HeadLabels {
        List<PreferencePair> get() throws DataGoneException;
    }

    private final CheckpointStore store;
    private final WorkDir workDir;
    private final RewardModelTrainer trainer = new RewardModelTrainer();
    private final Map<String, RewardHead> cache = new ConcurrentHashMap<>();

    SharedHeads(CheckpointStore store, WorkDir workDir) {
        this.store = store;
        this.workDir = workDir;
    }

    /** The URI a job's {@code sharedHead} names: absolute URIs as they are, anything else as a key in the store. */
    public URI resolve(String sharedHead) {
        return sharedHead.contains(":/") ? URI.create(sharedHead) : store.uriOf(sharedHead);
    }

    /**
     * The head stored under {@code sharedHead}, fitting and storing it first if it is not there yet; a fit takes
     * the features from {@code prefix} when given (null: the whole network runs) and stops with a
     * {@link CancellationException} between feature batches once {@code cancelled} says so.
     */
    public RewardHead obtain(String sharedHead, BaseModel base, HeadLabels labels, TrainingConfig cfg,
                             FrozenPrefixCache prefix, BooleanSupplier cancelled) throws DataGoneException {
        RewardHead cached = cache.get(sharedHead);
        if (cached != null) {
            return cached;
        }
        URI uri = resolve(sharedHead);
        if (!store.exists(uri)) {
            if (sharedHead.contains(":/")) {
                throw new IllegalStateException("shared head " + uri + " does not exist");
            }
            List<PreferencePair> pairs = labels.get();
            if (pairs.isEmpty()) {
                throw new IllegalStateException("no labels to fit the shared head " + sharedHead + " from");
            }
            long started = System.nanoTime();
            RewardHead head = trainer.fitHead(base, pairs, cfg, prefix, cancelled);
            Path dir = workDir.fresh("head");
            try {
                head.save(dir.resolve(HEAD_FILE));
                store.put(sharedHead, dir);
            } finally {
                workDir.delete(dir);
            }
            LOG.info("fitted shared head {} on {} pairs in {} s (probe accuracy {}, L2 {} by {}, cross-validated "
                            + "accuracy {})", sharedHead, pairs.size(),
                    String.format("%.1f", (System.nanoTime() - started) / 1e9), head.facts().get("probe_accuracy"),
                    head.facts().get("l2"), head.facts().get("l2_source"), head.facts().get("cv_accuracy"));
        }
        RewardHead stored = RewardHead.load(store.fetch(uri).resolve(HEAD_FILE));
        cache.put(sharedHead, stored);
        return stored;
    }
}
