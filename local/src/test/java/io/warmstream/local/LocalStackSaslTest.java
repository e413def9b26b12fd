package io.warmstream.local;

import io.warmstream.local.session.StackSession;
import io.warmstream.events.WarmModelPublished;
import io.warmstream.local.stack.LocalKafkaLogins;
import io.warmstream.local.stack.RunningService;
import io.warmstream.local.stack.StackSettings;
import io.warmstream.platform.KafkaSettings;
import io.warmstream.schemas.ServiceAcls.Service;
import io.warmstream.schemas.Topics;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.acl.AclBindingFilter;
import org.apache.kafka.common.errors.TopicAuthorizationException;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The local stack with {@code warm.local.kafka-security=sasl}: the broker takes SCRAM logins only and enforces the
 * services' ACLs, each service logs in as its own user, and labels still become a published WARM version.
 */
class LocalStackSaslTest {

    private static final Duration WAIT = Duration.ofMinutes(4);

    @Test
    void everyServiceLogsInAsItsOwnUserAndLabelsStillBecomeAWarmVersion() throws Exception {
        Path dir = Files.createTempDirectory("warm-stack-sasl");
        StackSettings settings = StackSettings.forTests(dir).withOverrides(Map.of(StackSettings.KAFKA_SECURITY, "sasl"));
        ByteArrayOutputStream account = new ByteArrayOutputStream();
        PrintStream out = new PrintStream(account, true, StandardCharsets.UTF_8);
        try (StackSession session = StackSession.start(settings,
                new StackSession.FeedOptions(4242, 0.0, 0.0, 25, Long.MAX_VALUE, Duration.ZERO), out, Clock.systemUTC(), Duration.ofSeconds(2))) {
            Path logins = dir.resolve("security").resolve(LocalKafkaLogins.FILE);
            assertTrue(Files.isRegularFile(logins));
            assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(logins)));

            for (String name : List.of("ingest", "trainer", "merger", "scorer")) {
                RunningService service = session.stack().service(name).orElseThrow();
                String jaas = service.context().getProperty("warm.kafka.client.sasl.jaas.config", String.class).orElseThrow();
                assertTrue(jaas.contains("username=\"" + name + "\""), name + " logs in as itself");
                assertEquals("SCRAM-SHA-512", service.context().getProperty("warm.kafka.client.sasl.mechanism", String.class).orElseThrow());
            }

            // Ingest (its own login), the planner and a worker (trainer), the merger: a version is published.
            KafkaSettings admin = session.stack().kafkaSettings();
            List<WarmModelPublished> versions = TopicReader.awaitValue(admin, Topics.MODELS,
                    admin.serdes().valueDeserializer(WarmModelPublished.class), v -> v.getVersion() >= 1, WAIT);
            assertTrue(versions.stream().anyMatch(v -> v.getVersion() >= 1), versions.toString());

            // The ACLs are on the broker: four principals, and the trainer's login cannot publish a model.
            try (Admin a = admin.admin("sasl-test")) {
                long principals = a.describeAcls(AclBindingFilter.ANY).values().get(30, TimeUnit.SECONDS).stream()
                        .map(b -> b.entry().principal()).distinct().count();
                assertEquals(4, principals);
            }
            Map<String, Object> trainer = new HashMap<>();
            trainer.put(KafkaSettings.BOOTSTRAP_SERVERS, session.stack().bootstrapServers());
            trainer.put("registry.url", session.stack().registryUrl());
            session.stack().kafkaLogins().orElseThrow().clientConfig(Service.TRAINER)
                    .forEach((k, v) -> trainer.put(KafkaSettings.CLIENT_PREFIX + k, v));
            KafkaSettings asTrainer = KafkaSettings.from(trainer);
            try (KafkaProducer<String, byte[]> p = new KafkaProducer<>(asTrainer.producerConfig("warm-trainer-forger",
                    Map.of(ProducerConfig.MAX_BLOCK_MS_CONFIG, 10_000)))) {
                ExecutionException e = assertThrows(ExecutionException.class,
                        () -> p.send(new ProducerRecord<>(Topics.MODELS, "default", new byte[] {0})).get(30, TimeUnit.SECONDS));
                assertInstanceOf(TopicAuthorizationException.class, e.getCause());
            }
        }
        String text = account.toString(StandardCharsets.UTF_8);
        assertTrue(text.contains("SASL/SCRAM and ACLs"), text);
    }
}
