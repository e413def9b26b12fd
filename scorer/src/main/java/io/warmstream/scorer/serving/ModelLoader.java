package io.warmstream.scorer.serving;

import io.warmstream.model.weights.ModelManifest;

import java.net.URI;

/** Turns a model URI plus the SHA-256 its event promises into a ready {@link RewardFunction}. */
@FunctionalInterface
public interface ModelLoader {

    /** @throws LoadException naming the stage that failed; the model must not be served */
    RewardFunction load(URI uri, String expectedSha256) throws LoadException;

    /** A staged candidate loaded ahead of its publication, with the manifest its files were verified against. */
    record Preloaded(RewardFunction function, ModelManifest manifest) {
    }

    /**
     * Loads a staged candidate with every check {@link #load} makes; null from a loader that cannot say which files
     * it loaded (then versions load after their publication).
     */
    default Preloaded preload(URI uri, String expectedSha256) throws LoadException {
        return null;
    }

    /**
     * The published version at {@code uri}, served by {@code preloaded}'s function: its directory must pass the same
     * checks as in {@link #load} (signature, the SHA-256 the event promises) without reading the weights again, and its
     * verified manifest must record the very files the candidate's did. Null when it records others (then the caller
     * loads the version); the returned function is {@code preloaded}'s, so closing either closes both.
     */
    default RewardFunction adopt(URI uri, String expectedSha256, Preloaded preloaded) throws LoadException {
        return null;
    }
}
