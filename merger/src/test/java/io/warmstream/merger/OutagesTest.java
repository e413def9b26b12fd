package io.warmstream.merger;

import com.fasterxml.jackson.databind.JsonNode;
import io.micronaut.runtime.server.EmbeddedServer;
import io.warmstream.embedded.OutageProxy;
import io.warmstream.events.CheckpointRejected;
import io.warmstream.events.Member;
import io.warmstream.events.WarmModelPublished;
import io.warmstream.model.weights.ModelDirectory;
import io.warmstream.model.weights.ModelManifest;
import io.warmstream.schemas.Topics;
import io.warmstream.testkit.TinyModels;
import io.warmstream.testkit.Await;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Outages are waits, not verdicts: a checkpoint offered while the checkpoint store or the schema registry cannot be
 * reached is neither rejected nor lost; the merger names the dependency on {@code /health} and in a metric while it
 * retries, and folds the checkpoint once the dependency is back. And a tombstone keeps the version numbering going.
 */
class OutagesTest extends MergerFixture.PerTestClass {

    @Test
    void aStoreOutageIsWaitedOutAndTheCheckpointFoldedAfterwards() throws Exception {
        String avg = "store-outage-" + UUID.randomUUID().toString().substring(0, 8);
        EmbeddedServer merger = fx.startMerger(avg, Map.of("warm.merger.retry-backoff", "100ms",
                "warm.merger.retry-backoff-max", "400ms"));
        fx.awaitState(merger, s -> s.path("role").asText().equals("ACTIVE"));
        String uri = fx.putModel(avg, "job-1", dir -> TinyModels.member(dir, 1));
        ModelManifest m = ModelDirectory.readManifest(Path.of(URI.create(uri)));

        // The store's volume goes away (unmounted): its root is replaced by a plain file. Running as root, file
        // permissions would not keep the merger out; this does.
        Path root = fx.store.root();
        Path away = root.resolveSibling("store.away");
        Files.move(root, away);
        Files.writeString(root, "not mounted");
        try {
            fx.sendCheckpoint(avg, "job-1", uri, m.weightsSha256(), m.lineage().id(), 0.9);
            JsonNode health = awaitHealth(merger, h -> h.path("details").path("merger").path("details")
                    .path("dependencies").has("checkpoint-store"));
            assertEquals("DOWN", health.path("status").asText(), health.toString());
            String metrics = fx.text(merger, "/prometheus");
            assertTrue(metrics.contains("warm_merger_dependency_up{average=\"" + avg
                    + "\",dependency=\"checkpoint-store\"} 0.0"), metrics);
            Thread.sleep(1_500); // several retries while the store is away
        } finally {
            Files.delete(root);
            Files.move(away, root);
        }

        WarmModelPublished v1 = fx.awaitVersions(avg, 1).get(0);
        assertEquals(1, v1.getVersion());
        assertEquals(List.of("job-1"), v1.getMembers().stream().map(Member::getJobId).toList());
        assertEquals(List.of(), rejections(avg), "an outage is not the checkpoint's fault");
        JsonNode health = awaitHealth(merger, h -> h.path("status").asText().equals("UP"));
        assertTrue(health.path("details").path("merger").path("details").path("dependencies").isMissingNode(),
                health.toString());
        assertTrue(fx.text(merger, "/prometheus").contains("warm_merger_dependency_up{average=\"" + avg
                + "\",dependency=\"checkpoint-store\"} 1.0"));
        MergerFixture.stop(merger);
    }

    @Test
    void aRegistryOutageIsWaitedOutNotRejectedAsUndecodable() throws Exception {
        String avg = "registry-outage-" + UUID.randomUUID().toString().substring(0, 8);
        URI real = URI.create(fx.registry.ccompatUrl());
        try (OutageProxy proxy = new OutageProxy(real.getHost(), real.getPort())) {
            String viaProxy = real.getScheme() + "://127.0.0.1:" + proxy.port() + real.getPath();
            EmbeddedServer merger = fx.startMerger(avg, Map.of("warm.registry.url", viaProxy,
                    "warm.merger.retry-backoff", "100ms", "warm.merger.retry-backoff-max", "400ms"));
            fx.awaitState(merger, s -> s.path("role").asText().equals("ACTIVE"));
            proxy.down(); // the merger has not decoded a checkpoint yet: it must ask the registry for the schema
            String uri = fx.putModel(avg, "job-1", dir -> TinyModels.member(dir, 1));
            fx.sendCheckpoint(avg, "job-1", uri, 0.9); // written through the real registry, read through the proxy

            JsonNode health = awaitHealth(merger, h -> h.path("details").path("merger").path("details")
                    .path("dependencies").has("schema-registry"));
            assertEquals("DOWN", health.path("status").asText(), health.toString());
            assertTrue(fx.text(merger, "/prometheus").contains("warm_merger_dependency_up{average=\"" + avg
                    + "\",dependency=\"schema-registry\"} 0.0"));
            Thread.sleep(1_500);
            assertEquals(List.of(), rejections(avg), "nothing rejected while the registry is down");

            proxy.up();
            WarmModelPublished v1 = fx.awaitVersions(avg, 1).get(0);
            assertEquals(List.of("job-1"), v1.getMembers().stream().map(Member::getJobId).toList());
            assertEquals(List.of(), rejections(avg), "not UNDECODABLE: the record was fine");
            awaitHealth(merger, h -> h.path("status").asText().equals("UP"));
            MergerFixture.stop(merger);
        }
    }

    /**
     * Tombstones and rollbacks mean the same to the merger as to scorers: versions only go up. A tombstone empties
     * the average (the next checkpoint starts a fresh one) but the next version continues the numbering, so scorers,
     * which install only versions above the one they serve, take it.
     */
    @Test
    void aTombstoneEmptiesTheAverageButTheNumberingGoesOn() throws Exception {
        String avg = "tombstone-" + UUID.randomUUID().toString().substring(0, 8);
        EmbeddedServer merger = fx.startMerger(avg, Map.of());
        for (int i = 1; i <= 2; i++) {
            int seed = i;
            fx.sendCheckpoint(avg, "job-" + i, fx.putModel(avg, "job-" + i, dir -> TinyModels.member(dir, seed)), 0.9);
        }
        fx.awaitVersions(avg, 2);
        MergerFixture.stop(merger);

        try (Producer<String, byte[]> p = new KafkaProducer<>(fx.settings.producerConfig("tombstone-" + avg, Map.of()))) {
            p.send(new ProducerRecord<>(Topics.MODELS, avg, null)).get();
        }
        EmbeddedServer again = fx.startMerger(avg, Map.of());
        JsonNode state = fx.awaitState(again, s -> s.path("role").asText().equals("ACTIVE"));
        assertEquals(0, state.path("memberCount").asInt(), state.toString());
        fx.sendCheckpoint(avg, "job-3", fx.putModel(avg, "job-3", dir -> TinyModels.member(dir, 3)), 0.9);

        List<WarmModelPublished> versions = fx.awaitVersions(avg, 3);
        WarmModelPublished after = versions.get(2);
        assertEquals(3, after.getVersion(), "numbering continues past the tombstone: " + versions);
        assertEquals(List.of("job-3"), after.getMembers().stream().map(Member::getJobId).toList(),
                "the tombstone emptied the average");
        MergerFixture.stop(again);
    }

    private List<CheckpointRejected> rejections(String avg) {
        return fx.read(Topics.CHECKPOINTS_REJECTED, CheckpointRejected.class, null, l -> true, Duration.ZERO).stream()
                .filter(r -> r.getAverage().equals(avg)).toList();
    }

    private JsonNode awaitHealth(EmbeddedServer server, java.util.function.Predicate<JsonNode> test) throws Exception {
        return Await.until("/health to match", MergerFixture.WAIT, Duration.ofMillis(100), () -> fx.get(server, "/health"), test);
    }
}
