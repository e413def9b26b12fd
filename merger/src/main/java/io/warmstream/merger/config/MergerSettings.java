package io.warmstream.merger.config;

import io.micronaut.context.annotation.ConfigurationProperties;
import io.warmstream.model.merge.MergeStrategy;
import io.warmstream.platform.config.SettingChecks;
import jakarta.annotation.PostConstruct;

import static io.warmstream.platform.config.SettingChecks.atLeast;
import static io.warmstream.platform.config.SettingChecks.between;
import static io.warmstream.platform.config.SettingChecks.present;
import static io.warmstream.platform.config.SettingChecks.share;

/**
 * The average this merger owns and how it folds ({@code warm.merger.*}); defaults in
 * {@code warmstream/merger/application.yml}.
 */
@ConfigurationProperties(MergerSettings.PREFIX)
public class MergerSettings {

    public static final String PREFIX = "warm.merger";

    private String average;
    private String strategy;
    private Double emaMu;
    private Double litiEta;
    private Integer windowSize;
    private String initModel;
    private String lineage;
    private Double minValidationAccuracy;
    private String workDir;
    private Boolean provisionTopics;
    private Boolean stageCandidates;

    @PostConstruct
    void check() {
        present(PREFIX + ".average", average);
        if (!average.matches("[A-Za-z0-9._-]{1,100}")) {
            throw SettingChecks.bad(PREFIX + ".average", "must be 1-100 letters, digits, '.', '_' or '-' (it names"
                    + " store keys and Kafka ids)", "'" + average + "'");
        }
        try {
            MergeStrategy.fromConfig(present(PREFIX + ".strategy", strategy));
        } catch (IllegalArgumentException e) {
            throw SettingChecks.bad(PREFIX + ".strategy", "must be a merge method (" + e.getMessage() + ")", strategy);
        }
        share(PREFIX + ".ema-mu", emaMu);
        share(PREFIX + ".liti-eta", litiEta);
        atLeast(PREFIX + ".window-size", windowSize, 1);
        present(PREFIX + ".init-model", initModel);
        present(PREFIX + ".lineage", lineage);
        between(PREFIX + ".min-validation-accuracy", minValidationAccuracy, 0, 1);
        present(PREFIX + ".work-dir", workDir);
        present(PREFIX + ".provision-topics", provisionTopics);
        present(PREFIX + ".stage-candidates", stageCandidates);
    }

    /** The one average this merger owns; it names store keys, the consumer group and the transactional id. */
    public String getAverage() { return average; }
    public void setAverage(String average) { this.average = average; }
    /** uniform, accuracy-weighted, data-size-weighted, ema, sliding-window, slerp-liti; fixed per average. */
    public String getStrategy() { return strategy; }
    public void setStrategy(String strategy) { this.strategy = strategy; }
    public Double getEmaMu() { return emaMu; }
    public void setEmaMu(Double emaMu) { this.emaMu = emaMu; }
    public Double getLitiEta() { return litiEta; }
    public void setLitiEta(Double litiEta) { this.litiEta = litiEta; }
    public Integer getWindowSize() { return windowSize; }
    public void setWindowSize(Integer windowSize) { this.windowSize = windowSize; }
    /** slerp-liti: the members' shared initialisation; empty if unset. */
    public String getInitModel() { return initModel; }
    public void setInitModel(String initModel) { this.initModel = initModel == null ? null : initModel.trim(); }
    /** Lineage id every member must have; empty: the first accepted member's. */
    public String getLineage() { return lineage; }
    public void setLineage(String lineage) { this.lineage = lineage == null ? null : lineage.trim(); }
    public Double getMinValidationAccuracy() { return minValidationAccuracy; }
    public void setMinValidationAccuracy(Double minValidationAccuracy) { this.minValidationAccuracy = minValidationAccuracy; }
    /** Scratch for candidate averages; empty: {@code <java.io.tmpdir>/warm-merger}. */
    public String getWorkDir() { return workDir; }
    public void setWorkDir(String workDir) { this.workDir = workDir == null ? null : workDir.trim(); }
    public Boolean getProvisionTopics() { return provisionTopics; }
    public void setProvisionTopics(Boolean provisionTopics) { this.provisionTopics = provisionTopics; }
    /**
     * Store each candidate and announce it on warm.model-candidates before its held-out checks, so scorers load it
     * while they run; serving still waits for its publication.
     */
    public Boolean getStageCandidates() { return stageCandidates; }
    public void setStageCandidates(Boolean stageCandidates) { this.stageCandidates = stageCandidates; }
}
