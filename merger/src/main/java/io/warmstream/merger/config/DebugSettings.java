package io.warmstream.merger.config;

import io.micronaut.context.annotation.ConfigurationProperties;
import io.warmstream.platform.config.SettingChecks;
import jakarta.annotation.PostConstruct;

/** Tests only ({@code warm.merger.debug.*}). */
@ConfigurationProperties(DebugSettings.PREFIX)
public class DebugSettings {

    public static final String PREFIX = "warm.merger.debug";

    private String crashAt;

    @PostConstruct
    void check() {
        SettingChecks.present(PREFIX + ".crash-at", crashAt);
    }

    /** {@code POINT[@n]}: halt like a killed process there (the n-th time); empty: never. */
    public String getCrashAt() { return crashAt; }
    public void setCrashAt(String crashAt) { this.crashAt = crashAt == null ? null : crashAt.trim(); }
}
