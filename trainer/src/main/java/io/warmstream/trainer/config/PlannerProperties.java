package io.warmstream.trainer.config;

import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.core.convert.format.MapFormat;
import io.micronaut.core.naming.conventions.StringConvention;
import io.warmstream.platform.config.SettingChecks;
import io.warmstream.trainer.plan.DataSelection;
import jakarta.annotation.PostConstruct;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

import static io.warmstream.platform.config.SettingChecks.atLeast;
import static io.warmstream.platform.config.SettingChecks.fraction;
import static io.warmstream.platform.config.SettingChecks.notBlank;
import static io.warmstream.platform.config.SettingChecks.positive;
import static io.warmstream.platform.config.SettingChecks.present;

/**
 * The planner ({@code warm.trainer.planner.*}): when a training job is due, over which labels, and its Streams
 * application. The validation salt is required only where the planner runs, and falls back to {@code warm.holdout.salt}.
 */
@ConfigurationProperties(PlannerProperties.PREFIX)
public class PlannerProperties {

    public static final String PREFIX = "warm.trainer.planner";
    private static final String P = PREFIX + ".";

    private Boolean enabled;
    private String applicationId;
    private String stateDir;
    private String average;
    private Integer labelsPerJob;
    private Duration interval;
    private Integer minLabels;
    private Duration checkInterval;
    private String dataSelection;
    private Integer windowTriggers;
    private Double validationFraction;
    private String validationSalt;
    private String baseModel;
    private Boolean sharedHead;
    private Long seed;
    private Map<String, Object> streams = Map.of();

    @PostConstruct
    void check() {
        present(P + "enabled", enabled);
        notBlank(P + "application-id", applicationId);
        present(P + "state-dir", stateDir);
        notBlank(P + "average", average);
        atLeast(P + "labels-per-job", labelsPerJob, 1);
        positive(P + "interval", interval);
        atLeast(P + "min-labels", minLabels, 0);
        positive(P + "check-interval", checkInterval);
        try {
            DataSelection.parse(present(P + "data-selection", dataSelection));
        } catch (IllegalArgumentException e) {
            throw SettingChecks.bad(P + "data-selection", "must be ALL or NEWEST_WINDOW", dataSelection);
        }
        atLeast(P + "window-triggers", windowTriggers, 1);
        fraction(P + "validation-fraction", validationFraction);
        present(P + "validation-salt", validationSalt);
        notBlank(P + "base-model", baseModel);
        present(P + "shared-head", sharedHead);
        present(P + "seed", seed);
    }

    public Path stateDirPath() {
        return stateDir.isBlank() ? Path.of(System.getProperty("java.io.tmpdir"), "warm-trainer-planner-state")
                : Path.of(stateDir);
    }

    /** false: a worker-only instance. */
    public Boolean getEnabled() { return enabled; }
    public void setEnabled(Boolean enabled) { this.enabled = enabled; }
    public String getApplicationId() { return applicationId; }
    public void setApplicationId(String applicationId) { this.applicationId = trim(applicationId); }
    /** Empty: {@code <java.io.tmpdir>/warm-trainer-planner-state}. */
    public String getStateDir() { return stateDir; }
    public void setStateDir(String stateDir) { this.stateDir = trim(stateDir); }
    public String getAverage() { return average; }
    public void setAverage(String average) { this.average = trim(average); }
    /** Count trigger: one job per this many new labels. */
    public Integer getLabelsPerJob() { return labelsPerJob; }
    public void setLabelsPerJob(Integer labelsPerJob) { this.labelsPerJob = labelsPerJob; }
    /** Time trigger: the oldest unplanned label waited this long and at least {@code min-labels} wait. */
    public Duration getInterval() { return interval; }
    public void setInterval(Duration interval) { this.interval = interval; }
    public Integer getMinLabels() { return minLabels; }
    public void setMinLabels(Integer minLabels) { this.minLabels = minLabels; }
    public Duration getCheckInterval() { return checkInterval; }
    public void setCheckInterval(Duration checkInterval) { this.checkInterval = checkInterval; }
    /** ALL or NEWEST_WINDOW. */
    public String getDataSelection() { return dataSelection; }
    public void setDataSelection(String dataSelection) { this.dataSelection = trim(dataSelection); }
    public Integer getWindowTriggers() { return windowTriggers; }
    public void setWindowTriggers(Integer windowTriggers) { this.windowTriggers = windowTriggers; }
    public Double getValidationFraction() { return validationFraction; }
    public void setValidationFraction(Double validationFraction) { this.validationFraction = validationFraction; }
    /** A secret of the deployment: never logged. */
    public String getValidationSalt() { return validationSalt; }
    public void setValidationSalt(String validationSalt) { this.validationSalt = trim(validationSalt); }
    public String getBaseModel() { return baseModel; }
    public void setBaseModel(String baseModel) { this.baseModel = trim(baseModel); }
    public Boolean getSharedHead() { return sharedHead; }
    public void setSharedHead(Boolean sharedHead) { this.sharedHead = sharedHead; }
    public Long getSeed() { return seed; }
    public void setSeed(Long seed) { this.seed = seed; }
    /** Raw Kafka Streams settings, applied over ours. */
    public Map<String, Object> getStreams() { return streams; }

    public void setStreams(@MapFormat(transformation = MapFormat.MapTransformation.FLAT,
            keyFormat = StringConvention.RAW) Map<String, Object> streams) {
        this.streams = streams == null ? Map.of() : Map.copyOf(streams);
    }

    private static String trim(String s) {
        return s == null ? null : s.trim();
    }
}
