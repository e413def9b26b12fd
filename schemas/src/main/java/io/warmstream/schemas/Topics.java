package io.warmstream.schemas;

import io.warmstream.events.AdminAction;
import io.warmstream.events.CheckpointRejected;
import io.warmstream.events.DriftObservation;
import io.warmstream.events.DriftReport;
import io.warmstream.events.ModelCandidate;
import io.warmstream.events.ModelEvaluation;
import io.warmstream.events.PreferenceLabel;
import io.warmstream.events.RewardModelCheckpoint;
import io.warmstream.events.ScoreRequest;
import io.warmstream.events.ScoreResult;
import io.warmstream.events.TrainingJob;
import io.warmstream.events.TrainingRunEvent;
import io.warmstream.events.WarmModelPublished;
import org.apache.avro.specific.SpecificRecord;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The one catalogue of warmstream's topics: names, partition counts, cleanup policies and value types.
 *
 * <p>What's here: every service takes topic names from these constants and creates topics only through
 * {@code TopicProvisioner} (platform) with {@link #all()}. Keys are plain strings everywhere (label id, job id,
 * average name); values are the Avro events of {@code io.warmstream.events}, registered under
 * {@code <topic>-value}. Topics that are the system's record of truth (validated labels, jobs, checkpoints)
 * keep their records forever; {@code warm.models} is compacted so it always holds the newest version of
 * each average.
 */
public final class Topics {

    /** Labels as labelling pipelines write them, before validation. Keyed by label id. */
    public static final String PREFERENCES_RAW = "warm.preferences.raw";
    /** Validated, de-duplicated labels: the training data. Keyed by label id; kept forever. */
    public static final String PREFERENCES = "warm.preferences";
    /** Labels that failed validation or decoding, original bytes plus {@link DeadLetterHeaders}. */
    public static final String PREFERENCES_DLQ = "warm.preferences.dlq";
    /** One record per reward model to fine-tune. Keyed by job id; kept forever. */
    public static final String TRAINING_JOBS = "warm.training-jobs";
    /** Training jobs that could not be decoded or run, original bytes plus {@link DeadLetterHeaders}. */
    public static final String TRAINING_JOBS_DLQ = "warm.training-jobs.dlq";
    /** Started / progress / finished / failed events of training runs. Keyed by job id. */
    public static final String TRAINING_RUNS = "warm.training-runs";
    /** Finished reward models ready to merge. Keyed by average; kept forever so merges can be replayed. */
    public static final String CHECKPOINTS = "warm.checkpoints";
    /** Checkpoints the merger refused, with the reason. Keyed by job id. */
    public static final String CHECKPOINTS_REJECTED = "warm.checkpoints.rejected";
    /**
     * Published WARM model versions, compacted to the newest record per key. A version to serve is keyed by average,
     * one the merger's quality gate withheld by {@link #withheldModelKey}: compaction then keeps the served version
     * under the average's key, which is all a scorer starting fresh needs.
     */
    public static final String MODELS = "warm.models";
    /**
     * Candidate versions the merger has stored while it checks them ({@code ModelCandidate}), so scorers can load a
     * version before it is published. Hints only, read from the end; kept an hour. Keyed by average.
     */
    public static final String MODEL_CANDIDATES = "warm.model-candidates";
    /** Suffix of {@link #withheldModelKey}; average names cannot contain '/'. */
    private static final String WITHHELD_SUFFIX = "/withheld";
    /** Stream scoring requests. Keyed by request id. */
    public static final String SCORE_REQUESTS = "warm.score-requests";
    /** Rewards for score requests. Keyed by request id. */
    public static final String SCORES = "warm.scores";
    /** Drift reports per model version and window. Keyed by average. */
    public static final String DRIFT = "warm.drift";
    /**
     * What scorer instances observe (traffic rewards, fresh-label outcomes, reference rewards), the drift topology's
     * input. Keyed by average and version ({@code average/vN}); one partition, so one stream time closes every window.
     */
    public static final String DRIFT_OBSERVATIONS = "warm.drift.observations";
    /**
     * Accuracy of every served version, and of its members, on fixed test sets with known preferences (the
     * scorer's optional test-set judge). Keyed by average; kept forever: it is the quality history of the average.
     */
    public static final String EVALUATIONS = "warm.evaluations";

    /**
     * The audit trail: every administrative action taken through a service's HTTP API (who, what, when, before and
     * after). Keyed by service and scope ({@code merger/<average>}); kept forever.
     */
    public static final String AUDIT = "warm.audit";

    private static final Map<String, String> KEEP_FOREVER = Map.of("retention.ms", "-1");
    private static final Map<String, TopicSpec> CATALOGUE = catalogue();

    private Topics() {
    }

    /** The key of a version of {@code average} that the quality gate withheld, on {@link #MODELS}. */
    public static String withheldModelKey(String average) {
        return average + WITHHELD_SUFFIX;
    }

    /** Every topic, in catalogue order. */
    public static List<TopicSpec> all() {
        return List.copyOf(CATALOGUE.values());
    }

    /** The spec of one topic; {@link IllegalArgumentException} naming the known topics if there is none. */
    public static TopicSpec spec(String name) {
        TopicSpec spec = CATALOGUE.get(name);
        if (spec == null) {
            throw new IllegalArgumentException("unknown topic '" + name + "'; the catalogue has " + CATALOGUE.keySet());
        }
        return spec;
    }

    private static Map<String, TopicSpec> catalogue() {
        Map<String, TopicSpec> m = new LinkedHashMap<>();
        add(m, PREFERENCES_RAW, 3, Map.of(), PreferenceLabel.class);
        add(m, PREFERENCES, 3, KEEP_FOREVER, PreferenceLabel.class);
        add(m, PREFERENCES_DLQ, 1, Map.of(), null);
        // Trainers share the jobs topic as one consumer group: its partitions cap how many train at once.
        add(m, TRAINING_JOBS, 4, KEEP_FOREVER, TrainingJob.class);
        add(m, TRAINING_JOBS_DLQ, 1, Map.of(), null);
        add(m, TRAINING_RUNS, 1, Map.of(), TrainingRunEvent.class);
        // One partition: the merger folds checkpoints in one total order, exactly once.
        add(m, CHECKPOINTS, 1, KEEP_FOREVER, RewardModelCheckpoint.class);
        add(m, CHECKPOINTS_REJECTED, 1, Map.of(), CheckpointRejected.class);
        add(m, MODELS, 1, Map.of("cleanup.policy", "compact"), WarmModelPublished.class);
        add(m, MODEL_CANDIDATES, 1, Map.of("retention.ms", String.valueOf(3600L * 1000)), ModelCandidate.class);
        add(m, SCORE_REQUESTS, 3, Map.of(), ScoreRequest.class);
        add(m, SCORES, 3, Map.of(), ScoreResult.class);
        add(m, DRIFT, 1, Map.of(), DriftReport.class);
        add(m, EVALUATIONS, 1, KEEP_FOREVER, ModelEvaluation.class);
        add(m, AUDIT, 1, KEEP_FOREVER, AdminAction.class);
        add(m, DRIFT_OBSERVATIONS, 1, Map.of("retention.ms", String.valueOf(24L * 3600 * 1000)), DriftObservation.class);
        return m;
    }

    private static void add(Map<String, TopicSpec> m, String name, int partitions, Map<String, String> configs,
                            Class<? extends SpecificRecord> valueType) {
        m.put(name, new TopicSpec(name, partitions, configs, valueType));
    }
}
