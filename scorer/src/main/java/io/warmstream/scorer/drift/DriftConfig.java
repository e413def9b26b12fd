package io.warmstream.scorer.drift;

import io.micronaut.context.annotation.Requires;
import io.micronaut.context.env.Environment;
import io.warmstream.schemas.Holdout;
import io.warmstream.scorer.ScorerConfig;
import jakarta.inject.Singleton;

import java.time.Duration;

/** Drift monitoring settings ({@code warm.scorer.drift.*}; defaults and environment variables in application.yml). */
@Singleton
@Requires(property = ScorerConfig.ENABLED, value = "true")
public final class DriftConfig {

    /** Beans of drift monitoring require this not to be false. */
    public static final String ENABLED = "warm.scorer.drift.enabled";
    /** The range of a KLL sketch's k, which {@code sketch-size} is. */
    static final int MIN_SKETCH_SIZE = 8;
    static final int MAX_SKETCH_SIZE = 65_535;

    private final String applicationId;
    private final Duration window;
    private final Duration grace;
    private final Duration tick;
    private final Duration trafficFlush;
    private final int sketchSize;
    private final String labelsGroup;
    private final String labelsOffsetReset;
    private final int labelsPerPoll;
    private final double labelsSample;
    private final Holdout sampler;
    private final Holdout holdout;
    private final int referenceMinLabels;
    private final int referenceMaxLabels;
    private final int agreementMaxLabels;
    private final Duration agreementMaxDuration;
    private final int keepReports;

    public DriftConfig(Environment env) {
        String p = "warm.scorer.drift.";
        this.applicationId = env.getProperty(p + "application-id", String.class, "warm-scorer-drift");
        this.window = positive(p + "window", env.getProperty(p + "window", Duration.class, Duration.ofSeconds(60)));
        this.grace = env.getProperty(p + "grace", Duration.class, Duration.ofSeconds(5));
        this.tick = positive(p + "tick", env.getProperty(p + "tick", Duration.class, Duration.ofSeconds(5)));
        this.trafficFlush = env.getProperty(p + "traffic-flush", Duration.class, Duration.ofSeconds(1));
        if (trafficFlush.isNegative()) {
            throw new IllegalStateException(p + "traffic-flush must not be negative, got " + trafficFlush);
        }
        this.sketchSize = Math.max(MIN_SKETCH_SIZE, env.getProperty(p + "sketch-size", Integer.class, 512));
        if (sketchSize > MAX_SKETCH_SIZE) {
            throw new IllegalStateException(p + "sketch-size must be at most " + MAX_SKETCH_SIZE + ", got " + sketchSize);
        }
        this.labelsGroup = env.getProperty(p + "labels.group-id", String.class, "warm-scorer-drift-labels");
        this.labelsOffsetReset = env.getProperty(p + "labels.offset-reset", String.class, "latest");
        this.labelsPerPoll = Math.max(1, env.getProperty(p + "labels.max-poll-records", Integer.class, 32));
        this.labelsSample = env.getProperty(p + "labels.sample", Double.class, 1.0);
        if (!(labelsSample > 0 && labelsSample <= 1)) {
            throw new IllegalStateException(p + "labels.sample must be in (0, 1], got " + labelsSample);
        }
        // A stable hash of the id, salted apart from the validation split, picks the sample.
        this.sampler = labelsSample >= 1 ? null : new Holdout(labelsSample, "warm-scorer-drift-sample");
        this.holdout = new Holdout(env.getProperty(p + "holdout.fraction", Double.class, 0.05),
                Holdout.requireSalt(env.getProperty(p + "holdout.salt", String.class, ""),
                        env.getProperty(Holdout.SHARED_SALT, String.class, ""), p + "holdout.salt"));
        this.referenceMinLabels = Math.max(1, env.getProperty(p + "reference.min-labels", Integer.class, 32));
        this.referenceMaxLabels = Math.max(referenceMinLabels, env.getProperty(p + "reference.max-labels", Integer.class, 256));
        this.agreementMaxLabels = env.getProperty(p + "agreement.max-labels", Integer.class, 500);
        this.agreementMaxDuration = env.getProperty(p + "agreement.max-duration", Duration.class, Duration.ofMinutes(10));
        this.keepReports = Math.max(1, env.getProperty(p + "reports.keep", Integer.class, 500));
    }

    /** Kafka Streams application id of the drift topology, shared by scorer instances. */
    public String applicationId() { return applicationId; }
    public Duration window() { return window; }
    public Duration grace() { return grace; }
    /** How often an instance sends an empty observation, so windows close when traffic and labels stop. */
    public Duration tick() { return tick; }
    /** Longest a traffic reward is held before it goes out in an observation (capped at half the grace). */
    public Duration trafficFlush() { return trafficFlush; }
    /** The KLL sketch's k per report window: rewards held exactly, and the rank error beyond. */
    public int sketchSize() { return sketchSize; }
    /** Consumer group reading warm.preferences, shared by instances so each label is scored by one of them. */
    public String labelsGroup() { return labelsGroup; }
    public String labelsOffsetReset() { return labelsOffsetReset; }
    public int labelsPerPoll() { return labelsPerPoll; }
    /** Share of fresh labels scored for prequential accuracy and agreement (each costs two forward passes). */
    public double labelsSample() { return labelsSample; }
    public boolean sampled(String labelId) { return sampler == null || sampler.isHeldOut(labelId); }
    /** The trainers' and merger's validation split: its labels make the PSI reference. */
    public Holdout holdout() { return holdout; }
    public int referenceMinLabels() { return referenceMinLabels; }
    public int referenceMaxLabels() { return referenceMaxLabels; }
    public int agreementMaxLabels() { return agreementMaxLabels; }
    public Duration agreementMaxDuration() { return agreementMaxDuration; }
    /** Reports kept for {@code GET /v1/drift}. */
    public int keepReports() { return keepReports; }

    private static Duration positive(String key, Duration d) {
        if (d.isNegative() || d.isZero()) {
            throw new IllegalStateException(key + " must be a positive duration, got " + d);
        }
        return d;
    }
}
