package io.warmstream.ingest;

import io.micronaut.context.annotation.Requires;
import io.micronaut.context.env.Environment;
import io.micronaut.core.naming.conventions.StringConvention;
import io.warmstream.ingest.rules.LabelLimits;
import io.warmstream.ingest.rules.LabelRules;
import io.warmstream.ingest.topology.RawPreferenceTopology;
import io.warmstream.platform.KafkaSettings;
import io.warmstream.schemas.EventSerdes;
import io.warmstream.schemas.Topics;
import jakarta.inject.Singleton;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;

/**
 * The ingest service's settings, read once from Micronaut's environment. Defaults live in
 * {@code warmstream/ingest/application.yml}; every key can be overridden by environment variables
 * ({@code WARM_KAFKA_BOOTSTRAP_SERVERS}, {@code WARM_REGISTRY_URL}, {@code WARM_INGEST_...}) or properties.
 */
@Singleton
@Requires(property = IngestConfig.ENABLED, value = "true")
public final class IngestConfig {

    public static final String ENABLED = "warm.ingest.enabled";

    private final KafkaSettings kafka;
    private final Map<String, Object> serdeSettings;
    private final String httpTopic;
    private final LabelRules rules;
    private final RequestLimits requestLimits;
    private final String defaultLabeller;
    private final String defaultSource;
    private final Map<String, Object> producerOverrides;
    private final boolean provisionTopics;
    private final boolean topologyEnabled;
    private final String applicationId;
    private final Path stateDir;
    private final Duration dedupWindow;
    private final Map<String, Object> streamsOverrides;
    private final Duration closeTimeout;
    private final int deadLetterMaxBytes;

    public IngestConfig(Environment env) {
        required(env, "warm.kafka.bootstrap-servers");
        required(env, "warm.registry.url");
        // Every Kafka client of ingest is configured from these (warm.kafka.client.* included: SASL, TLS).
        this.kafka = KafkaSettings.from(env.getProperties("warm", StringConvention.RAW));
        // warm.registry.* and warm.serde.* (flavour, serializer, id-cache, properties.*) pass through to EventSerdes.
        this.serdeSettings = kafka.serdeSettings();
        this.httpTopic = env.getProperty("warm.ingest.http.topic", String.class, Topics.PREFERENCES_RAW);
        this.rules = new LabelRules(new LabelLimits(
                intProp(env, "warm.ingest.limits.id-chars", LabelLimits.DEFAULT_ID_CHARS),
                intProp(env, "warm.ingest.limits.prompt-chars", LabelLimits.DEFAULT_PROMPT_CHARS),
                intProp(env, "warm.ingest.limits.response-chars", LabelLimits.DEFAULT_RESPONSE_CHARS),
                intProp(env, "warm.ingest.limits.name-chars", LabelLimits.DEFAULT_NAME_CHARS),
                intProp(env, "warm.ingest.limits.metadata-entries", LabelLimits.DEFAULT_METADATA_ENTRIES),
                intProp(env, "warm.ingest.limits.metadata-chars", LabelLimits.DEFAULT_METADATA_CHARS)),
                env.getProperty("warm.ingest.limits.created-at-max-future", Duration.class, LabelRules.DEFAULT_CREATED_AT_MAX_FUTURE),
                Clock.systemUTC());
        this.requestLimits = new RequestLimits(
                intProp(env, "warm.ingest.limits.max-items", RequestLimits.DEFAULT_MAX_ITEMS),
                intProp(env, "warm.ingest.limits.listed-rejections", RequestLimits.DEFAULT_LISTED_REJECTIONS),
                intProp(env, "warm.ingest.limits.max-depth", RequestLimits.DEFAULT_MAX_DEPTH),
                intProp(env, "warm.ingest.limits.max-tokens", RequestLimits.DEFAULT_MAX_TOKENS));
        this.defaultLabeller = env.getProperty("warm.ingest.defaults.labeller", String.class, "unknown");
        this.defaultSource = env.getProperty("warm.ingest.defaults.source", String.class, "http");
        this.producerOverrides = Map.copyOf(env.getProperties("warm.ingest.producer", StringConvention.RAW));
        this.provisionTopics = env.getProperty("warm.ingest.provision-topics", Boolean.class, true);
        this.topologyEnabled = env.getProperty("warm.ingest.topology.enabled", Boolean.class, true);
        this.applicationId = env.getProperty("warm.ingest.topology.application-id", String.class, "warm-ingest");
        String dir = env.getProperty("warm.ingest.topology.state-dir", String.class, "");
        this.stateDir = dir.isBlank() ? Path.of(System.getProperty("java.io.tmpdir"), "warm-ingest-state") : Path.of(dir);
        this.dedupWindow = env.getProperty("warm.ingest.topology.dedup-window", Duration.class, Duration.ofHours(1));
        this.streamsOverrides = Map.copyOf(env.getProperties("warm.ingest.topology.streams", StringConvention.RAW));
        this.closeTimeout = env.getProperty("warm.ingest.close-timeout", Duration.class, Duration.ofSeconds(10));
        this.deadLetterMaxBytes = env.getProperty("warm.ingest.topology.dead-letter-max-bytes", Integer.class,
                RawPreferenceTopology.Settings.DEFAULT_DEAD_LETTER_MAX_BYTES);
    }

    /** How every producer, Streams app and admin client of ingest reaches Kafka and the registry. */
    public KafkaSettings kafka() { return kafka; }
    public String bootstrapServers() { return kafka.bootstrapServers(); }
    /** Settings for {@link EventSerdes}: every {@code warm.registry.*} and {@code warm.serde.*} key without {@code warm.}. */
    public Map<String, Object> serdeSettings() { return serdeSettings; }
    /** Where HTTP labels are written: the raw topic by default, so one topology validates and de-duplicates all labels. */
    public String registryUrl() { return (String) serdeSettings.get(EventSerdes.REGISTRY_URL); }
    public String httpTopic() { return httpTopic; }
    public LabelRules rules() { return rules; }
    /** Bounds on one HTTP request: items, listed rejections, JSON depth and tokens. */
    public RequestLimits requestLimits() { return requestLimits; }
    public String defaultLabeller() { return defaultLabeller; }
    public String defaultSource() { return defaultSource; }
    /** Raw Kafka producer settings ({@code warm.ingest.producer.*}), applied over ours. */
    public Map<String, Object> producerOverrides() { return producerOverrides; }
    public boolean provisionTopics() { return provisionTopics; }
    public short replicationFactor() { return kafka.replicationFactor(); }
    public boolean topologyEnabled() { return topologyEnabled; }
    public String applicationId() { return applicationId; }
    public Path stateDir() { return stateDir; }
    public Duration dedupWindow() { return dedupWindow; }
    /** Raw Kafka Streams settings ({@code warm.ingest.topology.streams.*}), applied over ours. */
    public Map<String, Object> streamsOverrides() { return streamsOverrides; }
    public Duration closeTimeout() { return closeTimeout; }
    /** Dead letters are cut to this many bytes (key, value, headers) so the broker never refuses one. */
    public int deadLetterMaxBytes() { return deadLetterMaxBytes; }

    private static String required(Environment env, String key) {
        return env.getProperty(key, String.class).filter(s -> !s.isBlank())
                .orElseThrow(() -> new IllegalStateException(key + " must be set"));
    }

    private static int intProp(Environment env, String key, int fallback) {
        return env.getProperty(key, Integer.class, fallback);
    }
}
