package io.warmstream.scorer.config;

import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.core.convert.format.MapFormat;
import io.micronaut.core.naming.conventions.StringConvention;
import io.warmstream.platform.config.SettingChecks;
import jakarta.annotation.PostConstruct;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

import static io.warmstream.platform.config.SettingChecks.atLeast;
import static io.warmstream.platform.config.SettingChecks.notBlank;
import static io.warmstream.platform.config.SettingChecks.positive;
import static io.warmstream.platform.config.SettingChecks.present;

/** Stream scoring, {@code warm.score-requests} to {@code warm.scores} ({@code warm.scorer.stream.*}). */
@ConfigurationProperties(StreamSettings.PREFIX)
public class StreamSettings {

    public static final String PREFIX = "warm.scorer.stream";

    private Boolean enabled;
    private String applicationId;
    private Integer threads;
    private String stateDir;
    private Duration scoreTimeout;
    private Duration transactionTimeout;
    private Map<String, Object> streams = Map.of();

    @PostConstruct
    void check() {
        present(PREFIX + ".enabled", enabled);
        notBlank(PREFIX + ".application-id", applicationId);
        atLeast(PREFIX + ".threads", threads, 1);
        present(PREFIX + ".state-dir", stateDir);
        positive(PREFIX + ".score-timeout", scoreTimeout);
        positive(PREFIX + ".transaction-timeout", transactionTimeout);
        // A stream record waits for its reward inside its task's open transaction.
        if (scoreTimeout.multipliedBy(2).compareTo(transactionTimeout) > 0) {
            throw SettingChecks.bad(PREFIX + ".score-timeout", "must be at most half of " + PREFIX
                    + ".transaction-timeout (" + transactionTimeout + "): a stream record waits for its reward inside"
                    + " its task's open transaction", scoreTimeout);
        }
    }

    public Path stateDirPath() {
        return stateDir.isBlank() ? Path.of(System.getProperty("java.io.tmpdir"), "warm-scorer-state") : Path.of(stateDir);
    }

    /** Starts once the first version is serving. */
    public Boolean getEnabled() { return enabled; }
    public void setEnabled(Boolean enabled) { this.enabled = enabled; }
    public String getApplicationId() { return applicationId; }
    public void setApplicationId(String applicationId) { this.applicationId = applicationId; }
    /** Stream threads: each waits for its own record's reward, so more threads make bigger batches. */
    public Integer getThreads() { return threads; }
    public void setThreads(Integer threads) { this.threads = threads; }
    /** Empty: {@code <java.io.tmpdir>/warm-scorer-state}. */
    public String getStateDir() { return stateDir; }
    public void setStateDir(String stateDir) { this.stateDir = stateDir == null ? null : stateDir.trim(); }
    /** Longest wait of one record for its reward; then it is given back to Kafka. */
    public Duration getScoreTimeout() { return scoreTimeout; }
    public void setScoreTimeout(Duration scoreTimeout) { this.scoreTimeout = scoreTimeout; }
    /** The stream producers' transaction.timeout.ms: at least twice the score timeout. */
    public Duration getTransactionTimeout() { return transactionTimeout; }
    public void setTransactionTimeout(Duration transactionTimeout) { this.transactionTimeout = transactionTimeout; }
    /** Raw Kafka Streams settings, applied over ours. */
    public Map<String, Object> getStreams() { return streams; }

    public void setStreams(@MapFormat(transformation = MapFormat.MapTransformation.FLAT,
            keyFormat = StringConvention.RAW) Map<String, Object> streams) {
        this.streams = streams == null ? Map.of() : Map.copyOf(streams);
    }
}
