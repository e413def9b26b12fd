package io.warmstream.schemas;

import io.warmstream.embedded.AuthenticatingHttpProxy;
import io.warmstream.embedded.EmbeddedInfraExtension;
import io.warmstream.embedded.EmbeddedRegistry;
import io.warmstream.events.PreferenceLabel;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.net.URI;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Registry credentials set in the serde settings reach the registry. Apicurio 2.6 enforces authentication only
 * through an external OpenID Connect server, so a real HTTP proxy that demands credentials (401 otherwise) stands
 * in front of the real registry: serdes configured through {@link EventSerdes} register and read schemas through
 * it, serdes without (or with wrong) credentials are turned away.
 */
@ExtendWith(EmbeddedInfraExtension.class)
class RegistryCredentialsProxyTest {

    @Test
    void basicCredentialsRegisterAndReadSchemasThroughTheProxyAndMissingOnesAreRefused(EmbeddedRegistry registry) {
        try (AuthenticatingHttpProxy proxy = AuthenticatingHttpProxy.basic(origin(registry), "warm-serde", "s3cret:x")) {
            String url = proxy.url() + "/apis/ccompat/v7";
            String topic = "auth-basic-" + UUID.randomUUID();
            PreferenceLabel label = label("basic");

            EventSerdes writer = new EventSerdes(Map.of("warm.registry.url", url, "warm.registry.basic-auth-user-info", "warm-serde:s3cret:x"));
            Serializer<PreferenceLabel> serializer = writer.valueSerializer(PreferenceLabel.class);
            byte[] bytes = serializer.serialize(topic, label);
            assertEquals(0, bytes[0], "Confluent framing");
            // A fresh deserializer has no cached schema: it must fetch it through the proxy.
            EventSerdes reader = new EventSerdes(Map.of("registry.url", url, "registry.basic-auth-user-info", "warm-serde:s3cret:x"));
            Deserializer<PreferenceLabel> deserializer = reader.valueDeserializer(PreferenceLabel.class);
            assertEquals(label, deserializer.deserialize(topic, bytes));
            int forwarded = proxy.forwarded();
            assertTrue(forwarded >= 2, "registered and read through the proxy: " + forwarded);
            assertEquals(0, proxy.refused());

            // No credentials: registering a schema for a new topic, or reading the one above, fails.
            EventSerdes anonymous = EventSerdes.forRegistry(url);
            assertThrows(RuntimeException.class,
                    () -> anonymous.valueSerializer(PreferenceLabel.class).serialize("auth-basic-" + UUID.randomUUID(), label));
            assertThrows(RuntimeException.class, () -> anonymous.valueDeserializer(PreferenceLabel.class).deserialize(topic, bytes));
            EventSerdes wrong = new EventSerdes(Map.of("registry.url", url, "registry.basic-auth-user-info", "warm-serde:guess"));
            assertThrows(RuntimeException.class, () -> wrong.valueDeserializer(PreferenceLabel.class).deserialize(topic, bytes));
            assertTrue(proxy.refused() >= 3, "the proxy answered 401: " + proxy.refused());
            assertEquals(forwarded, proxy.forwarded(), "nothing without the right credentials got through");

            // Provisioning's own REST calls take the same credentials.
            List<TopicSpec> specs = List.of(new TopicSpec("auth-provision-" + UUID.randomUUID(), 1, Map.of(), PreferenceLabel.class));
            Map<String, Integer> ids = SchemaRegistration.registerAll(url, specs, writer.registryAuthorization());
            assertEquals(1, ids.size());
            IllegalStateException refused = assertThrows(IllegalStateException.class, () -> SchemaRegistration.registerAll(url, specs));
            assertTrue(refused.getMessage().contains("HTTP 401"), refused.getMessage());
        }
    }

    @Test
    void aBearerTokenIsSentOnEveryRegistryCall(EmbeddedRegistry registry) {
        String token = "tok-" + UUID.randomUUID();
        try (AuthenticatingHttpProxy proxy = AuthenticatingHttpProxy.bearer(origin(registry), token)) {
            String url = proxy.url() + "/apis/ccompat/v7";
            String topic = "auth-bearer-" + UUID.randomUUID();
            PreferenceLabel label = label("bearer");
            EventSerdes serdes = new EventSerdes(Map.of("registry.url", url, "registry.bearer-token", token));
            byte[] bytes = serdes.valueSerializer(PreferenceLabel.class).serialize(topic, label);
            EventSerdes reader = new EventSerdes(Map.of("registry.url", url, "registry.bearer-token", token));
            assertEquals(label, reader.valueDeserializer(PreferenceLabel.class).deserialize(topic, bytes));
            assertEquals(0, proxy.refused());
            EventSerdes other = new EventSerdes(Map.of("registry.url", url, "registry.bearer-token", "someone-elses"));
            assertThrows(RuntimeException.class, () -> other.valueDeserializer(PreferenceLabel.class).deserialize(topic, bytes));
            assertTrue(proxy.refused() >= 1);
        }
    }

    private static String origin(EmbeddedRegistry registry) {
        URI u = URI.create(registry.ccompatUrl());
        return u.getScheme() + "://" + u.getAuthority();
    }

    private static PreferenceLabel label(String id) {
        return PreferenceLabel.newBuilder().setId(id).setPrompt("p").setChosen("c").setRejected("r")
                .setLabeller("l").setSource("s").setConfidence(0.5).setCreatedAt(Instant.ofEpochMilli(1_700_000_000_000L))
                .setMetadata(Map.of()).build();
    }
}
