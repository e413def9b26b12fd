package io.warmstream.trainer.config;

import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.core.convert.format.MapFormat;
import io.micronaut.core.naming.conventions.StringConvention;
import io.warmstream.platform.config.SettingChecks;
import jakarta.annotation.PostConstruct;

import java.util.Map;
import java.util.TreeMap;

import static io.warmstream.platform.config.SettingChecks.atLeast;
import static io.warmstream.platform.config.SettingChecks.present;

/** The fixed knobs of every job ({@code warm.trainer.planner.hyperparameters.*}). */
@ConfigurationProperties(HyperparameterProperties.PREFIX)
public class HyperparameterProperties {

    public static final String PREFIX = "warm.trainer.planner.hyperparameters";

    private Integer batchSize;
    private Integer maxSequenceLength;
    private Integer trainableLayers;
    private Integer epochs;
    private String maxSteps;
    private Double weightDecay;
    private Double rewardCentering;
    private Map<String, String> extra = Map.of();

    @PostConstruct
    void check() {
        atLeast(PREFIX + ".batch-size", batchSize, 1);
        atLeast(PREFIX + ".max-sequence-length", maxSequenceLength, 1);
        atLeast(PREFIX + ".trainable-layers", trainableLayers, -1);
        atLeast(PREFIX + ".epochs", epochs, 1);
        maxStepsValue();
        atLeast(PREFIX + ".weight-decay", weightDecay, 0.0);
        SettingChecks.finite(PREFIX + ".reward-centering", rewardCentering);
    }

    /** The cap on steps, or null for none (blank or "none"). */
    public Integer maxStepsValue() {
        String v = present(PREFIX + ".max-steps", maxSteps);
        if (v.isBlank() || v.equalsIgnoreCase("none")) {
            return null;
        }
        try {
            return atLeast(PREFIX + ".max-steps", Integer.valueOf(v), 1);
        } catch (NumberFormatException e) {
            throw SettingChecks.bad(PREFIX + ".max-steps", "must be a number or none", v);
        }
    }

    public Integer getBatchSize() { return batchSize; }
    public void setBatchSize(Integer batchSize) { this.batchSize = batchSize; }
    public Integer getMaxSequenceLength() { return maxSequenceLength; }
    public void setMaxSequenceLength(Integer maxSequenceLength) { this.maxSequenceLength = maxSequenceLength; }
    /** Top encoder layers fine-tuned (plus pooler and head); -1 = all. */
    public Integer getTrainableLayers() { return trainableLayers; }
    public void setTrainableLayers(Integer trainableLayers) { this.trainableLayers = trainableLayers; }
    public Integer getEpochs() { return epochs; }
    public void setEpochs(Integer epochs) { this.epochs = epochs; }
    /** Caps every run; "none" for no cap. */
    public String getMaxSteps() { return maxSteps; }
    public void setMaxSteps(String maxSteps) { this.maxSteps = maxSteps == null ? null : maxSteps.trim(); }
    public Double getWeightDecay() { return weightDecay; }
    public void setWeightDecay(Double weightDecay) { this.weightDecay = weightDecay; }
    public Double getRewardCentering() { return rewardCentering; }
    public void setRewardCentering(Double rewardCentering) { this.rewardCentering = rewardCentering; }
    /** Further knobs passed to the job as text, e.g. {@code warmup_ratio}, {@code max_grad_norm}, {@code probe_l2}. */
    public Map<String, String> getExtra() { return extra; }

    public void setExtra(@MapFormat(transformation = MapFormat.MapTransformation.FLAT,
            keyFormat = StringConvention.RAW) Map<String, Object> extra) {
        Map<String, String> out = new TreeMap<>();
        if (extra != null) {
            extra.forEach((k, v) -> out.put(k, String.valueOf(v)));
        }
        this.extra = Map.copyOf(out);
    }
}
