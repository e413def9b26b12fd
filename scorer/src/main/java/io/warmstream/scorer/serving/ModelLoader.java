package io.warmstream.scorer.serving;

import java.net.URI;

/** Turns a model URI plus the SHA-256 its event promises into a ready {@link RewardFunction}. */
@FunctionalInterface
public interface ModelLoader {

    /** @throws LoadException naming the stage that failed; the model must not be served */
    RewardFunction load(URI uri, String expectedSha256) throws LoadException;
}
