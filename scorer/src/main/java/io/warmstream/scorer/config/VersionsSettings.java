package io.warmstream.scorer.config;

import io.micronaut.context.annotation.ConfigurationProperties;
import jakarta.annotation.PostConstruct;

import static io.warmstream.platform.config.SettingChecks.atLeast;

/** Versions kept loaded for requests that pin one ({@code warm.scorer.versions.*}). */
@ConfigurationProperties(VersionsSettings.PREFIX)
public class VersionsSettings {

    public static final String PREFIX = "warm.scorer.versions";

    private Integer keep;
    private Long maxMemory;

    @PostConstruct
    void check() {
        atLeast(PREFIX + ".keep", keep, 1);
        atLeast(PREFIX + ".max-memory", maxMemory, 0L);
    }

    /** Versions kept loaded, the serving one included. */
    public Integer getKeep() { return keep; }
    public void setKeep(Integer keep) { this.keep = keep; }
    /** Estimated bytes of weights all loaded versions (and their ENS members) may take. */
    public Long getMaxMemory() { return maxMemory; }
    public void setMaxMemory(Long maxMemory) { this.maxMemory = maxMemory; }
}
