package io.warmstream.scorer.serving;

import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A loaded version with a reference count: one reference while it is installed in {@link HotSwappedModel}, one per
 * {@link ModelLease}. The weights (and the ensemble, if one was attached) are closed when the count reaches zero,
 * so a swap never pulls a model out from under a request that is still using it.
 */
public final class ServingModel {

    private final ModelVersion version;
    private final RewardFunction model;
    private final Instant loadedAt;
    private final boolean loadedAhead;
    private final AtomicInteger refs = new AtomicInteger(1);
    private Ensemble ensemble;
    private EnsembleStatus ensembleStatus = EnsembleStatus.DISABLED;
    private boolean closed;

    public ServingModel(ModelVersion version, RewardFunction model, Instant loadedAt) {
        this(version, model, loadedAt, false);
    }

    /** @param loadedAhead the model was loaded from the version's staged candidate, before its publication */
    public ServingModel(ModelVersion version, RewardFunction model, Instant loadedAt, boolean loadedAhead) {
        this.version = version;
        this.model = model;
        this.loadedAt = loadedAt;
        this.loadedAhead = loadedAhead;
    }

    public boolean loadedAhead() {
        return loadedAhead;
    }

    public ModelVersion version() {
        return version;
    }

    public Instant loadedAt() {
        return loadedAt;
    }

    /** A lease keeping this model open, or empty if it has already been retired and closed. */
    public Optional<ModelLease> tryLease() {
        while (true) {
            int n = refs.get();
            if (n <= 0) {
                return Optional.empty();
            }
            if (refs.compareAndSet(n, n + 1)) {
                return Optional.of(new ModelLease(this));
            }
        }
    }

    /** Leases plus the installation reference; 0 once closed. */
    public int references() {
        return refs.get();
    }

    /** Tokens per sequence at most, for the batcher's token budget. */
    public int maxSequenceTokens() {
        return model.maxSequenceTokens();
    }

    /** Estimated bytes in memory: the weights, plus the members' weights once ENS is attached. */
    public synchronized long memoryBytes() {
        return model.weightBytes() + (ensemble == null ? 0 : ensemble.weightBytes());
    }

    float[] score(java.util.List<String> prompts, java.util.List<String> responses) {
        return model.score(prompts, responses);
    }

    synchronized Optional<Ensemble> ensemble() {
        return Optional.ofNullable(ensemble);
    }

    public synchronized EnsembleStatus ensembleStatus() {
        return ensembleStatus;
    }

    synchronized void ensembleState(EnsembleStatus status) {
        if (!closed) {
            ensembleStatus = status;
        }
    }

    /** Attaches the members' models; false (and the caller closes them) if this version was retired meanwhile. */
    synchronized boolean attach(Ensemble e) {
        if (closed) {
            return false;
        }
        ensemble = e;
        ensembleStatus = EnsembleStatus.ready(e.size());
        return true;
    }

    synchronized boolean isClosed() {
        return closed;
    }

    void release() {
        int n = refs.decrementAndGet();
        if (n == 0) {
            close();
        } else if (n < 0) {
            throw new IllegalStateException("version " + version.version() + " released more often than leased");
        }
    }

    private void close() {
        Ensemble e;
        synchronized (this) {
            closed = true;
            e = ensemble;
            ensemble = null;
        }
        model.close();
        if (e != null) {
            e.close();
        }
    }

    @Override
    public String toString() {
        return "ServingModel[" + version.average() + " v" + version.version() + "]";
    }
}
