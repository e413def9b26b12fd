package io.warmstream.merger.kafka;

import java.time.Duration;
import java.util.Map;

/**
 * How the merger drives Kafka.
 *
 * @param average            the one average this merger owns; its consumer group and transactional id derive from it
 * @param pollTimeout        how long a poll waits; also how quickly commands (rollback, pause) are picked up
 * @param retryBackoff       pause before the first retry of a checkpoint after a fault on the merger's side (store
 *                           or registry unreachable, Kafka errors); it doubles with each fault in a row
 * @param retryBackoffMax    the longest pause between such retries
 * @param recoveryTimeout    limit for reading {@code warm.models} back at activation
 * @param holdoutCatchUp     how long activation waits for the held-out sample to load (guard enabled only)
 * @param sweepInterval      how often retention runs between publications
 * @param maxPollRecords     checkpoints fetched per poll
 * @param transactionTimeout {@code transaction.timeout.ms}: how long the broker keeps a dead merger's open transaction
 * @param consumerOverrides  raw consumer settings ({@code warm.merger.consumer.*}), applied over ours
 * @param producerOverrides  raw producer settings ({@code warm.merger.producer.*}), applied over ours
 */
public record LoopSettings(String average, Duration pollTimeout, Duration retryBackoff, Duration retryBackoffMax,
                           Duration recoveryTimeout,
                           Duration holdoutCatchUp, Duration sweepInterval, int maxPollRecords,
                           Duration transactionTimeout, Map<String, Object> consumerOverrides,
                           Map<String, Object> producerOverrides) {

    public LoopSettings {
        backoff(retryBackoff, retryBackoffMax); // validates: positive, max at least the first pause
        consumerOverrides = Map.copyOf(consumerOverrides);
        producerOverrides = Map.copyOf(producerOverrides);
    }

    /** The pauses between retries after faults: {@code retryBackoff}, doubling, at most {@code retryBackoffMax}. */
    public io.warmstream.platform.Backoff backoff() {
        return backoff(retryBackoff, retryBackoffMax);
    }

    private static io.warmstream.platform.Backoff backoff(Duration first, Duration max) {
        return new io.warmstream.platform.Backoff(first, max);
    }

    /** {@code warm-merger-<average>}: the consumer group, so a second merger of the same average waits as a standby. */
    public String groupId() {
        return "warm-merger-" + average;
    }

    /** {@code warm-merger-<average>}: the transactional id, so a new owner fences the producer of the previous one. */
    public String transactionalId() {
        return "warm-merger-" + average;
    }
}
