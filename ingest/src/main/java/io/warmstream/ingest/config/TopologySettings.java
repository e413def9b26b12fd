package io.warmstream.ingest.config;

import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.core.convert.format.MapFormat;
import io.micronaut.core.naming.conventions.StringConvention;
import jakarta.annotation.PostConstruct;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

import static io.warmstream.platform.config.SettingChecks.atLeast;
import static io.warmstream.platform.config.SettingChecks.notBlank;
import static io.warmstream.platform.config.SettingChecks.positive;
import static io.warmstream.platform.config.SettingChecks.present;

/** The validation topology's Streams application ({@code warm.ingest.topology.*}). */
@ConfigurationProperties(TopologySettings.PREFIX)
public class TopologySettings {

    public static final String PREFIX = "warm.ingest.topology";
    /** Room for a dead letter's headers: the topology refuses less. */
    static final int MIN_DEAD_LETTER_BYTES = 16_384;

    private Boolean enabled;
    private String applicationId;
    private String stateDir;
    private Duration dedupWindow;
    private Integer deadLetterMaxBytes;
    private Map<String, Object> streams = Map.of();

    @PostConstruct
    void check() {
        present(PREFIX + ".enabled", enabled);
        notBlank(PREFIX + ".application-id", applicationId);
        present(PREFIX + ".state-dir", stateDir);
        positive(PREFIX + ".dedup-window", dedupWindow);
        atLeast(PREFIX + ".dead-letter-max-bytes", deadLetterMaxBytes, MIN_DEAD_LETTER_BYTES);
    }

    public boolean isEnabled() { return enabled; }
    public void setEnabled(Boolean enabled) { this.enabled = enabled; }
    public String getApplicationId() { return applicationId; }
    public void setApplicationId(String applicationId) { this.applicationId = applicationId; }
    /** Empty: {@code <java.io.tmpdir>/warm-ingest-state}. */
    public String getStateDir() { return stateDir; }
    public void setStateDir(String stateDir) { this.stateDir = stateDir == null ? null : stateDir.trim(); }
    /** A label id seen within this window, either side, is dropped as a duplicate. */
    public Duration getDedupWindow() { return dedupWindow; }
    public void setDedupWindow(Duration dedupWindow) { this.dedupWindow = dedupWindow; }
    /** Dead letters are cut to this many bytes (key, value, headers) so the broker never refuses one. */
    public Integer getDeadLetterMaxBytes() { return deadLetterMaxBytes; }
    public void setDeadLetterMaxBytes(Integer deadLetterMaxBytes) { this.deadLetterMaxBytes = deadLetterMaxBytes; }
    /** Raw Kafka Streams settings, applied over ours. */
    public Map<String, Object> getStreams() { return streams; }

    public void setStreams(@MapFormat(transformation = MapFormat.MapTransformation.FLAT,
            keyFormat = StringConvention.RAW) Map<String, Object> streams) {
        this.streams = streams == null ? Map.of() : Map.copyOf(streams);
    }

    public Path stateDirPath() {
        return stateDir.isBlank() ? Path.of(System.getProperty("java.io.tmpdir"), "warm-ingest-state") : Path.of(stateDir);
    }
}
