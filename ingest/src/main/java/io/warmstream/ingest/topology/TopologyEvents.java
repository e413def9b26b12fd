package io.warmstream.ingest.topology;

/**
 * What the raw-topic topology did with each record, for counting. Called on stream threads; implementations must
 * be thread-safe and cheap.
 */
public interface TopologyEvents {

    /** A label passed validation and deduplication and went to the validated topic. */
    default void passed() {
    }

    /** A record went to the dead-letter topic; {@code reason} is a {@link io.warmstream.ingest.rules.Reason} code. */
    default void deadLettered(String reason) {
    }

    /** A label was dropped because its id was already seen within the deduplication window. */
    default void duplicateDropped() {
    }

    static TopologyEvents none() {
        return new TopologyEvents() {
        };
    }
}
