package io.warmstream.scorer.serving;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.URI;

/**
 * Loads the candidate the merger announced last ({@code warm.model-candidates}) before it is published, and hands
 * its model to the version's load when the published directory records the same files ({@link ModelLoader#adopt}).
 * Why: loading a version (reading and hashing the weights, building the runtime) took as long as the merger's
 * held-out checks, and started only after them.
 *
 * <p>At most one candidate waits and one is loaded, so a preload costs at most one model's memory. A newer candidate
 * replaces an older one; a loaded one leaves when its version is adopted, or is closed when the serving version
 * reaches its number (it was refused, withheld or superseded). A preload that fails is logged and forgotten: the
 * version then loads after its publication, and neither health nor the version's state changes. Runs on the
 * {@link ModelUpdater}'s loader thread; its own lock guards its state.
 */
final class CandidatePreloader implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(CandidatePreloader.class);

    /** A candidate version of the served average, as the merger announced it. */
    record Candidate(long version, URI uri, String sha256) {
    }

    private final ModelLoader loader;
    private Candidate pending;
    private Candidate loadedFor;
    private ModelLoader.Preloaded loaded;
    private boolean closed;
    private long loadedCount;

    CandidatePreloader(ModelLoader loader) {
        this.loader = loader;
    }

    /** Keeps {@code c} to load next unless the same or a newer candidate is waiting or loaded; true if kept. */
    synchronized boolean offer(Candidate c) {
        if (closed || (pending != null && pending.version() > c.version())
                || (loadedFor != null && loadedFor.version() > c.version())
                || c.equals(pending) || c.equals(loadedFor)) {
            return false;
        }
        pending = c;
        return true;
    }

    /** Takes the waiting candidate off the queue: it, if it is newer than {@code serving}, else null. */
    synchronized Candidate next(long serving) {
        Candidate c = pending;
        pending = null;
        return c != null && c.version() > serving ? c : null;
    }

    /** Loads {@code c} and keeps its model (closing the one it replaces); never throws. */
    void preload(Candidate c) {
        long start = System.nanoTime();
        ModelLoader.Preloaded model;
        try {
            model = loader.preload(c.uri(), c.sha256());
        } catch (LoadException | RuntimeException e) {
            LOG.info("candidate v{} not loaded ahead ({}); it loads once published", c.version(), e.getMessage());
            return;
        }
        if (model == null) {
            return;
        }
        ModelLoader.Preloaded replaced;
        synchronized (this) {
            if (closed) {
                replaced = model;
            } else {
                replaced = loaded;
                loadedFor = c;
                loaded = model;
                loadedCount++;
            }
        }
        close(replaced);
        LOG.info("candidate v{} loaded ahead of its publication in {} ms", c.version(),
                (System.nanoTime() - start) / 1_000_000);
    }

    /**
     * The published version {@code v} served by the model loaded ahead for it, or null (none loaded for its number
     * and weights, or its directory records other files: the caller loads it).
     *
     * @throws LoadException the published directory failed a check (the model loaded ahead is closed)
     */
    RewardFunction adopt(ModelVersion v) throws LoadException {
        ModelLoader.Preloaded model;
        synchronized (this) {
            if (loadedFor == null || loadedFor.version() != v.version() || !loadedFor.sha256().equals(v.sha256())) {
                return null;
            }
            model = loaded;
            loaded = null;
            loadedFor = null;
        }
        RewardFunction f;
        try {
            f = loader.adopt(v.uri(), v.sha256(), model);
        } catch (LoadException | RuntimeException e) {
            close(model);
            throw e;
        }
        if (f == null) {
            LOG.warn("{} v{}: its directory records other files than the candidate loaded ahead; loading it",
                    v.average(), v.version());
            close(model);
        }
        return f;
    }

    /** Closes the model loaded ahead if its version is {@code serving} or older (refused, withheld or superseded). */
    void discardUpTo(long serving) {
        ModelLoader.Preloaded stale = null;
        synchronized (this) {
            if (loadedFor != null && loadedFor.version() <= serving) {
                stale = loaded;
                loaded = null;
                loadedFor = null;
            }
        }
        close(stale);
    }

    /** Candidates loaded ahead since start. */
    synchronized long loadedCount() {
        return loadedCount;
    }

    /** The version whose candidate is loaded ahead now, or -1. */
    synchronized long loadedVersion() {
        return loadedFor == null ? -1 : loadedFor.version();
    }

    @Override
    public void close() {
        ModelLoader.Preloaded m;
        synchronized (this) {
            closed = true;
            pending = null;
            m = loaded;
            loaded = null;
            loadedFor = null;
        }
        close(m);
    }

    private static void close(ModelLoader.Preloaded m) {
        if (m != null) {
            m.function().close();
        }
    }
}
