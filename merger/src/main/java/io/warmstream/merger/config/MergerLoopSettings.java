package io.warmstream.merger.config;

import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.core.convert.format.MapFormat;
import io.micronaut.core.naming.conventions.StringConvention;
import jakarta.annotation.PostConstruct;

import java.time.Duration;
import java.util.Map;

import static io.warmstream.platform.config.SettingChecks.atLeast;
import static io.warmstream.platform.config.SettingChecks.positive;

/** The merger's Kafka loop ({@code warm.merger.*}): polling, retries after faults, recovery, transactions. */
@ConfigurationProperties(MergerSettings.PREFIX)
public class MergerLoopSettings {

    private static final String P = MergerSettings.PREFIX + ".";

    private Duration pollTimeout;
    private Duration retryBackoff;
    private Duration retryBackoffMax;
    private Duration recoveryTimeout;
    private Integer maxPollRecords;
    private Duration transactionTimeout;
    private Map<String, Object> consumer = Map.of();
    private Map<String, Object> producer = Map.of();

    @PostConstruct
    void check() {
        positive(P + "poll-timeout", pollTimeout);
        positive(P + "retry-backoff", retryBackoff);
        positive(P + "retry-backoff-max", retryBackoffMax);
        positive(P + "recovery-timeout", recoveryTimeout);
        atLeast(P + "max-poll-records", maxPollRecords, 1);
        positive(P + "transaction-timeout", transactionTimeout);
    }

    public Duration getPollTimeout() { return pollTimeout; }
    public void setPollTimeout(Duration pollTimeout) { this.pollTimeout = pollTimeout; }
    /** The first pause after a fault on the merger's side, doubling up to {@code retry-backoff-max}. */
    public Duration getRetryBackoff() { return retryBackoff; }
    public void setRetryBackoff(Duration retryBackoff) { this.retryBackoff = retryBackoff; }
    public Duration getRetryBackoffMax() { return retryBackoffMax; }
    public void setRetryBackoffMax(Duration retryBackoffMax) { this.retryBackoffMax = retryBackoffMax; }
    public Duration getRecoveryTimeout() { return recoveryTimeout; }
    public void setRecoveryTimeout(Duration recoveryTimeout) { this.recoveryTimeout = recoveryTimeout; }
    public Integer getMaxPollRecords() { return maxPollRecords; }
    public void setMaxPollRecords(Integer maxPollRecords) { this.maxPollRecords = maxPollRecords; }
    /** How long the broker keeps a dead merger's open transaction before aborting it. */
    public Duration getTransactionTimeout() { return transactionTimeout; }
    public void setTransactionTimeout(Duration transactionTimeout) { this.transactionTimeout = transactionTimeout; }
    /** Raw consumer settings over ours. */
    public Map<String, Object> getConsumer() { return consumer; }

    public void setConsumer(@MapFormat(transformation = MapFormat.MapTransformation.FLAT,
            keyFormat = StringConvention.RAW) Map<String, Object> consumer) {
        this.consumer = consumer == null ? Map.of() : Map.copyOf(consumer);
    }

    /** Raw producer settings over ours. */
    public Map<String, Object> getProducer() { return producer; }

    public void setProducer(@MapFormat(transformation = MapFormat.MapTransformation.FLAT,
            keyFormat = StringConvention.RAW) Map<String, Object> producer) {
        this.producer = producer == null ? Map.of() : Map.copyOf(producer);
    }
}
