package io.warmstream.scorer.serving;

import io.warmstream.model.RewardModel;
import io.warmstream.model.store.CheckpointStore;
import io.warmstream.model.weights.ModelDirectory;
import io.warmstream.model.weights.ModelFormatException;
import io.warmstream.model.weights.ModelManifest;

import java.net.URI;
import java.nio.file.Path;

/**
 * Loads models from the checkpoint store: the directory must exist and, with model signing on, carry a valid
 * signature (checked by the store, {@code SignedCheckpointStore}), its {@code warmstream.json} must record the
 * weights SHA-256 the event promised, and every file must match its recorded hash (checked again by
 * {@link RewardModel#load} or the ONNX backend, which read the weights). Nothing that fails any of these is served.
 *
 * <p>A staged candidate ({@link #preload}) is loaded with the same checks; its version is then served from it once
 * the published directory verifies and records the same files ({@link #adopt}), without reading the weights again.
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
        Verified v = verified(uri, expectedSha256);
        return open(uri, v.dir());
    }

    @Override
    public Preloaded preload(URI uri, String expectedSha256) throws LoadException {
        Verified v = verified(uri, expectedSha256);
        return new Preloaded(open(uri, v.dir()), v.manifest());
    }

    /**
     * The weights, config and tokenizer the published manifest records (under a verified signature) must be the
     * candidate's, byte for byte by their SHA-256: the candidate's function read exactly those files and checked their
     * hashes, so it is the published model. The manifest's other content (facts, merge record) does not change what
     * the model computes.
     */
    @Override
    public RewardFunction adopt(URI uri, String expectedSha256, Preloaded preloaded) throws LoadException {
        ModelManifest published = verified(uri, expectedSha256).manifest();
        ModelManifest staged = preloaded.manifest();
        boolean same = published.weightsSha256().equals(staged.weightsSha256())
                && published.weightsBytes() == staged.weightsBytes()
                && published.fileSha256().equals(staged.fileSha256());
        return same ? preloaded.function() : null;
    }

    /** A directory whose signature (with signing on) and manifest verified, and that promises the expected weights. */
    private record Verified(Path dir, ModelManifest manifest) {
    }

    private Verified verified(URI uri, String expectedSha256) throws LoadException {
        Path dir;
        try {
            dir = store.fetch(uri);
        } catch (ModelFormatException e) {
            // A signature that does not verify (SignedCheckpointStore): final, never retried as an outage would be.
            throw new LoadException("verify", e.getMessage(), e);
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
        return new Verified(dir, manifest);
    }

    private RewardFunction open(URI uri, Path dir) throws LoadException {
        try {
            return sized(backend.open(dir), weightsBytes(dir));
        } catch (ModelFormatException e) {
            throw new LoadException("verify", e.getMessage(), e);
        } catch (RuntimeException e) {
            throw new LoadException("load", "cannot load " + uri + ": " + e, e);
        }
    }

    private static long weightsBytes(Path dir) {
        try {
            return java.nio.file.Files.size(dir.resolve("model.safetensors"));
        } catch (java.io.IOException e) {
            return 0;
        }
    }

    /** The model, reporting its weights file's size as its memory (what bounds the versions kept loaded). */
    private static RewardFunction sized(RewardFunction f, long bytes) {
        return new RewardFunction() {
            @Override
            public float[] score(java.util.List<String> prompts, java.util.List<String> responses) {
                return f.score(prompts, responses);
            }

            @Override
            public int maxSequenceTokens() {
                return f.maxSequenceTokens();
            }

            @Override
            public long weightBytes() {
                return bytes;
            }

            @Override
            public void close() {
                f.close();
            }
        };
    }

    public CheckpointStore store() {
        return store;
    }

    public ScoringBackend backend() {
        return backend;
    }
}
