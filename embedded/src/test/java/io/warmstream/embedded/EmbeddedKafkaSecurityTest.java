package io.warmstream.embedded;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.SaslAuthenticationException;
import org.apache.kafka.common.errors.TopicAuthorizationException;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The broker's TLS and SASL modes with plain Kafka clients; the ACLs warmstream sets are tested in schemas. */
class EmbeddedKafkaSecurityTest {

    @Test
    void tlsRoundTripWithTheGeneratedTruststoreAndRefusalWithoutIt(@TempDir Path dir) throws Exception {
        TlsMaterial tls = TlsMaterial.generate(dir.resolve("tls"));
        assertTrue(Files.size(tls.keystore()) > 1000 && Files.size(tls.truststore()) > 500, "stores written");
        try (EmbeddedKafka kafka = EmbeddedKafka.start(null, 0, Map.of(), BrokerSecurity.tls(tls))) {
            Map<String, Object> client = new HashMap<>(tls.clientConfig());
            client.put("bootstrap.servers", kafka.bootstrapServers());
            try (Admin admin = Admin.create(client)) {
                admin.createTopics(List.of(new NewTopic("tls-topic", 1, (short) 1))).all().get(30, TimeUnit.SECONDS);
            }
            try (KafkaProducer<String, String> producer = new KafkaProducer<>(producerConfig(client),
                    new StringSerializer(), new StringSerializer())) {
                producer.send(new ProducerRecord<>("tls-topic", "k", "over TLS")).get(30, TimeUnit.SECONDS);
            }
            assertEquals(List.of("k=over TLS"), readAll(client, "tls-topic", 1));

            // The same broker, without the truststore: the handshake fails, nothing gets through.
            Map<String, Object> untrusting = new HashMap<>(client);
            untrusting.remove("ssl.truststore.location");
            untrusting.remove("ssl.truststore.password");
            untrusting.remove("ssl.truststore.type");
            untrusting.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, 5_000);
            try (KafkaProducer<String, String> producer = new KafkaProducer<>(producerConfig(untrusting),
                    new StringSerializer(), new StringSerializer())) {
                ExecutionException e = assertThrows(ExecutionException.class,
                        () -> producer.send(new ProducerRecord<>("tls-topic", "k", "untrusted")).get(30, TimeUnit.SECONDS));
                assertInstanceOf(org.apache.kafka.common.errors.SslAuthenticationException.class, e.getCause(), e.toString());
            }
            // And a plaintext client cannot talk to the TLS listener at all.
            Map<String, Object> plain = Map.of("bootstrap.servers", kafka.bootstrapServers(),
                    AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 3_000, AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 2_000);
            try (Admin admin = Admin.create(plain)) {
                assertThrows(Exception.class, () -> admin.listTopics().names().get(10, TimeUnit.SECONDS));
            }
            assertEquals(List.of("k=over TLS"), readAll(client, "tls-topic", 1), "the refused records never arrived");
        }
    }

    @Test
    void saslUsersLogInWrongPasswordsAndAclLessUsersAreRefused(@TempDir Path dir) throws Exception {
        BrokerSecurity security = BrokerSecurity.sasl("admin-secret", Map.of("alice", "alice-secret"));
        try (EmbeddedKafka kafka = EmbeddedKafka.start(dir, 0, Map.of(), security)) {
            try (Admin admin = Admin.create(kafka.superUserAdminConfig())) {
                admin.createTopics(List.of(new NewTopic("sasl-topic", 1, (short) 1))).all().get(30, TimeUnit.SECONDS);
            }
            // The super user over SCRAM on the client listener, as a tool outside the JVM would connect.
            Map<String, Object> superUser = new HashMap<>(security.superUserClientConfig());
            superUser.put("bootstrap.servers", kafka.bootstrapServers());
            try (KafkaProducer<String, String> producer = new KafkaProducer<>(producerConfig(superUser),
                    new StringSerializer(), new StringSerializer())) {
                producer.send(new ProducerRecord<>("sasl-topic", "k", "by admin")).get(30, TimeUnit.SECONDS);
            }

            // alice logs in but holds no ACL: the broker refuses her write.
            Map<String, Object> alice = new HashMap<>(BrokerSecurity.scramClientConfig("alice", "alice-secret"));
            alice.put("bootstrap.servers", kafka.bootstrapServers());
            alice.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, 10_000);
            try (KafkaProducer<String, String> producer = new KafkaProducer<>(producerConfig(alice),
                    new StringSerializer(), new StringSerializer())) {
                ExecutionException e = assertThrows(ExecutionException.class,
                        () -> producer.send(new ProducerRecord<>("sasl-topic", "k", "by alice")).get(30, TimeUnit.SECONDS));
                assertInstanceOf(TopicAuthorizationException.class, e.getCause(), e.toString());
            }

            // A wrong password does not even log in.
            Map<String, Object> wrong = new HashMap<>(BrokerSecurity.scramClientConfig("alice", "not-her-password"));
            wrong.put("bootstrap.servers", kafka.bootstrapServers());
            wrong.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, 10_000);
            try (KafkaProducer<String, String> producer = new KafkaProducer<>(producerConfig(wrong),
                    new StringSerializer(), new StringSerializer())) {
                ExecutionException e = assertThrows(ExecutionException.class,
                        () -> producer.send(new ProducerRecord<>("sasl-topic", "k", "forged")).get(30, TimeUnit.SECONDS));
                assertInstanceOf(SaslAuthenticationException.class, e.getCause(), e.toString());
            }
            assertEquals(List.of("k=by admin"), readAll(superUser, "sasl-topic", 1));
        }
        // Credentials live in the metadata log: a restart on the same directory keeps them.
        try (EmbeddedKafka kafka = EmbeddedKafka.start(dir, 0, Map.of(), BrokerSecurity.sasl("admin-secret", Map.of()))) {
            Map<String, Object> alice = new HashMap<>(BrokerSecurity.scramClientConfig("alice", "alice-secret"));
            alice.put("bootstrap.servers", kafka.bootstrapServers());
            try (Admin admin = Admin.create(alice)) {
                assertEquals(1, admin.describeCluster().nodes().get(30, TimeUnit.SECONDS).size(), "alice still logs in");
            }
        }
    }

    private static Map<String, Object> producerConfig(Map<String, Object> client) {
        Map<String, Object> c = new HashMap<>(client);
        c.put(ProducerConfig.ACKS_CONFIG, "all");
        c.putIfAbsent(ProducerConfig.MAX_BLOCK_MS_CONFIG, 30_000);
        return c;
    }

    private static List<String> readAll(Map<String, Object> client, String topic, int expected) {
        Map<String, Object> c = new HashMap<>(client);
        c.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        c.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        List<String> values = new ArrayList<>();
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(c, new StringDeserializer(), new StringDeserializer())) {
            TopicPartition tp = new TopicPartition(topic, 0);
            consumer.assign(List.of(tp));
            consumer.seekToBeginning(List.of(tp));
            long deadline = System.nanoTime() + 20_000_000_000L;
            while (System.nanoTime() < deadline && (values.size() < expected || consumer.position(tp) < consumer.endOffsets(List.of(tp)).get(tp))) {
                for (ConsumerRecord<String, String> r : consumer.poll(Duration.ofMillis(200))) {
                    values.add(r.key() + "=" + r.value());
                }
            }
        }
        return values;
    }
}
