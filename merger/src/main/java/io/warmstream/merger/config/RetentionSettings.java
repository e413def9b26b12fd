package io.warmstream.merger.config;

import io.micronaut.context.annotation.ConfigurationProperties;
import jakarta.annotation.PostConstruct;

import java.time.Duration;

import static io.warmstream.platform.config.SettingChecks.atLeast;
import static io.warmstream.platform.config.SettingChecks.notNegative;
import static io.warmstream.platform.config.SettingChecks.positive;

/** Which versions the store keeps ({@code warm.merger.retention.*}). */
@ConfigurationProperties(RetentionSettings.PREFIX)
public class RetentionSettings {

    public static final String PREFIX = "warm.merger.retention";

    private Integer keepVersions;
    private Duration grace;
    private Duration sweepInterval;

    @PostConstruct
    void check() {
        atLeast(PREFIX + ".keep-versions", keepVersions, 1);
        notNegative(PREFIX + ".grace", grace);
        positive(PREFIX + ".sweep-interval", sweepInterval);
    }

    /** Newest versions kept (rollback targets); the current one always is. */
    public Integer getKeepVersions() { return keepVersions; }
    public void setKeepVersions(Integer keepVersions) { this.keepVersions = keepVersions; }
    /** A superseded version stays at least this long, so readers that just learned of it can load it. */
    public Duration getGrace() { return grace; }
    public void setGrace(Duration grace) { this.grace = grace; }
    public Duration getSweepInterval() { return sweepInterval; }
    public void setSweepInterval(Duration sweepInterval) { this.sweepInterval = sweepInterval; }
}
