package io.warmstream.trainer.config;

import io.micronaut.context.annotation.ConfigurationProperties;
import io.warmstream.schemas.Topics;
import jakarta.annotation.PostConstruct;

import static io.warmstream.platform.config.SettingChecks.notBlank;

/**
 * The trainer's topic names ({@code warm.trainer.topics.*}), e.g. to keep test runs apart on a shared broker. The
 * defaults are the catalogue's names ({@link Topics}), which the application.yml does not repeat.
 */
@ConfigurationProperties(TopicProperties.PREFIX)
public class TopicProperties {

    public static final String PREFIX = "warm.trainer.topics";

    private String preferences = Topics.PREFERENCES;
    private String trainingJobs = Topics.TRAINING_JOBS;
    private String trainingJobsDlq = Topics.TRAINING_JOBS_DLQ;
    private String trainingRuns = Topics.TRAINING_RUNS;
    private String checkpoints = Topics.CHECKPOINTS;

    @PostConstruct
    void check() {
        notBlank(PREFIX + ".preferences", preferences);
        notBlank(PREFIX + ".training-jobs", trainingJobs);
        notBlank(PREFIX + ".training-jobs-dlq", trainingJobsDlq);
        notBlank(PREFIX + ".training-runs", trainingRuns);
        notBlank(PREFIX + ".checkpoints", checkpoints);
    }

    public String getPreferences() { return preferences; }
    public void setPreferences(String preferences) { this.preferences = trim(preferences); }
    public String getTrainingJobs() { return trainingJobs; }
    public void setTrainingJobs(String trainingJobs) { this.trainingJobs = trim(trainingJobs); }
    public String getTrainingJobsDlq() { return trainingJobsDlq; }
    public void setTrainingJobsDlq(String trainingJobsDlq) { this.trainingJobsDlq = trim(trainingJobsDlq); }
    public String getTrainingRuns() { return trainingRuns; }
    public void setTrainingRuns(String trainingRuns) { this.trainingRuns = trim(trainingRuns); }
    public String getCheckpoints() { return checkpoints; }
    public void setCheckpoints(String checkpoints) { this.checkpoints = trim(checkpoints); }

    private static String trim(String s) {
        return s == null ? null : s.trim();
    }
}
