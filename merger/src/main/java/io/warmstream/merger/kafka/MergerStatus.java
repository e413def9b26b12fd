package io.warmstream.merger.kafka;

import io.warmstream.merger.state.AverageState;

import java.time.Instant;

/**
 * A snapshot of the merger for the admin API and health.
 *
 * @param role      STARTING, ACTIVE (owns the checkpoints partition), STANDBY (in the group, nothing assigned),
 *                  CRASHED (its loop ended abnormally) or STOPPED
 * @param state     the newest published state it knows (recovered at activation), or null
 * @param lastError the last fault, or null once a checkpoint went through again
 * @param outages   each dependency (checkpoint store, schema registry) the merger is waiting for, with its error
 */
public record MergerStatus(WarmMerger.Role role, boolean paused, AverageState state, String lastError,
                           Instant lastErrorAt, long folded, long rejected, long skippedForeign,
                           java.util.Map<String, Object> outages) {
}
