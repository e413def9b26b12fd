package io.warmstream.merger.config;

import io.micronaut.context.annotation.ConfigurationProperties;
import io.warmstream.merger.gate.GateSettings;
import jakarta.annotation.PostConstruct;

import static io.warmstream.platform.config.SettingChecks.atLeast;
import static io.warmstream.platform.config.SettingChecks.fraction;
import static io.warmstream.platform.config.SettingChecks.present;

/**
 * The quality gate ({@code warm.merger.gate.*}): a version worse on the held-out labels than the served one by more
 * than {@code standard-errors} paired standard errors is recorded but not served.
 */
@ConfigurationProperties(QualityGateSettings.PREFIX)
public class QualityGateSettings {

    public static final String PREFIX = "warm.merger.gate";

    private Boolean enabled;
    private Double standardErrors;
    private Integer minLabels;
    private Double maxUnscoredShare;

    @PostConstruct
    void check() {
        present(PREFIX + ".enabled", enabled);
        atLeast(PREFIX + ".standard-errors", standardErrors, 0.0);
        atLeast(PREFIX + ".min-labels", minLabels, 2); // a paired standard error needs two
        fraction(PREFIX + ".max-unscored-share", maxUnscoredShare);
    }

    public GateSettings gateSettings() {
        return new GateSettings(enabled, standardErrors, minLabels, maxUnscoredShare);
    }

    public Boolean getEnabled() { return enabled; }
    public void setEnabled(Boolean enabled) { this.enabled = enabled; }
    public Double getStandardErrors() { return standardErrors; }
    public void setStandardErrors(Double standardErrors) { this.standardErrors = standardErrors; }
    /** Fewer held-out labels than this: no comparison, the version is served. */
    public Integer getMinLabels() { return minLabels; }
    public void setMinLabels(Integer minLabels) { this.minLabels = minLabels; }
    /** Share of the snapshot the served version may lack results on (newer than its background scoring). */
    public Double getMaxUnscoredShare() { return maxUnscoredShare; }
    public void setMaxUnscoredShare(Double maxUnscoredShare) { this.maxUnscoredShare = maxUnscoredShare; }
}
