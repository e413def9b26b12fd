package io.warmstream.scorer.drift;

import io.micronaut.context.annotation.Property;
import io.micronaut.context.annotation.Requires;
import io.micronaut.core.annotation.Nullable;
import io.warmstream.schemas.Holdout;
import io.warmstream.scorer.ScorerConfig;
import io.warmstream.scorer.config.DriftBeans;
import io.warmstream.scorer.config.DriftSettings;
import jakarta.inject.Singleton;

import java.time.Duration;

/**
 * Drift monitoring settings in the form its parts use, from the {@link DriftSettings} beans (checked at start) and the
 * shared {@code warm.holdout.salt}; defaults and environment variables in application.yml only.
 */
@Singleton
@Requires(property = ScorerConfig.ENABLED, value = "true")
public final class DriftConfig {

    /** Beans of drift monitoring require this not to be false. */
    public static final String ENABLED = "warm.scorer.drift.enabled";

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

    public DriftConfig(DriftBeans beans, @Nullable @Property(name = Holdout.SHARED_SALT) String sharedSalt) {
        DriftSettings d = beans.drift();
        this.applicationId = d.getApplicationId();
        this.window = d.getWindow();
        this.grace = d.getGrace();
        this.tick = d.getTick();
        this.trafficFlush = d.getTrafficFlush();
        this.sketchSize = Math.max(DriftSettings.MIN_SKETCH_SIZE, d.getSketchSize());
        this.labelsGroup = beans.labels().getGroupId();
        this.labelsOffsetReset = beans.labels().getOffsetReset();
        this.labelsPerPoll = Math.max(1, beans.labels().getMaxPollRecords());
        this.labelsSample = beans.labels().getSample();
        // A stable hash of the id, salted apart from the validation split, picks the sample.
        this.sampler = labelsSample >= 1 ? null : new Holdout(labelsSample, "warm-scorer-drift-sample");
        this.holdout = new Holdout(beans.holdout().getFraction(), Holdout.requireSalt(beans.holdout().getSalt(),
                sharedSalt == null ? "" : sharedSalt, DriftSettings.PREFIX + ".holdout.salt"));
        this.referenceMinLabels = Math.max(1, beans.reference().getMinLabels());
        this.referenceMaxLabels = Math.max(referenceMinLabels, beans.reference().getMaxLabels());
        this.agreementMaxLabels = beans.agreement().getMaxLabels();
        this.agreementMaxDuration = beans.agreement().getMaxDuration();
        this.keepReports = Math.max(1, beans.reports().getKeep());
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
}
