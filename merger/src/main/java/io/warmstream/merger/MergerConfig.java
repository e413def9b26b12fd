package io.warmstream.merger;

import io.micronaut.context.annotation.Property;
import io.micronaut.context.annotation.Requires;
import io.micronaut.context.env.Environment;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.core.naming.conventions.StringConvention;
import io.warmstream.merger.config.DebugSettings;
import io.warmstream.merger.config.GuardSettings;
import io.warmstream.merger.config.HoldoutSettings;
import io.warmstream.merger.config.MergerLoopSettings;
import io.warmstream.merger.config.MergerSettings;
import io.warmstream.merger.config.QualityGateSettings;
import io.warmstream.merger.config.ReferenceSettings;
import io.warmstream.merger.config.RetentionSettings;
import io.warmstream.merger.gate.GateSettings;
import io.warmstream.merger.kafka.LoopSettings;
import io.warmstream.model.merge.MergeSettings;
import io.warmstream.model.merge.MergeStrategy;
import io.warmstream.model.store.ModelSigningKeys;
import io.warmstream.platform.KafkaSettings;
import io.warmstream.schemas.Holdout;
import jakarta.inject.Singleton;

import java.nio.file.Path;
import java.time.Duration;

/**
 * The merger's settings in the form its parts use: the shared Kafka layer's ({@link KafkaSettings}, {@code warm.kafka.*},
 * {@code warm.registry.*}, {@code warm.serde.*}), the keys shared with other services ({@code warm.store.location},
 * the model signing key file, {@code warm.holdout.salt}) and the merger's own {@code @ConfigurationProperties} beans
 * ({@code io.warmstream.merger.config}), each checked at start. Defaults and every key's environment variable are in
 * {@code warmstream/merger/application.yml} only.
 */
@Singleton
@Requires(property = MergerConfig.ENABLED, value = "true")
public final class MergerConfig {

    public static final String ENABLED = "warm.merger.enabled";
    static final String STORE = "warm.store.location";

    /** The merger's own beans, one per concern. */
    @Singleton
    @Requires(property = MergerConfig.ENABLED, value = "true")
    public record Beans(MergerSettings merger, MergerLoopSettings loop, GuardSettings guard, QualityGateSettings gate,
                        HoldoutSettings holdout, ReferenceSettings reference, RetentionSettings retention,
                        DebugSettings debug) {
    }

    private final KafkaSettings kafka;
    private final Beans beans;
    private final MergeStrategy strategy;
    private final String storeLocation;
    private final String modelSigningKeyFile;
    private final String sharedSalt;

    public MergerConfig(Environment env, Beans beans,
                        @Nullable @Property(name = STORE) String storeLocation,
                        @Nullable @Property(name = ModelSigningKeys.SETTING) String modelSigningKeyFile,
                        @Nullable @Property(name = Holdout.SHARED_SALT) String sharedSalt) {
        this.kafka = KafkaSettings.from(env.getProperties("warm", StringConvention.RAW));
        this.beans = beans;
        this.strategy = MergeStrategy.fromConfig(beans.merger().getStrategy());
        this.storeLocation = storeLocation == null ? "" : storeLocation;
        this.modelSigningKeyFile = modelSigningKeyFile == null ? "" : modelSigningKeyFile;
        this.sharedSalt = sharedSalt == null ? "" : sharedSalt;
    }

    public KafkaSettings kafka() {
        return kafka;
    }

    public String average() {
        return beans.merger().getAverage();
    }

    public MergeStrategy strategy() {
        return strategy;
    }

    /** Strategy parameters; {@code init-model} (for slerp-liti) is resolved by the service. */
    public MergeSettings mergeSettings() {
        return MergeSettings.of(strategy)
                .withEmaMu(beans.merger().getEmaMu())
                .withLitiEta(beans.merger().getLitiEta())
                .withWindowSize(beans.merger().getWindowSize());
    }

    /** Directory, file: URI, store URI or base model name ({@code minilm-l6}, {@code tiny:7}); blank if unset. */
    public String initModel() {
        return beans.merger().getInitModel();
    }

    /** Required lineage id of members, or null to take the first accepted member's. */
    public String lineage() {
        String l = beans.merger().getLineage();
        return l.isBlank() ? null : l;
    }

    public double minValidationAccuracy() {
        return beans.merger().getMinValidationAccuracy();
    }

    /** The shared checkpoint store ({@code warm.store.location}): a directory or a file: URI. */
    public String storeLocation() {
        if (storeLocation.isBlank()) {
            throw new IllegalStateException(STORE + " must be set (environment variable WARM_STORE_LOCATION)");
        }
        return storeLocation;
    }

    /** The model signing key file ({@code warm.security.model-signing-key-file}); blank: directories unauthenticated. */
    public String modelSigningKeyFile() {
        return modelSigningKeyFile;
    }

    /** Local scratch space for candidate averages, one subdirectory per average. */
    public Path workDir() {
        String dir = beans.merger().getWorkDir();
        Path base = dir.isBlank() ? Path.of(System.getProperty("java.io.tmpdir"), "warm-merger") : Path.of(dir);
        return base.resolve(average());
    }

    public boolean guardEnabled() {
        return beans.guard().getEnabled();
    }

    public double guardMargin() {
        return beans.guard().getMargin();
    }

    public int guardMinLabels() {
        return beans.guard().getMinLabels();
    }

    public double guardStandardErrors() {
        return beans.guard().getStandardErrors();
    }

    public boolean guardDeferNewMember() {
        return beans.guard().getDeferNewMember();
    }

    public int guardMaxLabels() {
        return beans.guard().getMaxLabels();
    }

    public int guardMaxTextChars() {
        return beans.guard().getMaxTextChars();
    }

    public long guardLookback() {
        return beans.guard().getLookbackRecords();
    }

    public String guardDevice() {
        return beans.guard().getDevice();
    }

    /** The quality gate: withhold a version worse than the served one by more than k paired standard errors. */
    public GateSettings gateSettings() {
        return beans.gate().gateSettings();
    }

    /** The trainers' split: same fraction and salt, so the merger never scores on labels a member trained on. */
    public Holdout holdout() {
        return new Holdout(beans.holdout().getFraction(), Holdout.requireSalt(beans.holdout().getSalt(), sharedSalt,
                HoldoutSettings.PREFIX + ".salt"));
    }

    /** The fixed reference set (JSONL) each version's reward scale is measured on; empty: not measured. */
    public String referenceSet() {
        return beans.reference().getSet();
    }

    /** Items of the reference set scored for each version at most (each a forward pass on the merger). */
    public int referenceMaxItems() {
        return beans.reference().getMaxItems();
    }

    public int keepVersions() {
        return beans.retention().getKeepVersions();
    }

    public Duration retentionGrace() {
        return beans.retention().getGrace();
    }

    public boolean provisionTopics() {
        return beans.merger().getProvisionTopics();
    }

    public boolean stageCandidates() {
        return beans.merger().getStageCandidates();
    }

    public String crashAt() {
        return beans.debug().getCrashAt();
    }

    public LoopSettings loopSettings() {
        MergerLoopSettings loop = beans.loop();
        return new LoopSettings(average(), loop.getPollTimeout(), loop.getRetryBackoff(), loop.getRetryBackoffMax(),
                loop.getRecoveryTimeout(), beans.guard().getCatchUpTimeout(), beans.retention().getSweepInterval(),
                loop.getMaxPollRecords(), loop.getTransactionTimeout(), loop.getConsumer(), loop.getProducer());
    }
}
