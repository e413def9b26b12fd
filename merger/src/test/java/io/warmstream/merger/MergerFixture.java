package io.warmstream.merger;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.micronaut.runtime.server.EmbeddedServer;
import io.warmstream.embedded.EmbeddedInfraExtension;
import io.warmstream.embedded.EmbeddedKafka;
import io.warmstream.embedded.EmbeddedRegistry;
import io.warmstream.events.CheckpointRejected;
import io.warmstream.events.Hyperparameters;
import io.warmstream.events.Member;
import io.warmstream.events.PreferenceLabel;
import io.warmstream.events.RewardModelCheckpoint;
import io.warmstream.events.WarmModelPublished;
import io.warmstream.model.BaseModel;
import io.warmstream.model.Compute;
import io.warmstream.model.PreferencePair;
import io.warmstream.model.store.FileSystemCheckpointStore;
import io.warmstream.model.train.RewardModelTrainer;
import io.warmstream.model.train.TrainedModel;
import io.warmstream.model.train.TrainingConfig;
import io.warmstream.model.weights.ModelDirectory;
import io.warmstream.model.weights.ModelManifest;
import io.warmstream.schemas.Holdout;
import io.warmstream.platform.KafkaSettings;
import io.warmstream.schemas.Topics;
import io.warmstream.testkit.Await;
import io.warmstream.testkit.TinyModels;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Predicate;

/** Shared plumbing of the merger's integration tests: store, merger start-up, checkpoint events, reading results. */
final class MergerFixture implements AutoCloseable {

    static final Duration WAIT = Duration.ofSeconds(90);
    static final ObjectMapper JSON = new ObjectMapper();

    final EmbeddedKafka kafka;
    final EmbeddedRegistry registry;
    final KafkaSettings settings;
    final Path root;
    final FileSystemCheckpointStore store;
    final HttpClient http = HttpClient.newHttpClient();
    private final Producer<String, byte[]> producer;
    private final Serializer<RewardModelCheckpoint> checkpointSerializer;
    private final List<EmbeddedServer> servers = new ArrayList<>();

    MergerFixture(EmbeddedKafka kafka, EmbeddedRegistry registry) throws Exception {
        this.kafka = kafka;
        this.registry = registry;
        this.settings = KafkaSettings.of(kafka.bootstrapServers(), registry.ccompatUrl());
        try (org.apache.kafka.clients.admin.Admin admin = settings.admin("merger-test-admin")) {
            settings.provision(admin, Topics.all());
        }
        this.root = Files.createTempDirectory("merger-test");
        this.store = new FileSystemCheckpointStore(root.resolve("store"));
        this.producer = new KafkaProducer<>(settings.producerConfig("merger-test-producer", Map.of()));
        this.checkpointSerializer = settings.serdes().valueSerializer(RewardModelCheckpoint.class);
    }

    /**
     * A merger of {@code average} with the LMC guard and the quality gate off unless {@code extra} says otherwise:
     * the tests share one broker, so held-out labels other tests put on warm.preferences would otherwise reach them.
     */
    EmbeddedServer startMerger(String average, Map<String, Object> extra) {
        Map<String, Object> p = new HashMap<>();
        p.put("warm.kafka.bootstrap-servers", kafka.bootstrapServers());
        p.put("warm.registry.url", registry.ccompatUrl());
        p.put("warm.store.location", store.root().toString());
        p.put("warm.merger.average", average);
        // The mechanics tests check batch means; StrategiesTest and MergerSettingsTest cover the other strategies.
        p.put("warm.merger.strategy", "uniform");
        p.put("micronaut.security.enabled", false); // MergerSecurityTest turns it on
        p.put(Holdout.SHARED_SALT, "merger-fixture-salt");
        p.put("warm.merger.work-dir", root.resolve("work-" + UUID.randomUUID()).toString());
        p.put("warm.merger.guard.enabled", false);
        p.put("warm.merger.gate.enabled", false);
        p.put("warm.merger.poll-timeout", "100ms");
        p.put("warm.merger.retry-backoff", "300ms");
        p.put("warm.merger.transaction-timeout", "20s");
        p.put("warm.merger.retention.grace", "0s");
        p.put("warm.merger.consumer.session.timeout.ms", 6000);
        p.put("warm.merger.consumer.heartbeat.interval.ms", 500);
        p.putAll(extra);
        EmbeddedServer server = MergerApplication.start(p);
        servers.add(server);
        return server;
    }

    static void stop(EmbeddedServer server) {
        server.getApplicationContext().close();
    }

    /** Writes a model directory under {@code checkpoints/<average>/<job>} in the store; returns its URI. */
    String putModel(String average, String job, java.util.function.Consumer<Path> writer) {
        Path dir = store.root().resolve("checkpoints").resolve(average).resolve(job);
        writer.accept(dir);
        return dir.toUri().toString();
    }

    /** Publishes a checkpoint event for the model at {@code uri}, taking lineage and hash from its manifest. */
    void sendCheckpoint(String average, String job, String uri, double accuracy) throws Exception {
        ModelManifest m = ModelDirectory.readManifest(Path.of(URI.create(uri)));
        sendCheckpoint(average, job, uri, m.weightsSha256(), m.lineage().id(), accuracy);
    }

    void sendCheckpoint(String average, String job, String uri, String sha, String lineage, double accuracy)
            throws Exception {
        sendCheckpoint(average, job, uri, sha, lineage, accuracy, 10);
    }

    void sendCheckpoint(String average, String job, String uri, String sha, String lineage, double accuracy,
                        int validationCount) throws Exception {
        sendCheckpoint(average, job, uri, sha, lineage, accuracy, validationCount, 100, 0);
    }

    /** A checkpoint of a member of shared-head generation {@code generation}. */
    void sendCheckpoint(String average, String job, String uri, double accuracy, int generation) throws Exception {
        ModelManifest m = ModelDirectory.readManifest(Path.of(URI.create(uri)));
        sendCheckpoint(average, job, uri, m.weightsSha256(), m.lineage().id(), accuracy, 10, 100, generation);
    }

    void sendCheckpoint(String average, String job, String uri, String sha, String lineage, double accuracy,
                        int validationCount, int trainCount, int generation) throws Exception {
        RewardModelCheckpoint cp = RewardModelCheckpoint.newBuilder()
                .setJobId(job).setAverage(average).setUri(uri).setSha256(sha).setLineage(lineage)
                .setBaseModel("tiny:7").setSeed(1)
                .setHyperparameters(Hyperparameters.newBuilder().setLearningRate(1e-4).setDropout(0.1)
                        .setBatchSize(16).setMaxSequenceLength(32).setTrainableLayers(-1).build())
                .setValidationAccuracy(accuracy).setValidationLoss(0.5).setValidationCount(validationCount).setTrainCount(trainCount)
                .setRanges(List.of()).setDevice("cpu").setDurationMs(1).setWorker("test")
                .setCreatedAt(Instant.now()).setGeneration(generation).build();
        producer.send(new ProducerRecord<>(Topics.CHECKPOINTS, average,
                checkpointSerializer.serialize(Topics.CHECKPOINTS, cp))).get();
    }

    /** Raw bytes on the checkpoints topic (poison records). */
    void sendRaw(String key, byte[] value) throws Exception {
        producer.send(new ProducerRecord<>(Topics.CHECKPOINTS, key, value)).get();
    }

    /** Every committed version of {@code average}, oldest first. */
    List<WarmModelPublished> versions(String average) {
        return read(Topics.MODELS, WarmModelPublished.class, average, r -> true, Duration.ZERO);
    }

    List<WarmModelPublished> awaitVersions(String average, int count) {
        return read(Topics.MODELS, WarmModelPublished.class, average, l -> l.size() >= count, WAIT);
    }

    /** Committed versions of {@code average} under either key, served or withheld, oldest first. */
    List<WarmModelPublished> awaitAllVersions(String average, int count) {
        List<WarmModelPublished> out = new ArrayList<>();
        for (WarmModelPublished v : read(Topics.MODELS, WarmModelPublished.class, null,
                l -> l.stream().filter(x -> x.getAverage().equals(average)).count() >= count, WAIT)) {
            if (v.getAverage().equals(average)) {
                out.add(v);
            }
        }
        return out;
    }

    List<CheckpointRejected> awaitRejections(String average, int count) {
        List<CheckpointRejected> out = new ArrayList<>();
        for (CheckpointRejected r : read(Topics.CHECKPOINTS_REJECTED, CheckpointRejected.class, null,
                l -> l.stream().filter(x -> x.getAverage().equals(average)).count() >= count, WAIT)) {
            if (r.getAverage().equals(average)) {
                out.add(r);
            }
        }
        return out;
    }

    /** Reads a topic (read_committed) until {@code done} holds for the values with key {@code key} (null: all). */
    <T extends org.apache.avro.specific.SpecificRecord> List<T> read(String topic, Class<T> type, String key,
                                                                      Predicate<List<T>> done, Duration wait) {
        Deserializer<T> d = settings.serdes().valueDeserializer(type);
        List<T> out = new ArrayList<>();
        try (Consumer<String, byte[]> c = new KafkaConsumer<>(settings.consumerConfig(null, "merger-test-reader-" + UUID.randomUUID(),
                Map.of(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed")))) {
            List<TopicPartition> parts = c.partitionsFor(topic).stream()
                    .map(p -> new TopicPartition(topic, p.partition())).toList();
            c.assign(parts);
            c.seekToBeginning(parts);
            long deadline = System.nanoTime() + wait.toNanos();
            while (true) {
                Map<TopicPartition, Long> end = c.endOffsets(parts);
                boolean atEnd = false;
                while (!atEnd) {
                    for (ConsumerRecord<String, byte[]> r : c.poll(Duration.ofMillis(100))) {
                        if (r.value() != null && (key == null || key.equals(r.key()))) {
                            out.add(d.deserialize(r.topic(), r.headers(), r.value()));
                        }
                    }
                    atEnd = parts.stream().allMatch(p -> c.position(p) >= end.get(p));
                }
                if (done.test(out) || System.nanoTime() > deadline) {
                    if (!done.test(out)) {
                        throw new AssertionError("gave up waiting on " + topic + " (key " + key + ") after " + wait
                                + "; have " + out.size() + ": " + out);
                    }
                    return out;
                }
                sleep(200);
            }
        }
    }

    JsonNode get(EmbeddedServer server, String path) throws Exception {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(server.getURL() + path)).GET().build(),
                HttpResponse.BodyHandlers.ofString());
        return JSON.readTree(r.body());
    }

    String text(EmbeddedServer server, String path) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(server.getURL() + path)).GET().build(),
                HttpResponse.BodyHandlers.ofString()).body();
    }

    /** An admin POST: they take a JSON body ({@code {}} at least). */
    HttpResponse<String> post(EmbeddedServer server, String path) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(server.getURL() + path)).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{}")).build(), HttpResponse.BodyHandlers.ofString());
    }

    /** Waits until {@code GET /v1/merger/state} satisfies {@code test}. */
    JsonNode awaitState(EmbeddedServer server, Predicate<JsonNode> test) throws Exception {
        return Await.until("the merger state to match", WAIT, Duration.ofMillis(100), () -> get(server, "/v1/merger/state"), test);
    }

    /**
     * Labels on the validated topic (warm.preferences); returns the pairs trainers would train on, the ones
     * {@code holdout} does not hold out for the merger's checks.
     */
    List<PreferencePair> publishLabels(String clientId, List<PreferenceLabel> labels, Holdout holdout) {
        List<PreferencePair> train = new ArrayList<>();
        try (Producer<String, byte[]> labelProducer = new KafkaProducer<>(settings.producerConfig(clientId, Map.of()))) {
            Serializer<PreferenceLabel> ser = settings.serdes().valueSerializer(PreferenceLabel.class);
            for (PreferenceLabel l : labels) {
                labelProducer.send(new ProducerRecord<>(Topics.PREFERENCES, l.getId(), ser.serialize(Topics.PREFERENCES, l)));
                if (!holdout.isHeldOut(l.getId())) {
                    train.add(new PreferencePair(l.getPrompt(), l.getChosen(), l.getRejected()));
                }
            }
            labelProducer.flush();
        }
        return train;
    }

    /** Trains {@code base} on the CPU for {@code steps} steps and writes the result as a tiny model directory. */
    static void trainTiny(BaseModel base, List<PreferencePair> pairs, long seed, int steps, Path dir) {
        TrainingConfig cfg = TrainingConfig.builder().seed(seed).learningRate(2e-3).batchSize(16).maxSteps(steps)
                .maxLength(32).compute(Compute.cpu()).build();
        try (TrainedModel trained = new RewardModelTrainer().train(base, pairs, cfg, null)) {
            TinyModels.write(dir, trained.model().tensors(), TinyModels.lineage());
        }
    }

    /** The job ids of a version's members, in order. */
    static List<String> jobs(WarmModelPublished v) {
        return v.getMembers().stream().map(Member::getJobId).toList();
    }

    static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * A test class whose tests share one fixture on the shared embedded broker and registry, built before the first
     * test and closed after the last. A subclass's own {@code @BeforeAll} runs after the fixture exists.
     */
    @ExtendWith(EmbeddedInfraExtension.class)
    @TestInstance(TestInstance.Lifecycle.PER_CLASS)
    abstract static class PerTestClass {

        MergerFixture fx;

        @BeforeAll
        void startFixture(EmbeddedKafka kafka, EmbeddedRegistry registry) throws Exception {
            fx = new MergerFixture(kafka, registry);
        }

        @AfterAll
        void stopFixture() {
            if (fx != null) fx.close();
        }
    }

    @Override
    public void close() {
        for (EmbeddedServer s : servers) {
            try {
                stop(s);
            } catch (RuntimeException e) {
                // already stopped
            }
        }
        producer.close(Duration.ofSeconds(5));
    }
}
