package io.warmstream.schemas;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.avro.Schema;
import org.apache.avro.specific.SpecificData;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Registers the catalogue's value schemas in a schema registry through Confluent's REST API (which both
 * Confluent Schema Registry and Apicurio's {@code /apis/ccompat/v7} serve): subject {@code <topic>-value},
 * then compatibility {@code BACKWARD} on that subject. Idempotent: registering a schema the subject already
 * has returns its existing id. A schema that breaks BACKWARD compatibility is refused by the registry
 * (HTTP 409) and reported as {@link IncompatibleSchemaException}.
 *
 * <p>A registry that cannot be reached (no connection, HTTP 5xx or 429) is waited for, with bounded exponential
 * backoff, for up to {@code warm.registry.startup-wait} (default 10 minutes): a service that starts during a
 * registry outage waits instead of exiting. Any other refusal fails at once.
 */
public final class SchemaRegistration {

    private static final Logger LOG = LoggerFactory.getLogger(SchemaRegistration.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
    private static final String CONTENT_TYPE = "application/vnd.schemaregistry.v1+json";
    private static final int ATTEMPTS = 5;
    private static final Duration TIMEOUT = Duration.ofSeconds(30);
    /** Key (relative to {@code warm.}, as in serde settings) of how long to wait for an unreachable registry. */
    public static final String STARTUP_WAIT = "registry.startup-wait";
    static final Duration DEFAULT_STARTUP_WAIT = Duration.ofMinutes(10);

    private SchemaRegistration() {
    }

    /**
     * Registers every non-dead-letter spec's value schema and sets BACKWARD on its subject; returns subject -> schema
     * id. Waits up to {@link #DEFAULT_STARTUP_WAIT} for a registry that cannot be reached.
     */
    public static Map<String, Integer> registerAll(String ccompatUrl, Collection<TopicSpec> specs) {
        return registerAll(ccompatUrl, specs, null, DEFAULT_STARTUP_WAIT);
    }

    /**
     * As {@link #registerAll(String, Collection)} with an {@code Authorization} header value (see
     * {@link EventSerdes#registryAuthorization()}) on every request; null sends none.
     */
    public static Map<String, Integer> registerAll(String ccompatUrl, Collection<TopicSpec> specs, String authorization) {
        return registerAll(ccompatUrl, specs, authorization, DEFAULT_STARTUP_WAIT);
    }

    /**
     * As {@link #registerAll(String, Collection, String)}, waiting up to {@code wait} for an unreachable registry
     * (bounded exponential backoff from 0.5 s to 10 s between attempts).
     */
    public static Map<String, Integer> registerAll(String ccompatUrl, Collection<TopicSpec> specs, String authorization,
                                                   Duration wait) {
        long deadline = System.nanoTime() + wait.toNanos();
        for (int attempt = 1; ; attempt++) {
            try {
                return registerAllOnce(ccompatUrl, specs, authorization);
            } catch (RegistryUnavailableException e) {
                Duration pause = waitBackoff(attempt);
                if (System.nanoTime() + pause.toNanos() > deadline) {
                    throw new IllegalStateException(e.getMessage() + " (waited " + wait.toSeconds() + " s, "
                            + "warm.registry.startup-wait)", e);
                }
                LOG.warn("waiting for the schema registry ({}); retry {} in {} ms", e.getMessage(), attempt, pause.toMillis());
                sleep(pause.toMillis());
            }
        }
    }

    /**
     * {@code warm.registry.startup-wait} from serde settings ({@code registry.*} keys without {@code warm.}): a
     * duration such as {@code 90s}, {@code 10m} or {@code PT2M}; default 10 minutes.
     */
    public static Duration startupWait(Map<String, ?> serdeSettings) {
        Object v = serdeSettings.get(STARTUP_WAIT);
        if (v == null || v.toString().isBlank()) {
            return DEFAULT_STARTUP_WAIT;
        }
        String text = v.toString().strip();
        try {
            if (text.toUpperCase(java.util.Locale.ROOT).startsWith("P")) {
                return Duration.parse(text);
            }
            java.util.regex.Matcher m = java.util.regex.Pattern.compile("(\\d+)\\s*(ms|s|m|h)").matcher(text);
            if (m.matches()) {
                long n = Long.parseLong(m.group(1));
                return switch (m.group(2)) {
                    case "ms" -> Duration.ofMillis(n);
                    case "s" -> Duration.ofSeconds(n);
                    case "m" -> Duration.ofMinutes(n);
                    default -> Duration.ofHours(n);
                };
            }
        } catch (java.time.format.DateTimeParseException | NumberFormatException e) {
            // fall through to the message below
        }
        throw new IllegalArgumentException("warm.registry.startup-wait must be a duration such as 90s, 10m or PT2M, not '"
                + text + "'");
    }

    private static Duration waitBackoff(int attempt) {
        return Duration.ofMillis(Math.min(10_000L, 500L << Math.min(attempt - 1, 5)));
    }

    private static Map<String, Integer> registerAllOnce(String ccompatUrl, Collection<TopicSpec> specs, String authorization) {
        Map<String, Integer> ids = new LinkedHashMap<>();
        for (TopicSpec spec : specs) {
            if (spec.isDeadLetter()) {
                continue;
            }
            Schema schema = SpecificData.get().getSchema(spec.valueType());
            int id = register(ccompatUrl, spec.valueSubject(), schema, authorization);
            setCompatibility(ccompatUrl, spec.valueSubject(), "BACKWARD", authorization);
            ids.put(spec.valueSubject(), id);
        }
        LOG.info("Registered {} value schemas at {}", ids.size(), ccompatUrl);
        return ids;
    }

    /** Registers one schema under a subject; returns its id (the existing one if the subject already has it). */
    public static int register(String ccompatUrl, String subject, Schema schema) {
        return register(ccompatUrl, subject, schema, null);
    }

    /** As {@link #register(String, String, Schema)} with an {@code Authorization} header value (null: none). */
    public static int register(String ccompatUrl, String subject, Schema schema, String authorization) {
        String body = JSON.createObjectNode().put("schema", schema.toString()).toString();
        HttpResponse<String> r = send(request(uri(ccompatUrl, "/subjects/" + encode(subject) + "/versions"), authorization)
                .POST(HttpRequest.BodyPublishers.ofString(body)).build());
        if (r.statusCode() == 409) {
            throw new IncompatibleSchemaException(subject, r.body());
        }
        return json(r, "register schema under " + subject).path("id").asInt();
    }

    /** Sets a subject's compatibility level (BACKWARD, FORWARD, FULL, NONE, ... and their _TRANSITIVE forms). */
    public static void setCompatibility(String ccompatUrl, String subject, String level) {
        setCompatibility(ccompatUrl, subject, level, null);
    }

    /** As {@link #setCompatibility(String, String, String)} with an {@code Authorization} header value (null: none). */
    public static void setCompatibility(String ccompatUrl, String subject, String level, String authorization) {
        String body = JSON.createObjectNode().put("compatibility", level).toString();
        json(send(request(uri(ccompatUrl, "/config/" + encode(subject)), authorization)
                .PUT(HttpRequest.BodyPublishers.ofString(body)).build()), "set compatibility of " + subject);
    }

    /** Thrown when the registry refuses a schema as incompatible with the subject's earlier versions. */
    public static final class IncompatibleSchemaException extends IllegalStateException {
        private final String subject;

        IncompatibleSchemaException(String subject, String registryAnswer) {
            super("schema for subject " + subject + " is not compatible with its registered versions: " + registryAnswer);
            this.subject = subject;
        }

        public String subject() {
            return subject;
        }
    }

    /** The registry did not answer, or answered that it cannot serve now (5xx, 429): worth waiting for. */
    static final class RegistryUnavailableException extends IllegalStateException {
        RegistryUnavailableException(String message, Throwable cause) {
            super(message, cause);
        }
    }

    private static JsonNode json(HttpResponse<String> r, String what) {
        if (r.statusCode() >= 500 || r.statusCode() == 429) {
            throw new RegistryUnavailableException("registry could not " + what + ": HTTP " + r.statusCode(), null);
        }
        if (r.statusCode() / 100 != 2) {
            throw new IllegalStateException("registry refused to " + what + ": HTTP " + r.statusCode() + " " + r.body());
        }
        try {
            return JSON.readTree(r.body());
        } catch (IOException e) {
            throw new IllegalStateException("registry answered " + what + " with non-JSON: " + r.body(), e);
        }
    }

    private static HttpResponse<String> send(HttpRequest request) {
        IOException last = null;
        // A registry that starts alongside the service may not listen yet; retry connection failures briefly.
        for (int attempt = 1; attempt <= ATTEMPTS; attempt++) {
            try {
                return HTTP.send(request, HttpResponse.BodyHandlers.ofString());
            } catch (IOException e) {
                last = e;
                sleep(attempt * 500L);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted talking to the registry", e);
            }
        }
        throw new RegistryUnavailableException("registry at " + request.uri() + " unreachable: " + last, last);
    }

    private static HttpRequest.Builder request(URI uri, String authorization) {
        HttpRequest.Builder b = HttpRequest.newBuilder(uri).timeout(TIMEOUT).header("Content-Type", CONTENT_TYPE);
        return authorization == null ? b : b.header("Authorization", authorization);
    }

    private static URI uri(String base, String path) {
        return URI.create(base.replaceAll("/+$", "") + path);
    }

    private static String encode(String subject) {
        return URLEncoder.encode(subject, StandardCharsets.UTF_8);
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }
}
