package io.warmstream.merger;

import io.micronaut.context.annotation.Requires;
import io.micronaut.context.env.Environment;
import io.micronaut.core.naming.conventions.StringConvention;
import io.warmstream.merger.gate.GateSettings;
import io.warmstream.merger.kafka.LoopSettings;
import io.warmstream.model.merge.MergeSettings;
import io.warmstream.model.merge.MergeStrategy;
import io.warmstream.model.store.ModelSigningKeys;
import io.warmstream.schemas.Holdout;
import io.warmstream.platform.KafkaSettings;
import jakarta.inject.Singleton;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

/**
 * The merger's settings, read once from Micronaut's environment. Defaults and every key with its environment
 * variable are in {@code warmstream/merger/application.yml}; Kafka and registry keys are the shared
 * {@code warm.kafka.*}, {@code warm.registry.*}, {@code warm.serde.*} ({@link KafkaSettings}).
 */
@Singleton
@Requires(property = MergerConfig.ENABLED, value = "true")
public final class MergerConfig {

    public static final String ENABLED = "warm.merger.enabled";

    private final Environment env;
    private final KafkaSettings kafka;
    private final String average;
    private final MergeStrategy strategy;

    public MergerConfig(Environment env) {
        this.env = env;
        this.kafka = KafkaSettings.from(env.getProperties("warm", StringConvention.RAW));
        this.average = string("warm.merger.average", "default");
        if (!average.matches("[A-Za-z0-9._-]{1,100}")) {
            throw new IllegalArgumentException("warm.merger.average '" + average
                    + "' must be 1-100 letters, digits, '.', '_' or '-' (it names store keys and Kafka ids)");
        }
        this.strategy = MergeStrategy.fromConfig(string("warm.merger.strategy", "uniform"));
    }

    public KafkaSettings kafka() {
        return kafka;
    }

    public String average() {
        return average;
    }

    public MergeStrategy strategy() {
        return strategy;
    }

    /** Strategy parameters; {@code init-model} (for slerp-liti) is resolved by the service. */
    public MergeSettings mergeSettings() {
        return MergeSettings.of(strategy)
                .withEmaMu(number("warm.merger.ema-mu", MergeSettings.DEFAULT_EMA_MU))
                .withLitiEta(number("warm.merger.liti-eta", MergeSettings.DEFAULT_LITI_ETA))
                .withWindowSize(integer("warm.merger.window-size", MergeSettings.DEFAULT_WINDOW_SIZE));
    }

    /** Directory, file: URI, store URI or base model name ({@code minilm-l6}, {@code tiny:7}); blank if unset. */
    public String initModel() {
        return string("warm.merger.init-model", "");
    }

    /** Required lineage id of members, or null to take the first accepted member's. */
    public String lineage() {
        String l = string("warm.merger.lineage", "");
        return l.isBlank() ? null : l.trim();
    }

    public double minValidationAccuracy() {
        return number("warm.merger.min-validation-accuracy", 0.5);
    }

    /** The shared checkpoint store ({@code warm.store.location}): a directory or a file: URI. */
    public String storeLocation() {
        String s = string("warm.store.location", "");
        if (s.isBlank()) {
            throw new IllegalStateException("warm.store.location must be set (environment variable WARM_STORE_LOCATION)");
        }
        return s;
    }

    /** The model signing key file ({@code warm.security.model-signing-key-file}); blank: directories unauthenticated. */
    public String modelSigningKeyFile() {
        return string(ModelSigningKeys.SETTING, "");
    }

    /** Local scratch space for candidate averages, one subdirectory per average. */
    public Path workDir() {
        String dir = string("warm.merger.work-dir", "");
        Path base = dir.isBlank() ? Path.of(System.getProperty("java.io.tmpdir"), "warm-merger") : Path.of(dir);
        return base.resolve(average);
    }

    public boolean guardEnabled() {
        return bool("warm.merger.guard.enabled", true);
    }

    public double guardMargin() {
        return number("warm.merger.guard.margin", 0.05);
    }

    public int guardMinLabels() {
        return integer("warm.merger.guard.min-labels", 64);
    }

    public int guardMaxLabels() {
        return integer("warm.merger.guard.max-labels", 512);
    }

    public int guardMaxTextChars() {
        return integer("warm.merger.guard.max-text-chars", 2000);
    }

    public long guardLookback() {
        return env.getProperty("warm.merger.guard.lookback-records", Long.class, 200_000L);
    }

    public String guardDevice() {
        return string("warm.merger.guard.device", "auto");
    }

    /** The quality gate: withhold a version worse than the served one by more than k paired standard errors. */
    public GateSettings gateSettings() {
        return new GateSettings(bool("warm.merger.gate.enabled", true),
                number("warm.merger.gate.standard-errors", 1.0),
                integer("warm.merger.gate.min-labels", 64));
    }

    /** The trainers' split: same fraction and salt, so the merger never scores on labels a member trained on. */
    public Holdout holdout() {
        return new Holdout(number("warm.merger.holdout.fraction", 0.05), Holdout.requireSalt(
                string("warm.merger.holdout.salt", ""), string(Holdout.SHARED_SALT, ""), "warm.merger.holdout.salt"));
    }

    /** The fixed reference set (JSONL) each version's reward scale is measured on; empty: not measured. */
    public String referenceSet() {
        return string("warm.merger.reference.set", "");
    }

    /** Items of the reference set scored for each version at most (each a forward pass on the merger). */
    public int referenceMaxItems() {
        return integer("warm.merger.reference.max-items", 512);
    }

    public int keepVersions() {
        return integer("warm.merger.retention.keep-versions", 5);
    }

    public Duration retentionGrace() {
        return duration("warm.merger.retention.grace", Duration.ofMinutes(10));
    }

    public boolean provisionTopics() {
        return bool("warm.merger.provision-topics", true);
    }

    public String crashAt() {
        return string("warm.merger.debug.crash-at", "");
    }

    public LoopSettings loopSettings() {
        return new LoopSettings(average,
                duration("warm.merger.poll-timeout", Duration.ofMillis(200)),
                duration("warm.merger.retry-backoff", Duration.ofSeconds(2)),
                duration("warm.merger.retry-backoff-max", Duration.ofSeconds(30)),
                duration("warm.merger.recovery-timeout", Duration.ofSeconds(60)),
                duration("warm.merger.guard.catch-up-timeout", Duration.ofSeconds(60)),
                duration("warm.merger.retention.sweep-interval", Duration.ofSeconds(30)),
                integer("warm.merger.max-poll-records", 8),
                duration("warm.merger.transaction-timeout", Duration.ofSeconds(60)),
                Map.copyOf(env.getProperties("warm.merger.consumer", StringConvention.RAW)),
                Map.copyOf(env.getProperties("warm.merger.producer", StringConvention.RAW)));
    }

    private String string(String key, String fallback) {
        return env.getProperty(key, String.class, fallback);
    }

    private double number(String key, double fallback) {
        return env.getProperty(key, Double.class, fallback);
    }

    private int integer(String key, int fallback) {
        return env.getProperty(key, Integer.class, fallback);
    }

    private boolean bool(String key, boolean fallback) {
        return env.getProperty(key, Boolean.class, fallback);
    }

    private Duration duration(String key, Duration fallback) {
        return env.getProperty(key, Duration.class, fallback);
    }
}
