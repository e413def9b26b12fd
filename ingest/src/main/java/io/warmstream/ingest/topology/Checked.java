package io.warmstream.ingest.topology;

import io.warmstream.events.PreferenceLabel;

/** The verdict on one raw record, passed between the validation step and the routing that follows it. */
sealed interface Checked {

    /**
     * A valid label. {@code keyIsId} says whether the raw record was keyed by the label id, i.e. already sits on the
     * partition where deduplication expects it.
     */
    record Valid(PreferenceLabel label, boolean keyIsId) implements Checked {
    }

    /** A record for the dead-letter topic: the original key and value bytes, untouched. */
    record Invalid(byte[] key, byte[] value) implements Checked {
    }
}
