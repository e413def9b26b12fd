package io.warmstream.trainer;

import io.micronaut.runtime.server.EmbeddedServer;
import io.warmstream.embedded.EmbeddedKafka;
import io.warmstream.embedded.EmbeddedRegistry;
import io.warmstream.events.OffsetRange;
import io.warmstream.events.PreferenceLabel;
import io.warmstream.events.TrainingJob;
import io.warmstream.schemas.Holdout;
import io.warmstream.platform.KafkaSettings;
import io.warmstream.schemas.TopicSpec;
import io.warmstream.schemas.Topics;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serializer;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.function.Predicate;

/**
 * One test class's corner of the shared embedded broker: its own topic names (a suffix), store directory and
 * groups, the trainer properties that go with them, and clients to produce labels and jobs and read results.
 */
public final class TrainerTestKit implements AutoCloseable {

    public final String run = UUID.randomUUID().toString().substring(0, 8);
    public final String labels;
    public final String jobs;
    public final String jobsDlq;
    public final String runs;
    public final String checkpoints;
    public final Path store;
    public final KafkaSettings kafka;
    private final EmbeddedKafka broker;
    private final EmbeddedRegistry registry;
    private final KafkaProducer<String, byte[]> producer;
    private final List<EmbeddedServer> trainers = new ArrayList<>();

    public TrainerTestKit(String name, EmbeddedKafka broker, EmbeddedRegistry registry) {
        this.broker = broker;
        this.registry = registry;
        String suffix = "." + name + "-" + run;
        labels = Topics.PREFERENCES + suffix;
        jobs = Topics.TRAINING_JOBS + suffix;
        jobsDlq = Topics.TRAINING_JOBS_DLQ + suffix;
        runs = Topics.TRAINING_RUNS + suffix;
        checkpoints = Topics.CHECKPOINTS + suffix;
        try {
            store = Files.createTempDirectory("trainer-store-" + name);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        kafka = KafkaSettings.of(broker.bootstrapServers(), registry.ccompatUrl());
        try (Admin admin = kafka.admin("kit-" + run)) {
            kafka.provision(admin, List.of(spec(Topics.PREFERENCES, labels), spec(Topics.TRAINING_JOBS, jobs),
                    spec(Topics.TRAINING_JOBS_DLQ, jobsDlq), spec(Topics.TRAINING_RUNS, runs),
                    spec(Topics.CHECKPOINTS, checkpoints)));
        }
        producer = new KafkaProducer<>(kafka.producerConfig("kit-" + run, Map.of()));
    }

    private static TopicSpec spec(String catalogueName, String name) {
        TopicSpec s = Topics.spec(catalogueName);
        return new TopicSpec(name, s.partitions(), s.configs(), s.valueType());
    }

    /** Properties for a trainer on this kit's topics and store, tiny-model friendly; {@code extra} wins. */
    public Map<String, Object> properties(Map<String, Object> extra) {
        Map<String, Object> p = new HashMap<>();
        p.put("warm.kafka.bootstrap-servers", broker.bootstrapServers());
        p.put("warm.registry.url", registry.ccompatUrl());
        p.put("warm.store.location", store.toString());
        p.put("warm.trainer.close-timeout", "10s");
        p.put("warm.trainer.topics.preferences", labels);
        p.put("warm.trainer.topics.training-jobs", jobs);
        p.put("warm.trainer.topics.training-jobs-dlq", jobsDlq);
        p.put("warm.trainer.topics.training-runs", runs);
        p.put("warm.trainer.topics.checkpoints", checkpoints);
        p.put("warm.trainer.planner.application-id", "planner-" + run);
        p.put("warm.trainer.planner.state-dir", tempDir("planner-state").toString());
        p.put("warm.trainer.planner.streams.commit.interval.ms", 100);
        p.put("warm.trainer.worker.group-id", "workers-" + run);
        p.put("warm.trainer.worker.work-dir", tempDir("work").toString());
        p.put("warm.trainer.worker.progress-every", 2);
        p.put("warm.trainer.worker.data-timeout", "20s");
        p.put("micronaut.security.enabled", false);
        p.put(Holdout.SHARED_SALT, "trainer-test-salt");
        p.putAll(extra);
        return p;
    }

    public static EmbeddedServer start(Map<String, Object> properties) {
        return TrainerApplication.start(properties);
    }

    /** Starts a trainer on this kit's topics and store ({@link #properties} with {@code extra}); closed with the kit. */
    public EmbeddedServer startTrainer(Map<String, Object> extra) {
        EmbeddedServer server = start(properties(extra));
        trainers.add(server);
        return server;
    }

    /** A worker-only trainer (no planner; the kit provisioned the topics) with id {@code workerId}; {@code extra} wins. */
    public EmbeddedServer startWorker(String workerId, Map<String, Object> extra) {
        Map<String, Object> p = new HashMap<>();
        p.put("warm.trainer.planner.enabled", false);
        p.put("warm.trainer.worker.id", workerId);
        p.put("warm.trainer.provision-topics", false);
        p.putAll(extra);
        return startTrainer(p);
    }

    private static Path tempDir(String prefix) {
        try {
            return Files.createTempDirectory(prefix);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Produces labels keyed by id (spread over the partitions), waits for every ack; returns the range per partition. */
    public List<OffsetRange> produceLabels(List<PreferenceLabel> batch) {
        Serializer<PreferenceLabel> values = kafka.serdes().valueSerializer(PreferenceLabel.class);
        TreeMap<Integer, long[]> spans = new TreeMap<>();
        try {
            List<java.util.concurrent.Future<RecordMetadata>> sent = new ArrayList<>();
            for (PreferenceLabel l : batch) {
                sent.add(producer.send(new ProducerRecord<>(labels, l.getId(), values.serialize(labels, l))));
            }
            for (var f : sent) {
                RecordMetadata m = f.get();
                spans.merge(m.partition(), new long[] {m.offset(), m.offset() + 1},
                        (a, b) -> new long[] {Math.min(a[0], b[0]), Math.max(a[1], b[1])});
            }
        } catch (Exception e) {
            throw new IllegalStateException("cannot produce labels", e);
        }
        List<OffsetRange> out = new ArrayList<>();
        spans.forEach((p, se) -> out.add(new OffsetRange(labels, p, se[0], se[1])));
        return out;
    }

    /** Labels written in one transaction, so a commit marker follows them in every partition they touch. */
    public void produceLabelsTransactionally(List<PreferenceLabel> batch) {
        Serializer<PreferenceLabel> values = kafka.serdes().valueSerializer(PreferenceLabel.class);
        try (KafkaProducer<String, byte[]> tx = new KafkaProducer<>(kafka.producerConfig("kit-tx-" + run,
                Map.of(ProducerConfig.TRANSACTIONAL_ID_CONFIG, "kit-tx-" + run)))) {
            tx.initTransactions();
            tx.beginTransaction();
            for (PreferenceLabel l : batch) {
                tx.send(new ProducerRecord<>(labels, l.getId(), values.serialize(labels, l)));
            }
            tx.commitTransaction();
        }
    }

    public void produceJob(TrainingJob job) {
        Serializer<TrainingJob> values = kafka.serdes().valueSerializer(TrainingJob.class);
        send(jobs, null, job.getJobId(), values.serialize(jobs, job));
    }

    /** On one partition, so the worker meets the jobs in this order. */
    public void produceJob(TrainingJob job, int partition) {
        Serializer<TrainingJob> values = kafka.serdes().valueSerializer(TrainingJob.class);
        send(jobs, partition, job.getJobId(), values.serialize(jobs, job));
    }

    public void send(String topic, Integer partition, String key, byte[] value) {
        try {
            producer.send(new ProducerRecord<>(topic, partition, key, value)).get();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** Committed records of {@code topic} from the start until {@code done} holds; fails after {@code timeout}. */
    public <V> List<ConsumerRecord<String, V>> readUntil(String topic, Deserializer<V> values,
                                                        Predicate<List<ConsumerRecord<String, V>>> done, Duration timeout) {
        List<ConsumerRecord<String, V>> seen = new ArrayList<>();
        try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(kafka.consumerConfig(null, "kit-reader-" + run,
                Map.of(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed")))) {
            List<TopicPartition> parts = new ArrayList<>();
            for (PartitionInfo p : consumer.partitionsFor(topic)) {
                parts.add(new TopicPartition(topic, p.partition()));
            }
            consumer.assign(parts);
            consumer.seekToBeginning(parts);
            long deadline = System.nanoTime() + timeout.toNanos();
            while (!done.test(seen)) {
                if (System.nanoTime() > deadline) {
                    throw new AssertionError("condition not met on " + topic + " within " + timeout + "; read "
                            + seen.size() + " records");
                }
                for (ConsumerRecord<String, byte[]> r : consumer.poll(Duration.ofMillis(200))) {
                    V v = r.value() == null ? null : values.deserialize(r.topic(), r.headers(), r.value());
                    seen.add(new ConsumerRecord<>(r.topic(), r.partition(), r.offset(), r.timestamp(), r.timestampType(),
                            r.serializedKeySize(), r.serializedValueSize(), r.key(), v, r.headers(), r.leaderEpoch()));
                }
            }
        }
        return seen;
    }

    /** Everything committed on {@code topic} right now (up to its end offsets when called). */
    public <V> List<ConsumerRecord<String, V>> readAll(String topic, Deserializer<V> values) {
        List<ConsumerRecord<String, V>> seen = new ArrayList<>();
        try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(kafka.consumerConfig(null, "kit-all-" + run,
                Map.of(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed")))) {
            List<TopicPartition> parts = consumer.partitionsFor(topic).stream()
                    .map(p -> new TopicPartition(topic, p.partition())).toList();
            consumer.assign(parts);
            consumer.seekToBeginning(parts);
            Map<TopicPartition, Long> ends = consumer.endOffsets(parts);
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (parts.stream().anyMatch(tp -> consumer.position(tp) < ends.get(tp))) {
                if (System.nanoTime() > deadline) {
                    throw new AssertionError("could not read " + topic + " to its end offsets " + ends);
                }
                for (ConsumerRecord<String, byte[]> r : consumer.poll(Duration.ofMillis(200))) {
                    V v = r.value() == null ? null : values.deserialize(r.topic(), r.headers(), r.value());
                    seen.add(new ConsumerRecord<>(r.topic(), r.partition(), r.offset(), r.timestamp(), r.timestampType(),
                            r.serializedKeySize(), r.serializedValueSize(), r.key(), v, r.headers(), r.leaderEpoch()));
                }
            }
        }
        return seen;
    }

    @Override
    public void close() {
        for (EmbeddedServer server : trainers) {
            server.getApplicationContext().close();
        }
        producer.close(Duration.ofSeconds(5));
    }
}
