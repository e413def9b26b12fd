package io.warmstream.ingest;

import io.warmstream.events.PreferenceLabel;

import java.time.Instant;
import java.util.Map;

/** Test labels. */
public final class Labels {

    private Labels() {
    }

    public static PreferenceLabel valid(String id) {
        return new PreferenceLabel(id, "Summarise: the cat sat on the mat.", "A cat sat on a mat.", "Dogs are great.",
                "alice", "test", 0.9, Instant.parse("2024-05-01T12:00:00Z"), Map.of("lang", "en"));
    }

    public static PreferenceLabel.Builder builder(String id) {
        return PreferenceLabel.newBuilder(valid(id));
    }
}
