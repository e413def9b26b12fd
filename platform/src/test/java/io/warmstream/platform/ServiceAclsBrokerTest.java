package io.warmstream.platform;

import io.warmstream.embedded.BrokerSecurity;
import io.warmstream.embedded.EmbeddedInfraExtension;
import io.warmstream.embedded.EmbeddedKafka;
import io.warmstream.events.RewardModelCheckpoint;
import io.warmstream.events.WarmModelPublished;
import io.warmstream.schemas.ServiceAcls;
import io.warmstream.schemas.ServiceAcls.Service;
import io.warmstream.schemas.Topics;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.SaslAuthenticationException;
import org.apache.kafka.common.errors.TopicAuthorizationException;
import org.apache.kafka.common.errors.TransactionalIdAuthorizationException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The ACLs of {@link ServiceAcls} on a real broker with SASL/SCRAM-SHA-512 and KRaft's StandardAuthorizer, every
 * client built through {@link KafkaSettings} with {@code warm.kafka.client.*} carrying the login, as a deployed
 * service's would be: only the merger publishes models, only trainers checkpoints.
 */
@ExtendWith(EmbeddedInfraExtension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ServiceAclsBrokerTest {

    private final Map<String, String> passwords = new LinkedHashMap<>();
    private EmbeddedKafka kafka;
    private String registryUrl;

    @BeforeAll
    void startSecuredBroker() {
        for (Service s : Service.values()) {
            passwords.put(s.defaultUser(), UUID.randomUUID().toString());
        }
        kafka = EmbeddedKafka.start(null, 0, Map.of(), BrokerSecurity.sasl("admin-" + UUID.randomUUID(), passwords));
        registryUrl = EmbeddedInfraExtension.registry().ccompatUrl();
        KafkaSettings admin = settings(kafka.security().superUserClientConfig());
        try (Admin a = admin.admin("acl-test-admin")) {
            admin.provision(a, Topics.all());
            for (Service s : Service.values()) {
                ServiceAcls.apply(a, s, s.defaultUser());
            }
        }
    }

    @AfterAll
    void stopBroker() {
        if (kafka != null) {
            kafka.close();
        }
    }

    @Test
    void onlyTheMergerPublishesModelsAndReadCommittedConsumersSeeNoForgery() throws Exception {
        WarmModelPublished real = model(7, "file:/store/averages/default/v7");
        KafkaSettings merger = service(Service.MERGER);
        Map<String, Object> txn = Map.of(ProducerConfig.TRANSACTIONAL_ID_CONFIG, "warm-merger-default-acl-test");
        try (KafkaProducer<String, WarmModelPublished> p = new KafkaProducer<>(merger.producerConfig("warm-merger-acl", txn),
                new StringSerializer(), merger.serdes().valueSerializer(WarmModelPublished.class))) {
            p.initTransactions();
            p.beginTransaction();
            p.send(new ProducerRecord<>(Topics.MODELS, "default", real)).get(30, TimeUnit.SECONDS);
            p.commitTransaction();
        }

        WarmModelPublished forged = model(999, "file:/attacker/model");
        // A trainer's plain producer: the broker refuses the topic outright.
        KafkaSettings trainer = service(Service.TRAINER);
        try (KafkaProducer<String, WarmModelPublished> p = new KafkaProducer<>(trainer.producerConfig("warm-trainer-forger",
                Map.of(ProducerConfig.MAX_BLOCK_MS_CONFIG, 10_000)),
                new StringSerializer(), trainer.serdes().valueSerializer(WarmModelPublished.class))) {
            ExecutionException e = assertThrows(ExecutionException.class,
                    () -> p.send(new ProducerRecord<>(Topics.MODELS, "default", forged)).get(30, TimeUnit.SECONDS));
            assertInstanceOf(TopicAuthorizationException.class, e.getCause(), e.toString());
        }
        // Ingest inside a transaction of its own (its transactional id is allowed, the topic is not).
        KafkaSettings ingest = service(Service.INGEST);
        try (KafkaProducer<String, WarmModelPublished> p = new KafkaProducer<>(ingest.producerConfig("warm-ingest-forger",
                Map.of(ProducerConfig.TRANSACTIONAL_ID_CONFIG, "warm-ingest-forger", ProducerConfig.MAX_BLOCK_MS_CONFIG, 10_000)),
                new StringSerializer(), ingest.serdes().valueSerializer(WarmModelPublished.class))) {
            p.initTransactions();
            p.beginTransaction();
            Exception e = assertThrows(Exception.class, () -> {
                p.send(new ProducerRecord<>(Topics.MODELS, "default", forged)).get(30, TimeUnit.SECONDS);
                p.commitTransaction();
            });
            assertTrue(causes(e, TopicAuthorizationException.class), e.toString());
        }
        // The scorer may read warm.models but not write it either.
        assertWriteRefused(Service.SCORER, Topics.MODELS);

        List<WarmModelPublished> seen = readCommitted(service(Service.SCORER), Topics.MODELS);
        assertEquals(List.of(7L), seen.stream().map(WarmModelPublished::getVersion).toList(), seen.toString());
        assertEquals("file:/store/averages/default/v7", seen.get(0).getUri().toString());
    }

    @Test
    void onlyTrainersWriteCheckpointsAndOnlyTheMergerRejectsThem() throws Exception {
        KafkaSettings trainer = service(Service.TRAINER);
        try (KafkaProducer<String, byte[]> p = new KafkaProducer<>(trainer.producerConfig("warm-trainer-acl", Map.of()))) {
            p.send(new ProducerRecord<>(Topics.CHECKPOINTS, "default", new byte[] {0})).get(30, TimeUnit.SECONDS);
        }
        assertWriteRefused(Service.MERGER, Topics.CHECKPOINTS);
        assertWriteRefused(Service.INGEST, Topics.CHECKPOINTS);
        assertWriteRefused(Service.SCORER, Topics.CHECKPOINTS);
        assertWriteRefused(Service.TRAINER, Topics.CHECKPOINTS_REJECTED);
        assertWriteRefused(Service.TRAINER, Topics.PREFERENCES_RAW);
        assertWriteRefused(Service.SCORER, Topics.PREFERENCES);
        // A transactional id outside the service's prefix is refused too, so nobody can fence the merger.
        KafkaSettings ingest = service(Service.INGEST);
        try (KafkaProducer<String, byte[]> p = new KafkaProducer<>(ingest.producerConfig("fencer",
                Map.of(ProducerConfig.TRANSACTIONAL_ID_CONFIG, "warm-merger-default", ProducerConfig.MAX_BLOCK_MS_CONFIG, 10_000)))) {
            KafkaException e = assertThrows(KafkaException.class, p::initTransactions);
            assertTrue(causes(e, TransactionalIdAuthorizationException.class), e.toString());
        }
    }

    @Test
    void aWrongPasswordIsRefused() {
        Map<String, Object> login = BrokerSecurity.scramClientConfig("merger", "guessed");
        KafkaSettings wrong = settings(login);
        Map<String, Object> c = wrong.producerConfig("warm-merger-guess", Map.of(ProducerConfig.MAX_BLOCK_MS_CONFIG, 10_000));
        try (KafkaProducer<String, byte[]> p = new KafkaProducer<>(c)) {
            ExecutionException e = assertThrows(ExecutionException.class,
                    () -> p.send(new ProducerRecord<>(Topics.MODELS, "default", new byte[] {0})).get(30, TimeUnit.SECONDS));
            assertInstanceOf(SaslAuthenticationException.class, e.getCause(), e.toString());
        }
    }

    private void assertWriteRefused(Service who, String topic) {
        KafkaSettings s = service(who);
        try (KafkaProducer<String, byte[]> p = new KafkaProducer<>(s.producerConfig(who.idPrefix() + "probe",
                Map.of(ProducerConfig.MAX_BLOCK_MS_CONFIG, 10_000)))) {
            ExecutionException e = assertThrows(ExecutionException.class,
                    () -> p.send(new ProducerRecord<>(topic, "k", new byte[] {0})).get(30, TimeUnit.SECONDS),
                    who + " must not write " + topic);
            assertInstanceOf(TopicAuthorizationException.class, e.getCause(), who + " -> " + topic + ": " + e);
        }
    }

    private List<WarmModelPublished> readCommitted(KafkaSettings s, String topic) {
        Map<String, Object> c = s.consumerConfig(null, "warm-scorer-acl-reader",
                Map.of(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed"));
        List<WarmModelPublished> out = new ArrayList<>();
        try (KafkaConsumer<String, WarmModelPublished> consumer = new KafkaConsumer<>(c, new StringDeserializer(),
                s.serdes().valueDeserializer(WarmModelPublished.class))) {
            TopicPartition tp = new TopicPartition(topic, 0);
            consumer.assign(List.of(tp));
            consumer.seekToBeginning(List.of(tp));
            long end = consumer.endOffsets(List.of(tp)).get(tp);
            long deadline = System.nanoTime() + 20_000_000_000L;
            while (consumer.position(tp) < end && System.nanoTime() < deadline) {
                for (ConsumerRecord<String, WarmModelPublished> r : consumer.poll(Duration.ofMillis(200))) {
                    out.add(r.value());
                }
            }
        }
        return out;
    }

    private KafkaSettings service(Service s) {
        return settings(BrokerSecurity.scramClientConfig(s.defaultUser(), passwords.get(s.defaultUser())));
    }

    /** Settings as a service reads them: {@code warm.kafka.client.*} carries the login to every client. */
    private KafkaSettings settings(Map<String, Object> login) {
        Map<String, Object> p = new HashMap<>();
        p.put("warm.kafka.bootstrap-servers", kafka.bootstrapServers());
        p.put("warm.registry.url", registryUrl);
        login.forEach((k, v) -> p.put("warm.kafka.client." + k, v));
        return KafkaSettings.from(p);
    }

    private static boolean causes(Throwable e, Class<? extends Throwable> type) {
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (type.isInstance(t)) {
                return true;
            }
        }
        return false;
    }

    private static WarmModelPublished model(long version, String uri) {
        return WarmModelPublished.newBuilder().setAverage("default").setVersion(version).setUri(uri).setSha256("00")
                .setLineage("l").setStrategy("UNIFORM").setMembers(List.of()).setMemberCount(0).setValidationAccuracy(0.7)
                .setPublishedAt(Instant.parse("2026-12-03T00:00:00Z")).build();
    }
}
