package io.warmstream.trainer;

import io.micronaut.context.annotation.Requires;
import io.micronaut.context.env.Environment;
import io.micronaut.core.naming.conventions.StringConvention;
import io.warmstream.model.store.ModelSigningKeys;
import io.warmstream.events.TrainingJob;
import io.warmstream.events.TrainingRunEvent;
import io.warmstream.schemas.Holdout;
import io.warmstream.platform.KafkaSettings;
import io.warmstream.schemas.TopicSpec;
import io.warmstream.schemas.Topics;
import io.warmstream.trainer.plan.CapacitySettings;
import io.warmstream.trainer.plan.DataSelection;
import io.warmstream.trainer.plan.HyperparameterGrid;
import io.warmstream.trainer.plan.PlannerEvents;
import io.warmstream.trainer.plan.PlannerSettings;
import io.warmstream.trainer.work.FeatureCacheSettings;
import io.warmstream.trainer.work.WorkerSettings;
import jakarta.inject.Singleton;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.InetAddress;
import java.nio.file.Path;
import io.warmstream.platform.Backoff;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * The trainer's settings, read once from Micronaut's environment ({@code warm.*}). Defaults live in
 * {@code warmstream/trainer/application.yml}; every key can be overridden by an environment variable
 * ({@code WARM_TRAINER_PLANNER_LABELS_PER_JOB}, {@code WARM_TRAINER_WORKER_DEVICE}, ...) or a property.
 *
 * <p>Topic names default to the catalogue's ({@link Topics}); {@code warm.trainer.topics.*} renames them, e.g. to
 * keep test runs apart on a shared broker.
 */
@Singleton
@Requires(property = TrainerConfig.ENABLED, value = "true")
public final class TrainerConfig {

    public static final String ENABLED = "warm.trainer.enabled";
    public static final String PLANNER_ENABLED = "warm.trainer.planner.enabled";
    public static final String WORKER_ENABLED = "warm.trainer.worker.enabled";
    public static final String STORE = "warm.store.location";
    static final String LEGACY_STORE = "warm.trainer.store";
    private static final Logger LOG = LoggerFactory.getLogger(TrainerConfig.class);

    private final Environment env;
    private final KafkaSettings kafka;
    private final String labelsTopic;
    private final String jobsTopic;
    private final String jobsDeadLetterTopic;
    private final String runsTopic;
    private final String checkpointsTopic;
    private final String store;
    private final boolean provisionTopics;
    private final Duration closeTimeout;
    private final String workerId;

    public TrainerConfig(Environment env) {
        this.env = env;
        this.kafka = KafkaSettings.from(env.getProperties("warm", StringConvention.RAW));
        this.labelsTopic = str("warm.trainer.topics.preferences", Topics.PREFERENCES);
        this.jobsTopic = str("warm.trainer.topics.training-jobs", Topics.TRAINING_JOBS);
        this.jobsDeadLetterTopic = str("warm.trainer.topics.training-jobs-dlq", Topics.TRAINING_JOBS_DLQ);
        this.runsTopic = str("warm.trainer.topics.training-runs", Topics.TRAINING_RUNS);
        this.checkpointsTopic = str("warm.trainer.topics.checkpoints", Topics.CHECKPOINTS);
        this.store = storeLocation(env);
        this.provisionTopics = env.getProperty("warm.trainer.provision-topics", Boolean.class, true);
        this.closeTimeout = env.getProperty("warm.trainer.close-timeout", Duration.class, Duration.ofSeconds(30));
        String id = str("warm.trainer.worker.id", "");
        this.workerId = id.isBlank() ? defaultWorkerId() : id;
    }

    public KafkaSettings kafka() { return kafka; }
    public String labelsTopic() { return labelsTopic; }
    public String jobsTopic() { return jobsTopic; }
    public String checkpointsTopic() { return checkpointsTopic; }
    public String runsTopic() { return runsTopic; }
    /** Checkpoint store location: a directory, a {@code file:} or an {@code s3:} URI (see {@code CheckpointStore.open}). */
    public String store() { return store; }
    /** {@code warm.security.model-signing-key-file}; blank: model directories unauthenticated. */
    public String modelSigningKeyFile() { return str(ModelSigningKeys.SETTING, ""); }
    public boolean provisionTopics() { return provisionTopics; }
    public Duration closeTimeout() { return closeTimeout; }
    public String workerId() { return workerId; }

    /** The topics this service reads and writes, under their configured names, with the catalogue's specs. */
    public List<TopicSpec> topics() {
        List<TopicSpec> specs = new ArrayList<>();
        specs.add(renamed(Topics.PREFERENCES, labelsTopic));
        specs.add(renamed(Topics.TRAINING_JOBS, jobsTopic));
        specs.add(renamed(Topics.TRAINING_JOBS_DLQ, jobsDeadLetterTopic));
        specs.add(renamed(Topics.TRAINING_RUNS, runsTopic));
        specs.add(renamed(Topics.CHECKPOINTS, checkpointsTopic));
        return specs;
    }

    public String plannerApplicationId() {
        return str("warm.trainer.planner.application-id", "warm-trainer-planner");
    }

    public Path plannerStateDir() {
        String dir = str("warm.trainer.planner.state-dir", "");
        return dir.isBlank() ? Path.of(System.getProperty("java.io.tmpdir"), "warm-trainer-planner-state") : Path.of(dir);
    }

    /** Raw Kafka Streams settings ({@code warm.trainer.planner.streams.*}), applied over ours. */
    public Map<String, Object> plannerStreamsOverrides() {
        return Map.copyOf(env.getProperties("warm.trainer.planner.streams", StringConvention.RAW));
    }

    public PlannerSettings plannerSettings(PlannerEvents events) {
        String p = "warm.trainer.planner.";
        HyperparameterGrid grid = new HyperparameterGrid(
                doubles(p + "grid.learning-rates", "1e-5,4e-5,1e-4"),
                doubles(p + "grid.dropouts", "0.05,0.1"),
                integer(p + "hyperparameters.batch-size", 16),
                integer(p + "hyperparameters.max-sequence-length", 128),
                integer(p + "hyperparameters.trainable-layers", 2),
                integer(p + "hyperparameters.epochs", 1),
                optionalInt(p + "hyperparameters.max-steps", 48),
                dbl(p + "hyperparameters.weight-decay", 0.01),
                dbl(p + "hyperparameters.reward-centering", 0.0),
                Map.copyOf(env.getProperties(p + "hyperparameters.extra", StringConvention.RAW).entrySet().stream()
                        .collect(java.util.stream.Collectors.toMap(Map.Entry::getKey, e -> String.valueOf(e.getValue())))));
        return new PlannerSettings(labelsTopic, jobsTopic, str(p + "average", "default"),
                integer(p + "labels-per-job", 256),
                env.getProperty(p + "interval", Duration.class, Duration.ofMinutes(2)),
                integer(p + "min-labels", 64),
                env.getProperty(p + "check-interval", Duration.class, Duration.ofSeconds(5)),
                DataSelection.parse(str(p + "data-selection", "ALL")),
                integer(p + "window-triggers", 4),
                dbl(p + "validation-fraction", 0.05),
                Holdout.requireSalt(str(p + "validation-salt", ""), str(Holdout.SHARED_SALT, ""), p + "validation-salt"),
                str(p + "base-model", "minilm-l6"),
                env.getProperty(p + "shared-head", Boolean.class, true),
                env.getProperty(p + "seed", Long.class, 0L),
                grid,
                kafka.serdes().valueSerde(TrainingJob.class),
                capacitySettings(),
                events,
                dbl(p + "generations.refit-factor", 4.0));
    }

    /** {@code warm.trainer.planner.capacity.*}: how many jobs may wait for the live workers. */
    public CapacitySettings capacitySettings() {
        String c = "warm.trainer.planner.capacity.";
        return new CapacitySettings(runsTopic, kafka.serdes().valueSerde(TrainingRunEvent.class),
                integer(c + "max-pending-per-worker", 1),
                integer(c + "min-workers", 1),
                env.getProperty(c + "worker-ttl", Duration.class, Duration.ofMinutes(5)),
                env.getProperty(c + "job-timeout", Duration.class, Duration.ofHours(1)));
    }

    public WorkerSettings workerSettings() {
        String w = "warm.trainer.worker.";
        String dir = str(w + "work-dir", "");
        Path workDir = dir.isBlank() ? Path.of(System.getProperty("java.io.tmpdir"), "warm-trainer-" + workerId) : Path.of(dir);
        return new WorkerSettings(jobsTopic, jobsDeadLetterTopic, runsTopic, checkpointsTopic,
                str(w + "group-id", "warm-trainer"), workerId, str(w + "device", "auto"), str(w + "precision", "fp32"),
                integer(w + "progress-every", 5), env.getProperty(w + "supersede", Boolean.class, true), workDir,
                env.getProperty(w + "data-timeout", Duration.class, Duration.ofSeconds(60)), closeTimeout,
                Map.copyOf(env.getProperties(w + "consumer", StringConvention.RAW)),
                Map.copyOf(env.getProperties(w + "producer", StringConvention.RAW)),
                featureCacheSettings(),
                new Backoff(env.getProperty(w + "store-retry-backoff", Duration.class, Duration.ofSeconds(1)),
                        env.getProperty(w + "store-retry-backoff-max", Duration.class, Duration.ofSeconds(30))));
    }

    /** {@code warm.trainer.worker.feature-cache.*}: byte sizes as numbers or with a unit ("1GiB", "512MiB"). */
    FeatureCacheSettings featureCacheSettings() {
        String c = "warm.trainer.worker.feature-cache.";
        String dir = str(c + "disk-dir", "");
        return new FeatureCacheSettings(env.getProperty(c + "enabled", Boolean.class, true),
                FeatureCacheSettings.parseBytes(c + "memory-bytes", str(c + "memory-bytes", "1GiB")),
                dir.isBlank() ? null : Path.of(dir),
                FeatureCacheSettings.parseBytes(c + "disk-bytes", str(c + "disk-bytes", "8GiB")));
    }

    private static TopicSpec renamed(String catalogueName, String name) {
        TopicSpec spec = Topics.spec(catalogueName);
        return new TopicSpec(name, spec.partitions(), spec.configs(), spec.valueType());
    }

    /**
     * {@code warm.store.location} (env {@code WARM_STORE_LOCATION}), the key the merger and scorer read too.
     * {@code warm.trainer.store} ({@code WARM_TRAINER_STORE}), this service's former key, still wins when set, so
     * existing deployments keep their store; it logs a warning.
     */
    static String storeLocation(Environment env) {
        String legacy = env.getProperty(LEGACY_STORE, String.class).map(String::trim).orElse("");
        if (!legacy.isEmpty()) {
            LOG.warn("{} is deprecated; set warm.store.location (WARM_STORE_LOCATION) instead", LEGACY_STORE);
            return legacy;
        }
        String location = env.getProperty(STORE, String.class).map(String::trim).orElse("");
        return location.isEmpty() ? "warm-store" : location;
    }

    private String str(String key, String fallback) {
        return env.getProperty(key, String.class).map(String::trim).orElse(fallback);
    }

    private int integer(String key, int fallback) {
        return env.getProperty(key, Integer.class, fallback);
    }

    private double dbl(String key, double fallback) {
        return env.getProperty(key, Double.class, fallback);
    }

    /** Blank or "none" means no cap. */
    private Integer optionalInt(String key, int fallback) {
        String v = str(key, Integer.toString(fallback));
        return v.isBlank() || v.equalsIgnoreCase("none") ? null : Integer.valueOf(v);
    }

    /** A comma-separated list ("1e-5,4e-5") or a YAML list. */
    private List<Double> doubles(String key, String fallback) {
        String v = str(key, fallback).replace("[", "").replace("]", "");
        List<Double> out = new ArrayList<>();
        for (String part : v.split(",")) {
            if (!part.isBlank()) {
                try {
                    out.add(Double.valueOf(part.trim()));
                } catch (NumberFormatException e) {
                    throw new IllegalArgumentException(key + ": '" + part.trim() + "' is not a number");
                }
            }
        }
        return out;
    }

    private static String defaultWorkerId() {
        String host;
        try {
            host = InetAddress.getLocalHost().getHostName();
        } catch (Exception e) {
            host = "worker";
        }
        return host.replaceAll("[^A-Za-z0-9._-]", "-") + "-" + UUID.randomUUID().toString().substring(0, 6);
    }
}
