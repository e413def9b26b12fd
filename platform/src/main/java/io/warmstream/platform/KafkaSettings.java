package io.warmstream.platform;

import io.warmstream.schemas.EventSerdes;
import io.warmstream.schemas.SchemaRegistration;
import io.warmstream.schemas.TopicSpec;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.StreamsConfig;

import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;

/**
 * How every warmstream service reaches Kafka and the schema registry, read from one set of {@code warm.*} keys.
 *
 * <p>Keys, relative to {@code warm.} (services pass Micronaut's {@code env.getProperties("warm", RAW)}; the same
 * keys come from environment variables such as {@code WARM_KAFKA_BOOTSTRAP_SERVERS}):
 * <ul>
 *   <li>{@code kafka.bootstrap-servers} (required)</li>
 *   <li>{@code kafka.replication-factor} for topics the services create (default 1)</li>
 *   <li>{@code kafka.client.*}: passed verbatim to every producer, consumer, admin and Streams client, for the
 *       settings a production cluster needs everywhere ({@code security.protocol}, {@code sasl.*}, {@code ssl.*})</li>
 *   <li>{@code registry.url}, {@code registry.apicurio-url}, {@code serde.*}: see {@link EventSerdes}</li>
 * </ul>
 * Client-specific settings a caller passes to the config builders win over {@code kafka.client.*}, which wins
 * over the defaults here.
 */
public final class KafkaSettings {

    public static final String BOOTSTRAP_SERVERS = "kafka.bootstrap-servers";
    public static final String REPLICATION_FACTOR = "kafka.replication-factor";
    public static final String CLIENT_PREFIX = "kafka.client.";

    private final String bootstrapServers;
    private final short replicationFactor;
    private final Map<String, Object> clientOverrides;
    private final Map<String, Object> serdeSettings;
    private EventSerdes serdes;

    private KafkaSettings(String bootstrapServers, short replicationFactor, Map<String, Object> clientOverrides,
                          Map<String, Object> serdeSettings) {
        this.bootstrapServers = bootstrapServers;
        this.replicationFactor = replicationFactor;
        this.clientOverrides = Map.copyOf(clientOverrides);
        this.serdeSettings = Map.copyOf(serdeSettings);
    }

    /**
     * Reads settings from flat keys relative to {@code warm.} (a leading {@code warm.} is also accepted).
     * A missing bootstrap address or registry URL is refused with a message naming the key and its variable.
     */
    public static KafkaSettings from(Map<String, ?> properties) {
        Map<String, Object> flat = new TreeMap<>();
        properties.forEach((k, v) -> {
            if (v != null) {
                flat.put(k.startsWith("warm.") ? k.substring(5) : k, v);
            }
        });
        String bootstrap = required(flat, BOOTSTRAP_SERVERS, "WARM_KAFKA_BOOTSTRAP_SERVERS");
        required(flat, EventSerdes.REGISTRY_URL, "WARM_REGISTRY_URL");
        short replication = Short.parseShort(flat.getOrDefault(REPLICATION_FACTOR, "1").toString().trim());
        Map<String, Object> client = new LinkedHashMap<>();
        Map<String, Object> serde = new LinkedHashMap<>();
        flat.forEach((k, v) -> {
            if (k.startsWith(CLIENT_PREFIX)) {
                client.put(k.substring(CLIENT_PREFIX.length()), v);
            } else if (k.startsWith("registry.") || k.startsWith("serde.")) {
                serde.put(k, v);
            }
        });
        return new KafkaSettings(bootstrap, replication, client, serde);
    }

    /** Settings for a broker and registry on these addresses, with every other key at its default. */
    public static KafkaSettings of(String bootstrapServers, String registryUrl) {
        return from(Map.of(BOOTSTRAP_SERVERS, bootstrapServers, EventSerdes.REGISTRY_URL, registryUrl));
    }

    public String bootstrapServers() {
        return bootstrapServers;
    }

    public short replicationFactor() {
        return replicationFactor;
    }

    /** The Confluent-compatible registry URL. */
    public String registryUrl() {
        return serdeSettings.get(EventSerdes.REGISTRY_URL).toString();
    }

    /** The settings {@link EventSerdes} takes ({@code registry.*}, {@code serde.*}). */
    public Map<String, Object> serdeSettings() {
        return serdeSettings;
    }

    /** The serdes for event values, built once. */
    public synchronized EventSerdes serdes() {
        if (serdes == null) {
            serdes = new EventSerdes(serdeSettings);
        }
        return serdes;
    }

    /** Producer settings: idempotent, acks=all, String keys and byte[] values unless {@code extra} says otherwise. */
    public Map<String, Object> producerConfig(String clientId, Map<String, ?> extra) {
        Map<String, Object> c = base();
        c.put(ProducerConfig.CLIENT_ID_CONFIG, clientId);
        c.put(ProducerConfig.ACKS_CONFIG, "all");
        c.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        c.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        c.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        return finish(c, extra);
    }

    /** Consumer settings: manual commits, earliest reset, String keys and byte[] values unless {@code extra} says otherwise. */
    public Map<String, Object> consumerConfig(String groupId, String clientId, Map<String, ?> extra) {
        Map<String, Object> c = base();
        if (groupId != null) {
            c.put(ConsumerConfig.GROUP_ID_CONFIG, groupId);
        }
        c.put(ConsumerConfig.CLIENT_ID_CONFIG, clientId);
        c.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        c.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        c.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        c.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        return finish(c, extra);
    }

    /** Kafka Streams settings for an application id: exactly-once v2 unless {@code extra} says otherwise. */
    public Map<String, Object> streamsConfig(String applicationId, Map<String, ?> extra) {
        Map<String, Object> c = base();
        c.put(StreamsConfig.APPLICATION_ID_CONFIG, applicationId);
        c.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.EXACTLY_ONCE_V2);
        c.put(StreamsConfig.REPLICATION_FACTOR_CONFIG, (int) replicationFactor);
        return finish(c, extra);
    }

    public Admin admin(String clientId) {
        return Admin.create(adminConfig(clientId));
    }

    /** Admin settings: 15 s per request, 30 s per call. */
    public Map<String, Object> adminConfig(String clientId) {
        Map<String, Object> c = base();
        c.put(AdminClientConfig.CLIENT_ID_CONFIG, clientId);
        c.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 15_000);
        c.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 30_000);
        return finish(c, Map.of());
    }

    /**
     * Creates the topics that are missing and registers their value schemas (BACKWARD); safe to repeat. An unreachable
     * registry is waited for up to {@code warm.registry.startup-wait} (default 10 minutes).
     */
    public void provision(Admin admin, Collection<TopicSpec> topics) {
        TopicProvisioner.provision(admin, topics, replicationFactor);
        SchemaRegistration.registerAll(registryUrl(), topics, serdes().registryAuthorization(),
                SchemaRegistration.startupWait(serdeSettings));
    }

    private Map<String, Object> base() {
        Map<String, Object> c = new LinkedHashMap<>();
        c.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        return c;
    }

    private Map<String, Object> finish(Map<String, Object> c, Map<String, ?> extra) {
        c.putAll(clientOverrides);
        if (extra != null) {
            c.putAll(extra);
        }
        return c;
    }

    private static String required(Map<String, Object> flat, String key, String variable) {
        Object v = flat.get(key);
        if (v == null || v.toString().isBlank()) {
            throw new IllegalStateException("warm." + key + " must be set (environment variable " + variable + ")");
        }
        return v.toString().trim();
    }
}
