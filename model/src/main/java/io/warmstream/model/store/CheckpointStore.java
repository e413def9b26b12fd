package io.warmstream.model.store;

import java.net.URI;
import java.nio.file.Path;

/**
 * Where model directories live between services: trainers put finished reward models, the merger reads them and
 * puts averages, scorers read averages. Addressed by URI so events can name a model wherever it is stored.
 *
 * <p>Keys are relative paths such as {@code checkpoints/default/<jobId>} or {@code averages/default/v12}.
 * {@link #put} is atomic: readers see either no directory or the whole one, never a half-written model.
 */
public interface CheckpointStore {

    /** Copies a local model directory into the store under {@code key}, replacing what was there; returns its URI. */
    URI put(String key, Path localModelDirectory);

    /**
     * A local directory holding the model at {@code uri}; a {@link java.io.UncheckedIOException} caused by a
     * {@link java.nio.file.NoSuchFileException} if the store answers that it is absent, a
     * {@link StoreUnavailableException} if the store cannot be reached to tell.
     */
    Path fetch(URI uri);

    /**
     * Returns if the store can be reached on the way to {@code uri} now; throws {@link StoreUnavailableException}
     * if not. Lets a caller tell "this model is missing or damaged" (the model's fault) from "the store is down"
     * (wait and retry) after a read failed. Stores that report outages in their own exceptions need not override it.
     */
    default void requireReachable(URI uri) {
    }

    /** Whether a model is stored at {@code uri}. */
    boolean exists(URI uri);

    /** Removes the model at {@code uri}; nothing happens if it is already gone. */
    void delete(URI uri);

    /** The URI {@code key} has (or would have) in this store. */
    URI uriOf(String key);

    /**
     * Opens the store a location names: {@code file:/shared/warm-store} or a plain path for the filesystem store,
     * {@code s3://bucket/prefix?endpoint=http://host:9000} for an S3-compatible object store ({@link S3CheckpointStore}).
     * An unsupported scheme is refused with a message naming the ones there are.
     */
    static CheckpointStore open(String location) {
        if (location == null || location.isBlank()) {
            throw new IllegalArgumentException("checkpoint store location is empty; give a directory or a file: URI");
        }
        URI uri = location.contains(":/") ? URI.create(location) : Path.of(location).toAbsolutePath().toUri();
        if ("file".equals(uri.getScheme())) {
            return new FileSystemCheckpointStore(Path.of(uri));
        }
        if ("s3".equals(uri.getScheme())) {
            return S3CheckpointStore.open(uri);
        }
        throw new IllegalArgumentException("unsupported checkpoint store '" + location
                + "': use a directory path, a file: URI or s3://bucket/prefix?endpoint=...");
    }
}
