package io.warmstream.merger;

import com.fasterxml.jackson.databind.JsonNode;
import io.micronaut.runtime.server.EmbeddedServer;
import io.warmstream.embedded.EmbeddedInfraExtension;
import io.warmstream.embedded.EmbeddedKafka;
import io.warmstream.embedded.EmbeddedRegistry;
import io.warmstream.events.Member;
import io.warmstream.events.PreferenceLabel;
import io.warmstream.events.WarmModelPublished;
import io.warmstream.model.BaseModel;
import io.warmstream.model.BaseModels;
import io.warmstream.model.Compute;
import io.warmstream.model.PreferencePair;
import io.warmstream.model.train.RewardModelTrainer;
import io.warmstream.model.train.TrainedModel;
import io.warmstream.model.train.TrainingConfig;
import io.warmstream.schemas.Holdout;
import io.warmstream.schemas.Topics;
import io.warmstream.scorer.ScorerApplication;
import io.warmstream.testkit.ToyLabels;
import io.warmstream.testkit.TinyModels;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.Serializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;

import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Predicate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The quality gate with real (tiny) trained reward models, the real merger and the real scorer on the embedded broker
 * and registry. Three checkpoints of one initialisation:
 * <ol>
 *   <li>an undertrained member (2 steps): version 1, served;</li>
 *   <li>a checkpoint that learned nothing, the untouched initialisation a broken trainer published claiming 0.9:
 *       averaged in, it halves the fine-tuning, and version 2 ranks clearly fewer held-out pairs right than version 1.
 *       The LMC guard lets it through (it is linearly connected: the members' mean is low, and the average is above
 *       it), the quality gate withholds it: recorded with its figures under {@code <average>/withheld}, not served;</li>
 *   <li>a well-trained member (15 steps): version 3 folds into the withheld average and is better than version 1
 *       beyond noise: served.</li>
 * </ol>
 * A scorer serving version 1 keeps serving it through the withheld version; the merger restarted after it resumes from
 * version 2 with version 1 served; a scorer started fresh then finds version 1, not the newer withheld one; both
 * scorers swap to version 3.
 *
 * <p>Training is deterministic on the CPU (fixed seeds, fixed label ids), so the figures are too. Measured here with
 * 245 held-out labels: version 1 0.665, version 2 0.559 (paired difference -0.106, standard error 0.021: five standard
 * errors down), version 3 0.792 (+0.127 vs version 1, standard error 0.044).
 *
 * <p>This test has a broker of its own: the merger reads every held-out label on {@code warm.preferences}, and other
 * tests' labels on the shared broker would change its sample (and theirs would change with these).
 */
@ExtendWith(EmbeddedInfraExtension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class QualityGateIntegrationTest {

    private static final Holdout HOLDOUT = new Holdout(0.5, "merger-gate-test");

    private EmbeddedKafka kafka;
    private MergerFixture fx;
    private final List<EmbeddedServer> scorers = new ArrayList<>();

    @BeforeAll
    void start(EmbeddedRegistry registry) throws Exception {
        kafka = EmbeddedKafka.start(null);
        fx = new MergerFixture(kafka, registry);
    }

    @AfterAll
    void stop() {
        for (EmbeddedServer s : scorers) {
            s.getApplicationContext().close();
        }
        if (fx != null) fx.close();
        if (kafka != null) kafka.close();
    }

    @Test
    void aWorseVersionIsRecordedButNotServedAndScorersKeepServingTheServedOne() throws Exception {
        String avg = "gate-" + UUID.randomUUID().toString().substring(0, 8);
        // Label ids must not depend on the random average name: the held-out split hashes them.
        List<PreferenceLabel> labels = ToyLabels.labels("gate-label-", 480, 42);
        List<PreferencePair> train = publish(labels);
        long heldOut = labels.size() - train.size();

        BaseModel shared = BaseModels.tiny(7);
        String undertrained = fx.putModel(avg, "undertrained", dir -> train(shared, train, 3, 2, dir));
        String untrained = fx.putModel(avg, "untrained", dir -> TinyModels.write(dir, shared.tensors(), TinyModels.lineage()));
        String trained = fx.putModel(avg, "trained", dir -> train(shared, train, 1, 15, dir));

        Map<String, Object> mergerSettings = Map.of(
                "warm.merger.guard.enabled", true,
                "warm.merger.gate.enabled", true,
                "warm.merger.guard.device", "cpu",
                "warm.merger.guard.min-labels", 40,
                "warm.merger.gate.min-labels", 40,
                "warm.merger.holdout.fraction", HOLDOUT.fraction(),
                "warm.merger.holdout.salt", HOLDOUT.salt());
        EmbeddedServer merger = fx.startMerger(avg, mergerSettings);

        fx.sendCheckpoint(avg, "undertrained", undertrained, 0.9);
        WarmModelPublished v1 = fx.awaitAllVersions(avg, 1).get(0);
        assertFalse(v1.getWithheld());
        assertEquals(1L, v1.getServedVersion());
        assertEquals(heldOut, v1.getHoldoutLabels(), "every held-out label on the topic is in the sample");
        assertNotNull(v1.getAccuracyStandardError());
        assertEquals(null, v1.getComparedWithVersion(), "nothing to compare the first version with");

        EmbeddedServer scorerA = startScorer(avg, "a");
        awaitServing(scorerA, 1);

        // Version 2 is worse: recorded, not served.
        fx.sendCheckpoint(avg, "untrained", untrained, 0.9);
        WarmModelPublished v2 = fx.awaitAllVersions(avg, 2).get(1);
        System.out.println("version 2: " + v2);
        assertEquals(2L, v2.getVersion());
        assertTrue(v2.getWithheld(), "worse than version 1 beyond noise");
        assertEquals(1L, v2.getServedVersion());
        assertEquals(1L, v2.getComparedWithVersion());
        assertEquals(v1.getValidationAccuracy(), v2.getComparedWithAccuracy(), 1e-12,
                "version 1 scored on the same labels as when it was published");
        assertEquals(v2.getValidationAccuracy() - v2.getComparedWithAccuracy(), v2.getPairedDifference(), 1e-9);
        assertTrue(v2.getPairedDifference() < -v2.getPairedStandardError(), v2.toString());
        double p = v2.getValidationAccuracy();
        assertEquals(Math.sqrt(p * (1 - p) / heldOut), v2.getAccuracyStandardError(), 1e-12);
        assertEquals(List.of("undertrained", "untrained"), jobs(v2));
        assertTrue(v2.getValidationAccuracy() >= v2.getMembersMeanAccuracy() - 0.05,
                "the LMC guard let it through: " + v2);
        assertEquals(List.of(1L), fx.versions(avg).stream().map(WarmModelPublished::getVersion).toList(),
                "under the average's own key (what compaction keeps) the served version stays the newest");

        JsonNode state = fx.get(merger, "/v1/merger/state");
        assertEquals(2, state.path("version").asLong());
        assertEquals(1, state.path("servedVersion").asLong());
        assertTrue(state.path("withheld").asBoolean());
        assertEquals(v2.getPairedDifference(), state.path("pairedDifference").asDouble(), 1e-12);
        JsonNode kept = fx.get(merger, "/v1/merger/versions");
        assertEquals(1, kept.path("served").asLong());
        assertTrue(kept.path("versions").get(0).path("withheld").asBoolean());
        assertTrue(kept.path("versions").get(1).path("served").asBoolean());
        String metrics = fx.text(merger, "/prometheus");
        assertTrue(metrics.contains("warm_merger_versions_withheld_total{average=\"" + avg + "\"} 1.0"), metrics);
        assertTrue(metrics.contains("warm_merger_served_version{average=\"" + avg + "\"} 1.0"), metrics);
        assertTrue(metrics.contains("warm_merger_served_holdout_accuracy{average=\"" + avg + "\"} "
                + round6(v1.getValidationAccuracy())), metrics);

        // The scorer saw version 2 and kept serving version 1.
        await(scorerA, "/v1/models", m -> stateOf(m, 2).equals("withheld"));
        awaitServing(scorerA, 1);
        assertEquals(1, score(scorerA).path("version").asLong());

        // A restarted merger resumes from version 2 (the newest folded) with version 1 still served.
        MergerFixture.stop(merger);
        merger = fx.startMerger(avg, mergerSettings);
        fx.awaitState(merger, s -> s.path("role").asText().equals("ACTIVE") && s.path("version").asLong() == 2
                && s.path("servedVersion").asLong() == 1);
        // A scorer starting now finds the served version, not the newer withheld one.
        EmbeddedServer scorerB = startScorer(avg, "b");
        awaitServing(scorerB, 1);

        // Version 3 folds into the withheld average, is better than version 1, and is served.
        fx.sendCheckpoint(avg, "trained", trained, 0.9);
        WarmModelPublished v3 = fx.awaitAllVersions(avg, 3).get(2);
        System.out.println("version 3: " + v3);
        assertFalse(v3.getWithheld(), v3.toString());
        assertEquals(3L, v3.getServedVersion());
        assertEquals(1L, v3.getComparedWithVersion());
        assertTrue(v3.getPairedDifference() > 0, v3.toString());
        assertEquals(List.of("undertrained", "untrained", "trained"), jobs(v3));
        awaitServing(scorerA, 3);
        awaitServing(scorerB, 3);
        assertEquals(3, score(scorerB).path("version").asLong());
        metrics = fx.text(merger, "/prometheus");
        assertTrue(metrics.contains("warm_merger_served_version{average=\"" + avg + "\"} 3.0"), metrics);
        assertTrue(metrics.contains("warm_merger_served_holdout_accuracy_standard_error{average=\"" + avg + "\"} "
                + round6(v3.getAccuracyStandardError())), metrics);
    }

    /** Labels on the validated topic; returns the pairs trainers would train on (the ones not held out). */
    private List<PreferencePair> publish(List<PreferenceLabel> labels) {
        List<PreferencePair> train = new ArrayList<>();
        try (Producer<String, byte[]> producer = new KafkaProducer<>(fx.settings.producerConfig("gate-labels", Map.of()))) {
            Serializer<PreferenceLabel> ser = fx.settings.serdes().valueSerializer(PreferenceLabel.class);
            for (PreferenceLabel l : labels) {
                producer.send(new ProducerRecord<>(Topics.PREFERENCES, l.getId(), ser.serialize(Topics.PREFERENCES, l)));
                if (!HOLDOUT.isHeldOut(l.getId())) {
                    train.add(new PreferencePair(l.getPrompt(), l.getChosen(), l.getRejected()));
                }
            }
            producer.flush();
        }
        return train;
    }

    private EmbeddedServer startScorer(String average, String instance) {
        Map<String, Object> p = new HashMap<>();
        p.put("warm.kafka.bootstrap-servers", fx.kafka.bootstrapServers());
        p.put("warm.registry.url", fx.registry.ccompatUrl());
        p.put("warm.store.location", fx.store.root().toString());
        p.put("warm.scorer.average", average);
        p.put("micronaut.security.enabled", false);
        p.put(Holdout.SHARED_SALT, "scorer-test-salt");
        p.put("warm.scorer.stream.application-id", "gate-scorer-" + average + "-" + instance);
        p.put("warm.scorer.stream.state-dir", fx.root.resolve("scorer-state-" + instance).toString());
        p.put("warm.scorer.export.cache-dir", fx.root.resolve("scorer-exports-" + instance).toString());
        EmbeddedServer s = ScorerApplication.start(p);
        scorers.add(s);
        return s;
    }

    private void awaitServing(EmbeddedServer scorer, long version) throws Exception {
        await(scorer, "/v1/models/current", m -> m.path("version").asLong() == version);
    }

    private JsonNode await(EmbeddedServer server, String path, Predicate<JsonNode> test) throws Exception {
        long deadline = System.nanoTime() + MergerFixture.WAIT.toNanos();
        JsonNode last = null;
        while (System.nanoTime() < deadline) {
            last = fx.get(server, path);
            if (test.test(last)) {
                return last;
            }
            MergerFixture.sleep(100);
        }
        throw new AssertionError(path + " never matched; last: " + last);
    }

    private JsonNode score(EmbeddedServer scorer) throws Exception {
        String body = "{\"items\":[{\"prompt\":\"how did it go\",\"response\":\"great day\"}]}";
        HttpResponse<String> r = fx.http.send(HttpRequest.newBuilder(URI.create(scorer.getURL() + "/v1/rewards"))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body)).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(200, r.statusCode(), r.body());
        return MergerFixture.JSON.readTree(r.body());
    }

    private static String stateOf(JsonNode models, long version) {
        for (JsonNode v : models.path("versions")) {
            if (v.path("version").asLong() == version) {
                return v.path("state").asText();
            }
        }
        return "unseen";
    }

    private static String round6(double d) {
        return String.valueOf(Math.round(d * 1e6) / 1e6);
    }

    private static List<String> jobs(WarmModelPublished v) {
        return v.getMembers().stream().map(Member::getJobId).toList();
    }

    private static void train(BaseModel base, List<PreferencePair> pairs, long seed, int steps, Path dir) {
        TrainingConfig cfg = TrainingConfig.builder().seed(seed).learningRate(2e-3).batchSize(16).maxSteps(steps)
                .maxLength(32).compute(Compute.cpu()).build();
        try (TrainedModel trained = new RewardModelTrainer().train(base, pairs, cfg, null)) {
            TinyModels.write(dir, trained.model().tensors(), TinyModels.lineage());
        }
    }
}
