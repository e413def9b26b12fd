package io.warmstream.scorer.config;

import io.micronaut.context.annotation.ConfigurationProperties;
import jakarta.annotation.PostConstruct;

import static io.warmstream.platform.config.SettingChecks.atLeast;
import static io.warmstream.platform.config.SettingChecks.present;

/** ENS mode: each version's members loaded too ({@code warm.scorer.ens.*}). */
@ConfigurationProperties(EnsSettings.PREFIX)
public class EnsSettings {

    public static final String PREFIX = "warm.scorer.ens";

    private Boolean enabled;
    private Integer maxMembers;

    @PostConstruct
    void check() {
        present(PREFIX + ".enabled", enabled);
        atLeast(PREFIX + ".max-members", maxMembers, 1);
    }

    public Boolean getEnabled() { return enabled; }
    public void setEnabled(Boolean enabled) { this.enabled = enabled; }
    public Integer getMaxMembers() { return maxMembers; }
    public void setMaxMembers(Integer maxMembers) { this.maxMembers = maxMembers; }
}
