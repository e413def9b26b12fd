package io.warmstream.scorer.serving;

import io.warmstream.model.RewardModel;
import io.warmstream.model.store.CheckpointStore;
import io.warmstream.model.weights.ModelDirectory;
import io.warmstream.model.weights.ModelFormatException;
import io.warmstream.model.weights.ModelManifest;

import java.net.URI;
import java.nio.file.Path;

/**
 * Loads models from the checkpoint store: the directory must exist, its {@code warmstream.json} must record the
 * weights SHA-256 the event promised, and every file must match its recorded hash (checked again by
 * {@link RewardModel#load} or the ONNX backend, which read the weights). Nothing that fails any of these is served.
 */
public final class StoreModelLoader implements ModelLoader {

    private final CheckpointStore store;
    private final ScoringBackend backend;

    public StoreModelLoader(CheckpointStore store, ScoringBackend backend) {
        this.store = store;
        this.backend = backend;
    }

    @Override
    public RewardFunction load(URI uri, String expectedSha256) throws LoadException {
        Path dir;
        try {
            dir = store.fetch(uri);
        } catch (RuntimeException e) {
            throw new LoadException("fetch", "cannot fetch " + uri + ": " + e.getMessage(), e);
        }
        ModelManifest manifest;
        try {
            manifest = ModelDirectory.readManifest(dir);
        } catch (ModelFormatException e) {
            throw new LoadException("verify", e.getMessage(), e);
        } catch (RuntimeException e) {
            throw new LoadException("fetch", "cannot read " + dir + ": " + e.getMessage(), e);
        }
        if (!manifest.weightsSha256().equals(expectedSha256)) {
            throw new LoadException("verify", "sha256 mismatch for " + uri + ": the event says " + expectedSha256
                    + ", the stored model records " + manifest.weightsSha256());
        }
        try {
            return backend.open(dir);
        } catch (ModelFormatException e) {
            throw new LoadException("verify", e.getMessage(), e);
        } catch (RuntimeException e) {
            throw new LoadException("load", "cannot load " + uri + ": " + e, e);
        }
    }

    public CheckpointStore store() {
        return store;
    }

    public ScoringBackend backend() {
        return backend;
    }
}
