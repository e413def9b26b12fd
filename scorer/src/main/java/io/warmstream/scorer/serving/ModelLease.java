package io.warmstream.scorer.serving;

import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The right to score with one version until {@link #close()}: the version stays loaded meanwhile, even if a newer
 * one is installed. Close exactly once (closing again does nothing); use try-with-resources.
 */
public final class ModelLease implements AutoCloseable {

    private final ServingModel model;
    private final AtomicBoolean open = new AtomicBoolean(true);

    ModelLease(ServingModel model) {
        this.model = model;
    }

    public ModelVersion version() {
        return model.version();
    }

    public ServingModel model() {
        return model;
    }

    /** WARM rewards of the leased version. */
    public float[] score(List<String> prompts, List<String> responses) {
        requireOpen();
        return model.score(prompts, responses);
    }

    /** The leased version's ensemble, if ENS is enabled and its members are loaded. */
    public Optional<Ensemble> ensemble() {
        requireOpen();
        return model.ensemble();
    }

    private void requireOpen() {
        if (!open.get()) {
            throw new IllegalStateException("lease on version " + model.version().version() + " already closed");
        }
    }

    @Override
    public void close() {
        if (open.compareAndSet(true, false)) {
            model.release();
        }
    }
}
