package io.warmstream.scorer.config;

import io.micronaut.context.annotation.ConfigurationProperties;
import jakarta.annotation.PostConstruct;

import java.time.Duration;

import static io.warmstream.platform.config.SettingChecks.atLeast;
import static io.warmstream.platform.config.SettingChecks.positive;

/** Bounds on one scoring request ({@code warm.scorer.limits.*}). */
@ConfigurationProperties(AdmissionSettings.PREFIX)
public class AdmissionSettings {

    public static final String PREFIX = "warm.scorer.limits";

    private Integer maxItems;
    private Integer maxChars;
    private Duration deadline;

    @PostConstruct
    void check() {
        atLeast(PREFIX + ".max-items", maxItems, 1);
        atLeast(PREFIX + ".max-chars", maxChars, 1);
        positive(PREFIX + ".deadline", deadline);
    }

    /** Items per request (one more is a 413). */
    public Integer getMaxItems() { return maxItems; }
    public void setMaxItems(Integer maxItems) { this.maxItems = maxItems; }
    /** Characters (code points) per prompt or response. */
    public Integer getMaxChars() { return maxChars; }
    public void setMaxChars(Integer maxChars) { this.maxChars = maxChars; }
    /** From admission to answer; then the unscored items are dropped and the request gets 503. */
    public Duration getDeadline() { return deadline; }
    public void setDeadline(Duration deadline) { this.deadline = deadline; }
}
