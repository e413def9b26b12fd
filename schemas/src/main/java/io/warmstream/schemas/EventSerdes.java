package io.warmstream.schemas;

import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.serialization.Serializer;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * Avro value serdes for the event types, chosen and configured by settings rather than hard-wired, so a
 * deployment can swap Apicurio's serdes for Confluent's without code changes.
 *
 * <p>Settings (a leading {@code warm.} is accepted and ignored):
 * <ul>
 *   <li>{@value #REGISTRY_URL}: the registry's Confluent-compatible base URL, e.g.
 *       {@code http://127.0.0.1:8080/apis/ccompat/v7} (Apicurio) or {@code http://schema-registry:8081} (Confluent). Required.</li>
 *   <li>{@value #APICURIO_URL}: Apicurio's own API; by default derived from {@value #REGISTRY_URL}
 *       ({@code .../apis/ccompat/v7} becomes {@code .../apis/registry/v2}).</li>
 *   <li>{@value #FLAVOUR}: {@code apicurio} (default) or {@code confluent}.</li>
 *   <li>{@value #SERIALIZER}, {@value #DESERIALIZER}: class names overriding the flavour's.</li>
 *   <li>{@value #PROPERTIES_PREFIX}{@code *}: passed to the serdes verbatim, without the prefix, overriding ours.</li>
 *   <li>{@value #BASIC_AUTH_USER_INFO}: {@code user:password} for a registry that wants HTTP Basic; or
 *       {@value #BEARER_TOKEN}: a token sent as {@code Authorization: Bearer}. Passed to the flavour's own keys
 *       (Apicurio: {@code apicurio.auth.username}/{@code password}, {@code apicurio.rest.request.headers.Authorization};
 *       Confluent: {@code basic.auth.user.info}, {@code bearer.auth.token}); never logged.</li>
 *   <li>{@value #ID_CACHE}: {@code true} (default) lets the Apicurio flavour's serializer skip Apicurio's per-record
 *       schema lookup once a (topic, schema) has an id (see {@code SchemaIdCachingSerializer}); {@code false} calls
 *       Apicurio for every record.</li>
 * </ul>
 * Either flavour writes Confluent's wire format (magic byte 0, 4-byte schema id, Avro binary) under subject
 * {@code <topic>-value}, registering the schema on first use. Serdes returned here are already configured;
 * their {@code configure()} does nothing, so frameworks that call it again cannot undo that.
 *
 * <p>Longer than most classes because every serde setting (flavour, registry URLs, credentials, pass-through properties) is resolved here once for every service.
 */
public final class EventSerdes {

    public static final String REGISTRY_URL = "registry.url";
    public static final String APICURIO_URL = "registry.apicurio-url";
    public static final String FLAVOUR = "serde.flavour";
    public static final String SERIALIZER = "serde.serializer";
    public static final String DESERIALIZER = "serde.deserializer";
    public static final String PROPERTIES_PREFIX = "serde.properties.";
    public static final String ID_CACHE = "serde.id-cache";
    public static final String BASIC_AUTH_USER_INFO = "registry.basic-auth-user-info";
    public static final String BEARER_TOKEN = "registry.bearer-token";
    // The REST client reads this prefix; 2.6.13 does not translate the documented apicurio.registry.request.headers.* per header.
    private static final String APICURIO_HEADER_PREFIX = "apicurio.rest.request.headers.";

    static final String APICURIO_SERIALIZER = "io.apicurio.registry.serde.avro.AvroKafkaSerializer";
    static final String APICURIO_DESERIALIZER = "io.apicurio.registry.serde.avro.AvroKafkaDeserializer";
    static final String CONFLUENT_SERIALIZER = "io.confluent.kafka.serializers.KafkaAvroSerializer";
    static final String CONFLUENT_DESERIALIZER = "io.confluent.kafka.serializers.KafkaAvroDeserializer";

    private static final String CCOMPAT_SUFFIX = "/apis/ccompat/v7";
    private static final String CCOMPAT_V6_SUFFIX = "/apis/ccompat/v6";

    private final String flavour;
    private final String serializerClass;
    private final String deserializerClass;
    private final Map<String, Object> configs;
    private final boolean idCache;
    private final String authorization;

    /** Resolves the settings; fails with {@link IllegalArgumentException} naming the setting that is wrong or missing. */
    public EventSerdes(Map<String, ?> settings) {
        Map<String, String> s = normalise(settings);
        String url = trimSlash(required(s, REGISTRY_URL));
        this.flavour = s.getOrDefault(FLAVOUR, "apicurio").trim().toLowerCase(Locale.ROOT);
        Map<String, Object> c = new LinkedHashMap<>();
        RegistryCredentials credentials = RegistryCredentials.from(s.get(BASIC_AUTH_USER_INFO), s.get(BEARER_TOKEN));
        String serializerClassDefault;
        String deserializerClassDefault;
        switch (flavour) {
            case "apicurio" -> {
                c.put("apicurio.registry.url", apicurioUrl(url, s.get(APICURIO_URL)));
                c.put("apicurio.registry.auto-register", "true");
                c.put("apicurio.registry.artifact-resolver-strategy", "io.apicurio.registry.serde.strategy.TopicIdStrategy");
                // Confluent's framing: magic byte + 4-byte id in the value, no Apicurio headers, id = content id,
                // which is what the registry's ccompat API serves under /schemas/ids/{id}.
                c.put("apicurio.registry.as-confluent", "true");
                // Naming the handler as-confluent installs anyway keeps Apicurio from warning about a "duplicate" one.
                c.put("apicurio.registry.id-handler", "io.apicurio.registry.serde.Legacy4ByteIdHandler");
                c.put("apicurio.registry.headers.enabled", "false");
                c.put("apicurio.registry.use-id", "contentId");
                c.put("apicurio.registry.use-specific-avro-reader", "true");
                if (credentials.basic()) {
                    c.put("apicurio.auth.username", credentials.user());
                    c.put("apicurio.auth.password", credentials.secret());
                } else if (credentials.bearer()) {
                    c.put(APICURIO_HEADER_PREFIX + "Authorization", credentials.authorizationHeader());
                }
                serializerClassDefault = APICURIO_SERIALIZER;
                deserializerClassDefault = APICURIO_DESERIALIZER;
            }
            case "confluent" -> {
                c.put("schema.registry.url", url);
                c.put("auto.register.schemas", "true");
                c.put("specific.avro.reader", "true");
                if (credentials.basic()) {
                    c.put("basic.auth.credentials.source", "USER_INFO");
                    c.put("basic.auth.user.info", credentials.user() + ":" + credentials.secret());
                } else if (credentials.bearer()) {
                    c.put("bearer.auth.credentials.source", "STATIC_TOKEN");
                    c.put("bearer.auth.token", credentials.secret());
                }
                serializerClassDefault = CONFLUENT_SERIALIZER;
                deserializerClassDefault = CONFLUENT_DESERIALIZER;
            }
            default -> throw new IllegalArgumentException(FLAVOUR + " must be 'apicurio' or 'confluent', not '" + flavour + "'");
        }
        s.forEach((k, v) -> {
            if (k.startsWith(PROPERTIES_PREFIX) && k.length() > PROPERTIES_PREFIX.length()) {
                c.put(k.substring(PROPERTIES_PREFIX.length()), v);
            }
        });
        this.serializerClass = s.getOrDefault(SERIALIZER, serializerClassDefault);
        this.deserializerClass = s.getOrDefault(DESERIALIZER, deserializerClassDefault);
        this.configs = Map.copyOf(c);
        this.idCache = Boolean.parseBoolean(s.getOrDefault(ID_CACHE, "true").trim());
        this.authorization = credentials.authorizationHeader();
    }

    /** Apicurio flavour against a registry's Confluent-compatible URL: what tests and the local stack use. */
    public static EventSerdes forRegistry(String ccompatUrl) {
        return new EventSerdes(Map.of(REGISTRY_URL, ccompatUrl));
    }

    /** A configured value serializer for one event type. */
    public <T extends SpecificRecord> Serializer<T> valueSerializer(Class<T> type) {
        Serializer<Object> delegate = instantiate(serializerClass, Serializer.class);
        delegate.configure(configs, false);
        if (cacheSchemaIds()) {
            return new SchemaIdCachingSerializer<>(delegate,
                    Long.parseLong(String.valueOf(configs.getOrDefault("apicurio.registry.check-period-ms", "30000"))));
        }
        return new ConfiguredSerializer<>(delegate);
    }

    /** The fast path of {@link SchemaIdCachingSerializer} only applies to Apicurio's serializer writing Confluent frames in binary. */
    private boolean cacheSchemaIds() {
        return idCache
                && serializerClass.equals(APICURIO_SERIALIZER)
                && "true".equals(String.valueOf(configs.get("apicurio.registry.as-confluent")))
                && "false".equals(String.valueOf(configs.get("apicurio.registry.headers.enabled")))
                && "BINARY".equalsIgnoreCase(String.valueOf(configs.getOrDefault("apicurio.registry.avro.encoding", "BINARY")));
    }

    /** A configured value deserializer for one event type; records of another type fail with {@link SerializationException}. */
    public <T extends SpecificRecord> Deserializer<T> valueDeserializer(Class<T> type) {
        Deserializer<Object> delegate = instantiate(deserializerClass, Deserializer.class);
        delegate.configure(configs, false);
        return new ConfiguredDeserializer<>(delegate, type);
    }

    /** Serializer and deserializer together, e.g. for Kafka Streams. */
    public <T extends SpecificRecord> Serde<T> valueSerde(Class<T> type) {
        return Serdes.serdeFrom(valueSerializer(type), valueDeserializer(type));
    }

    /** The resolved serde properties, e.g. to add to a producer or consumer config next to {@link #serializerClassName()}. */
    public Map<String, Object> serdeConfigs() {
        return configs;
    }

    /**
     * The {@code Authorization} header value for the registry's REST API ({@code Basic ...} or {@code Bearer ...}),
     * or null when no credentials are set: for callers that talk to the registry themselves
     * ({@link SchemaRegistration}).
     */
    public String registryAuthorization() {
        return authorization;
    }

    public String flavour() {
        return flavour;
    }

    public String serializerClassName() {
        return serializerClass;
    }

    public String deserializerClassName() {
        return deserializerClass;
    }

    private <S> S instantiate(String className, Class<?> kind) {
        Class<?> cls;
        try {
            ClassLoader loader = Thread.currentThread().getContextClassLoader();
            cls = Class.forName(className, true, loader != null ? loader : EventSerdes.class.getClassLoader());
        } catch (ClassNotFoundException e) {
            throw new IllegalStateException(missingClassMessage(className), e);
        }
        if (!kind.isAssignableFrom(cls)) {
            throw new IllegalArgumentException(className + " is not a Kafka " + kind.getSimpleName());
        }
        try {
            @SuppressWarnings("unchecked")
            S instance = (S) cls.getDeclaredConstructor().newInstance();
            return instance;
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("cannot create " + className + ": " + e, e);
        }
    }

    private String missingClassMessage(String className) {
        if (className.startsWith("io.confluent.")) {
            return "serde flavour 'confluent' needs " + className + " on the classpath: add io.confluent:kafka-avro-serializer"
                    + " (from https://packages.confluent.io/maven/, not on Maven Central) or use " + FLAVOUR + "=apicurio";
        }
        if (className.startsWith("io.apicurio.")) {
            return className + " is missing: add io.apicurio:apicurio-registry-serdes-avro-serde to the classpath";
        }
        return "serde class " + className + " not found on the classpath";
    }

    static String apicurioUrl(String ccompatUrl, String explicit) {
        if (explicit != null && !explicit.isBlank()) {
            return trimSlash(explicit.trim());
        }
        for (String suffix : new String[] {CCOMPAT_SUFFIX, CCOMPAT_V6_SUFFIX}) {
            if (ccompatUrl.endsWith(suffix)) {
                return ccompatUrl.substring(0, ccompatUrl.length() - suffix.length()) + "/apis/registry/v2";
            }
        }
        throw new IllegalArgumentException("cannot derive Apicurio's API URL from " + REGISTRY_URL + "=" + ccompatUrl
                + " (expected it to end in " + CCOMPAT_SUFFIX + "); set " + APICURIO_URL);
    }

    private static Map<String, String> normalise(Map<String, ?> settings) {
        Map<String, String> out = new LinkedHashMap<>();
        settings.forEach((k, v) -> {
            if (v != null) {
                out.put(k.startsWith("warm.") ? k.substring(5) : k, v.toString());
            }
        });
        return out;
    }

    private static String required(Map<String, String> s, String key) {
        String v = s.get(key);
        if (v == null || v.isBlank()) {
            throw new IllegalArgumentException(key + " is required (the schema registry's Confluent-compatible URL)");
        }
        return v.trim();
    }

    private static String trimSlash(String url) {
        return url.replaceAll("/+$", "");
    }

    /** Delegates to an already configured serializer; ignores later configure() calls. */
    private static final class ConfiguredSerializer<T> implements Serializer<T> {
        private final Serializer<Object> delegate;

        ConfiguredSerializer(Serializer<Object> delegate) {
            this.delegate = delegate;
        }

        @Override
        public void configure(Map<String, ?> configs, boolean isKey) {
            // Configured once in EventSerdes; a second configure() would reset the registry client.
        }

        @Override
        public byte[] serialize(String topic, T data) {
            return delegate.serialize(topic, data);
        }

        @Override
        public byte[] serialize(String topic, Headers headers, T data) {
            return delegate.serialize(topic, headers, data);
        }

        @Override
        public void close() {
            delegate.close();
        }
    }

    /** Delegates to an already configured deserializer and checks the type, so failures are SerializationExceptions. */
    private static final class ConfiguredDeserializer<T> implements Deserializer<T> {
        private final Deserializer<Object> delegate;
        private final Class<T> type;

        ConfiguredDeserializer(Deserializer<Object> delegate, Class<T> type) {
            this.delegate = delegate;
            this.type = type;
        }

        @Override
        public void configure(Map<String, ?> configs, boolean isKey) {
            // Configured once in EventSerdes.
        }

        @Override
        public T deserialize(String topic, byte[] data) {
            return check(topic, data, () -> delegate.deserialize(topic, data));
        }

        @Override
        public T deserialize(String topic, Headers headers, byte[] data) {
            return check(topic, data, () -> delegate.deserialize(topic, headers, data));
        }

        private T check(String topic, byte[] data, java.util.function.Supplier<Object> decode) {
            if (data == null) {
                return null;
            }
            Object value;
            try {
                value = decode.get();
            } catch (SerializationException e) {
                throw e;
            } catch (RuntimeException e) {
                // Undecodable bytes surface as assorted runtime exceptions; give callers one type to catch.
                throw new SerializationException("cannot decode " + type.getSimpleName() + " from " + topic + ": " + e, e);
            }
            if (value != null && !type.isInstance(value)) {
                throw new SerializationException("expected " + type.getName() + " on " + topic + " but decoded "
                        + value.getClass().getName());
            }
            return type.cast(value);
        }

        @Override
        public void close() {
            delegate.close();
        }
    }
}
