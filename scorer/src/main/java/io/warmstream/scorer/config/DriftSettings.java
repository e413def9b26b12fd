package io.warmstream.scorer.config;

import io.micronaut.context.annotation.ConfigurationProperties;
import jakarta.annotation.PostConstruct;

import java.time.Duration;

import static io.warmstream.platform.config.SettingChecks.atLeast;
import static io.warmstream.platform.config.SettingChecks.fraction;
import static io.warmstream.platform.config.SettingChecks.notBlank;
import static io.warmstream.platform.config.SettingChecks.notNegative;
import static io.warmstream.platform.config.SettingChecks.positive;
import static io.warmstream.platform.config.SettingChecks.present;

/**
 * Drift monitoring ({@code warm.scorer.drift.*}) and its groups: the fresh labels it scores ({@code labels.*}), the
 * validation split ({@code holdout.*}), PSI references ({@code reference.*}), agreement after a swap
 * ({@code agreement.*}) and the reports kept ({@code reports.*}). Defaults in {@code warmstream/scorer/application.yml}.
 */
@ConfigurationProperties(DriftSettings.PREFIX)
public class DriftSettings {

    public static final String PREFIX = "warm.scorer.drift";
    private static final String P = PREFIX + ".";
    /** The range of a KLL sketch's k, which {@code sketch-size} is (below the minimum counts as the minimum). */
    public static final int MIN_SKETCH_SIZE = 8;
    public static final int MAX_SKETCH_SIZE = 65_535;

    private Boolean enabled;
    private String applicationId;
    private Duration window;
    private Duration grace;
    private Duration tick;
    private Duration trafficFlush;
    private Integer sketchSize;

    @PostConstruct
    void check() {
        present(P + "enabled", enabled);
        notBlank(P + "application-id", applicationId);
        positive(P + "window", window);
        notNegative(P + "grace", grace);
        positive(P + "tick", tick);
        notNegative(P + "traffic-flush", trafficFlush);
        present(P + "sketch-size", sketchSize);
        if (sketchSize > MAX_SKETCH_SIZE) {
            throw io.warmstream.platform.config.SettingChecks.bad(P + "sketch-size", "must be at most " + MAX_SKETCH_SIZE,
                    sketchSize);
        }
    }

    public Boolean getEnabled() { return enabled; }
    public void setEnabled(Boolean enabled) { this.enabled = enabled; }
    /** The drift topology's Streams application, shared by scorer instances. */
    public String getApplicationId() { return applicationId; }
    public void setApplicationId(String applicationId) { this.applicationId = applicationId; }
    public Duration getWindow() { return window; }
    public void setWindow(Duration window) { this.window = window; }
    public Duration getGrace() { return grace; }
    public void setGrace(Duration grace) { this.grace = grace; }
    /** How often an instance sends an empty observation, so windows close without traffic. */
    public Duration getTick() { return tick; }
    public void setTick(Duration tick) { this.tick = tick; }
    public Duration getTrafficFlush() { return trafficFlush; }
    public void setTrafficFlush(Duration trafficFlush) { this.trafficFlush = trafficFlush; }
    /** k of each window's KLL sketch; below 8 counts as 8. */
    public Integer getSketchSize() { return sketchSize; }
    public void setSketchSize(Integer sketchSize) { this.sketchSize = sketchSize; }

    /** The consumer of {@code warm.preferences} and the share of fresh labels scored. */
    @ConfigurationProperties("labels")
    public static class Labels {
        private String groupId;
        private String offsetReset;
        private Integer maxPollRecords;
        private Double sample;

        @PostConstruct
        void check() {
            notBlank(P + "labels.group-id", groupId);
            notBlank(P + "labels.offset-reset", offsetReset);
            present(P + "labels.max-poll-records", maxPollRecords);
            present(P + "labels.sample", sample);
            if (!(sample > 0 && sample <= 1)) {
                throw io.warmstream.platform.config.SettingChecks.bad(P + "labels.sample", "must be in (0, 1]", sample);
            }
        }

        public String getGroupId() { return groupId; }
        public void setGroupId(String groupId) { this.groupId = groupId; }
        public String getOffsetReset() { return offsetReset; }
        public void setOffsetReset(String offsetReset) { this.offsetReset = offsetReset; }
        /** Below 1 counts as 1. */
        public Integer getMaxPollRecords() { return maxPollRecords; }
        public void setMaxPollRecords(Integer maxPollRecords) { this.maxPollRecords = maxPollRecords; }
        public Double getSample() { return sample; }
        public void setSample(Double sample) { this.sample = sample; }
    }

    /** The trainers' and merger's validation split; the salt falls back to {@code warm.holdout.salt}. */
    @ConfigurationProperties("holdout")
    public static class Holdout {
        private Double fraction;
        private String salt;

        @PostConstruct
        void check() {
            fraction(P + "holdout.fraction", fraction);
            present(P + "holdout.salt", salt);
        }

        public Double getFraction() { return fraction; }
        public void setFraction(Double fraction) { this.fraction = fraction; }
        public String getSalt() { return salt; }
        public void setSalt(String salt) { this.salt = salt; }
    }

    /** Held-out labels for a version's PSI reference: needed before it is scored (below 1 counts as 1), and kept. */
    @ConfigurationProperties("reference")
    public static class Reference {
        private Integer minLabels;
        private Integer maxLabels;

        @PostConstruct
        void check() {
            present(P + "reference.min-labels", minLabels);
            present(P + "reference.max-labels", maxLabels);
        }

        public Integer getMinLabels() { return minLabels; }
        public void setMinLabels(Integer minLabels) { this.minLabels = minLabels; }
        /** Below min-labels counts as min-labels. */
        public Integer getMaxLabels() { return maxLabels; }
        public void setMaxLabels(Integer maxLabels) { this.maxLabels = maxLabels; }
    }

    /** How long the previous version is kept after a swap to score the same fresh labels. */
    @ConfigurationProperties("agreement")
    public static class Agreement {
        private Integer maxLabels;
        private Duration maxDuration;

        @PostConstruct
        void check() {
            atLeast(P + "agreement.max-labels", maxLabels, 0);
            notNegative(P + "agreement.max-duration", maxDuration);
        }

        public Integer getMaxLabels() { return maxLabels; }
        public void setMaxLabels(Integer maxLabels) { this.maxLabels = maxLabels; }
        public Duration getMaxDuration() { return maxDuration; }
        public void setMaxDuration(Duration maxDuration) { this.maxDuration = maxDuration; }
    }

    /** Reports kept for {@code GET /v1/drift} (below 1 counts as 1). */
    @ConfigurationProperties("reports")
    public static class Reports {
        private Integer keep;

        @PostConstruct
        void check() {
            present(P + "reports.keep", keep);
        }

        public Integer getKeep() { return keep; }
        public void setKeep(Integer keep) { this.keep = keep; }
    }
}
