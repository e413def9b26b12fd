package io.warmstream.merger.config;

import io.micronaut.context.annotation.ConfigurationProperties;
import jakarta.annotation.PostConstruct;

import java.time.Duration;

import static io.warmstream.platform.config.SettingChecks.atLeast;
import static io.warmstream.platform.config.SettingChecks.finite;
import static io.warmstream.platform.config.SettingChecks.notBlank;
import static io.warmstream.platform.config.SettingChecks.notNegative;
import static io.warmstream.platform.config.SettingChecks.present;

/**
 * The linear-mode-connectivity guard and the held-out sample it and the quality gate score on
 * ({@code warm.merger.guard.*}; its fast path is {@code HeldOutCacheSettings}).
 */
@ConfigurationProperties(GuardSettings.PREFIX)
public class GuardSettings {

    public static final String PREFIX = "warm.merger.guard";

    private Boolean enabled;
    private Double margin;
    private Integer minLabels;
    private Double standardErrors;
    private Boolean deferNewMember;
    private Integer maxLabels;
    private Integer maxTextChars;
    private Long lookbackRecords;
    private Duration catchUpTimeout;
    private String device;

    @PostConstruct
    void check() {
        present(PREFIX + ".enabled", enabled);
        finite(PREFIX + ".margin", margin);
        atLeast(PREFIX + ".min-labels", minLabels, 0);
        atLeast(PREFIX + ".standard-errors", standardErrors, 0.0);
        present(PREFIX + ".defer-new-member", deferNewMember);
        atLeast(PREFIX + ".max-labels", maxLabels, 1);
        atLeast(PREFIX + ".max-text-chars", maxTextChars, 1);
        atLeast(PREFIX + ".lookback-records", lookbackRecords, 0L);
        notNegative(PREFIX + ".catch-up-timeout", catchUpTimeout);
        notBlank(PREFIX + ".device", device);
    }

    public Boolean getEnabled() { return enabled; }
    public void setEnabled(Boolean enabled) { this.enabled = enabled; }
    /** A candidate scoring below its members' mean minus this is refused. */
    public Double getMargin() { return margin; }
    public void setMargin(Double margin) { this.margin = margin; }
    /** Fewer held-out labels than this: the guard is skipped. */
    public Integer getMinLabels() { return minLabels; }
    public void setMinLabels(Integer minLabels) { this.minLabels = minLabels; }
    /** Standard errors of the difference a refusal needs beyond the margin; 0: the margin alone. */
    public Double getStandardErrors() { return standardErrors; }
    public void setStandardErrors(Double standardErrors) { this.standardErrors = standardErrors; }
    /** Score the new member after publication; the candidate is compared with its earlier members' mean. */
    public Boolean getDeferNewMember() { return deferNewMember; }
    public void setDeferNewMember(Boolean deferNewMember) { this.deferNewMember = deferNewMember; }
    /** The newest held-out labels kept for scoring. */
    public Integer getMaxLabels() { return maxLabels; }
    public void setMaxLabels(Integer maxLabels) { this.maxLabels = maxLabels; }
    public Integer getMaxTextChars() { return maxTextChars; }
    public void setMaxTextChars(Integer maxTextChars) { this.maxTextChars = maxTextChars; }
    /** Records read back per partition of {@code warm.preferences} at start. */
    public Long getLookbackRecords() { return lookbackRecords; }
    public void setLookbackRecords(Long lookbackRecords) { this.lookbackRecords = lookbackRecords; }
    public Duration getCatchUpTimeout() { return catchUpTimeout; }
    public void setCatchUpTimeout(Duration catchUpTimeout) { this.catchUpTimeout = catchUpTimeout; }
    /** auto (GPU when DJL sees one), cpu, gpu, gpu:N. */
    public String getDevice() { return device; }
    public void setDevice(String device) { this.device = device == null ? null : device.trim(); }
}
