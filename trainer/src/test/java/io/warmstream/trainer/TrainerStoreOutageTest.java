package io.warmstream.trainer;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.micronaut.runtime.server.EmbeddedServer;
import io.warmstream.embedded.EmbeddedInfraExtension;
import io.warmstream.embedded.EmbeddedKafka;
import io.warmstream.embedded.EmbeddedRegistry;
import io.warmstream.events.OffsetRange;
import io.warmstream.events.RewardModelCheckpoint;
import io.warmstream.events.TrainingRunEvent;
import io.warmstream.model.store.CheckpointStore;
import io.warmstream.trainer.work.RunEvents;
import io.warmstream.testkit.ToyLabels;
import io.warmstream.testkit.Await;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A checkpoint store that cannot be written when a job finishes training costs a wait, not the model: the job is not
 * committed as FAILED, the worker's health names the store while the trained model waits in the work directory,
 * and once the store is back the model is stored and the checkpoint published, once.
 */
@ExtendWith(EmbeddedInfraExtension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class TrainerStoreOutageTest {

    private static final Duration WAIT = Duration.ofSeconds(120);
    private static final ObjectMapper JSON = new ObjectMapper();

    private TrainerTestKit kit;
    private EmbeddedServer server;

    @BeforeAll
    void start(EmbeddedKafka broker, EmbeddedRegistry registry) {
        kit = new TrainerTestKit("store-outage", broker, registry);
        server = kit.startWorker("store-outage-worker", Map.of(
                "warm.trainer.worker.store-retry-backoff", "100ms",
                "warm.trainer.worker.store-retry-backoff-max", "400ms"));
    }

    @AfterAll
    void stop() {
        if (kit != null) {
            kit.close(); // and the trainer it started
        }
    }

    @Test
    void aTrainedModelWaitsForTheStoreInsteadOfFailingTheJob() throws Exception {
        List<OffsetRange> ranges = kit.produceLabels(ToyLabels.labels("outage-" + kit.run + "-", 48, 5));
        // The store's volume goes away: its root is replaced by a plain file (running as root, permissions would not
        // keep the worker out; this does).
        Path away = kit.store.resolveSibling(kit.store.getFileName() + ".away");
        Files.move(kit.store, away);
        Files.writeString(kit.store, "not mounted");
        try {
            kit.produceJob(Jobs.tiny("patient", ranges, 12).build(), 0);
            JsonNode health = awaitHealth(h -> h.path("details").path("trainer").path("details").path("worker")
                    .path("dependencies").has("checkpoint-store"));
            assertEquals("DOWN", health.path("status").asText(), health.toString());
            String metrics = get("/prometheus");
            assertTrue(metrics.contains("warm_trainer_dependency_up{dependency=\"checkpoint-store\"} 0.0"), metrics);
            Thread.sleep(1_500); // several failed puts
            assertTrue(failed(kit.readAll(kit.runs, kit.kafka.serdes().valueDeserializer(TrainingRunEvent.class)))
                    .isEmpty(), "the job is not FAILED while the store is away");
        } finally {
            Files.delete(kit.store);
            Files.move(away, kit.store);
        }

        RewardModelCheckpoint cp = kit.readUntil(kit.checkpoints,
                kit.kafka.serdes().valueDeserializer(RewardModelCheckpoint.class), seen -> !seen.isEmpty(), WAIT)
                .get(0).value();
        assertEquals("patient", cp.getJobId());
        CheckpointStore store = CheckpointStore.open(kit.store.toString());
        assertTrue(store.exists(URI.create(cp.getUri())), "the model is in the store: " + cp.getUri());
        List<ConsumerRecord<String, TrainingRunEvent>> runs = kit.readUntil(kit.runs,
                kit.kafka.serdes().valueDeserializer(TrainingRunEvent.class),
                seen -> seen.stream().anyMatch(r -> r.value().getType().equals(RunEvents.FINISHED)), WAIT);
        assertEquals(List.of(), failed(runs));
        awaitHealth(h -> h.path("status").asText().equals("UP"));
        assertTrue(get("/prometheus").contains("warm_trainer_dependency_up{dependency=\"checkpoint-store\"} 1.0"));
    }

    private static List<String> failed(List<ConsumerRecord<String, TrainingRunEvent>> runs) {
        return runs.stream().map(ConsumerRecord::value).filter(e -> e.getType().equals(RunEvents.FAILED))
                .map(e -> e.getJobId() + ": " + e.getReason()).toList();
    }

    private String get(String path) throws Exception {
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(server.getURL() + path)).build(),
                HttpResponse.BodyHandlers.ofString()).body();
    }

    private JsonNode awaitHealth(java.util.function.Predicate<JsonNode> test) throws Exception {
        return Await.until("/health to match", WAIT, Duration.ofMillis(100), () -> JSON.readTree(get("/health")), test);
    }
}
