package io.warmstream.model.merge;

import io.warmstream.model.weights.ModelManifest;

import java.nio.file.Path;

/** The new average: its directory, its manifest (members, weights SHA-256), and how long the fold took. */
public record FoldResult(Path directory, ModelManifest manifest, double seconds) {
}
