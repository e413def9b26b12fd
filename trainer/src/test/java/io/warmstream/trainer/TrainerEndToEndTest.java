package io.warmstream.trainer;

import io.micronaut.runtime.server.EmbeddedServer;
import io.warmstream.embedded.EmbeddedInfraExtension;
import io.warmstream.embedded.EmbeddedKafka;
import io.warmstream.embedded.EmbeddedRegistry;
import io.warmstream.events.OffsetRange;
import io.warmstream.events.PreferenceLabel;
import io.warmstream.events.RewardModelCheckpoint;
import io.warmstream.events.TrainingJob;
import io.warmstream.events.TrainingRunEvent;
import io.warmstream.model.BaseModels;
import io.warmstream.model.Compute;
import io.warmstream.model.Evaluation;
import io.warmstream.model.PreferencePair;
import io.warmstream.model.RewardHead;
import io.warmstream.model.RewardModel;
import io.warmstream.model.store.CheckpointStore;
import io.warmstream.model.store.ManifestSignature;
import io.warmstream.model.store.ModelSigner;
import io.warmstream.model.store.ModelSigningKeys;
import io.warmstream.model.weights.ModelDirectory;
import io.warmstream.schemas.Holdout;
import io.warmstream.trainer.work.JobDataReader;
import io.warmstream.trainer.work.RunEvents;
import io.warmstream.trainer.work.SharedHeads;
import io.warmstream.testkit.ToyLabels;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The trainer for real, planner and worker in one service, on the embedded broker and registry with a tiny
 * encoder: labels in (two transactions, so commit markers sit between them) -> one job with exact ranges ->
 * STARTED / PROGRESS / FINISHED -> a checkpoint event -> a model directory in the store that loads and ranks the
 * held-out labels well above chance.
 */
@ExtendWith(EmbeddedInfraExtension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class TrainerEndToEndTest {

    private static final Duration WAIT = Duration.ofSeconds(120);
    private static final String BASE = "tiny:7";
    private static final int LABELS = 160;
    private static final double FRACTION = 0.2;

    /** The worker signs what it stores with the deployment key (security/README.md, "Model directories"). */
    private static final ModelSigningKeys SIGNING = ModelSigningKeys.of(new byte[] {
            1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23, 24, 25, 26, 27, 28, 29, 30, 31, 32});

    private TrainerTestKit kit;
    private EmbeddedServer server;
    private List<PreferenceLabel> labels;

    @BeforeAll
    void start(EmbeddedKafka broker, EmbeddedRegistry registry) {
        kit = new TrainerTestKit("e2e", broker, registry);
        Map<String, Object> p = new HashMap<>();
        p.put("warm.trainer.worker.id", "e2e-worker");
        p.put("warm.trainer.planner.labels-per-job", LABELS);
        p.put("warm.trainer.planner.min-labels", 1000);
        p.put("warm.trainer.planner.validation-fraction", FRACTION);
        p.put("warm.trainer.planner.validation-salt", "e2e");
        p.put("warm.trainer.planner.base-model", BASE);
        p.put("warm.trainer.planner.grid.learning-rates", "2e-3");
        p.put("warm.trainer.planner.grid.dropouts", "0.05,0.1");
        p.put("warm.trainer.planner.hyperparameters.max-sequence-length", 32);
        p.put("warm.trainer.planner.hyperparameters.trainable-layers", -1);
        p.put("warm.trainer.planner.hyperparameters.epochs", 4);
        p.put("warm.trainer.planner.hyperparameters.max-steps", "none");
        try {
            Path keyFile = Files.createTempDirectory("e2e-signing").resolve("model-signing-key");
            Files.writeString(keyFile, Base64.getEncoder().encodeToString(SIGNING.signing().secret()) + "\n");
            p.put(ModelSigningKeys.SETTING, keyFile.toString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        server = kit.startTrainer(p);
        labels = ToyLabels.labels("e2e-" + kit.run + "-", LABELS, 11);
    }

    @AfterAll
    void stop() {
        if (kit != null) {
            kit.close(); // and the trainer it started
        }
    }

    @Test
    void labelsBecomeAJobAndTheJobATrainedStoredCheckpoint() throws Exception {
        kit.produceLabelsTransactionally(labels.subList(0, LABELS / 2));
        kit.produceLabelsTransactionally(labels.subList(LABELS / 2, LABELS));

        // one job, whose ranges hold exactly the labels produced
        TrainingJob job = kit.readUntil(kit.jobs, kit.kafka.serdes().valueDeserializer(TrainingJob.class),
                seen -> !seen.isEmpty(), WAIT).get(0).value();
        assertEquals(LABELS, job.getLabelCount());
        assertEquals("ALL", job.getDataSelection());
        assertEquals(BASE, job.getBaseModel());
        assertEquals(FRACTION, job.getValidationFraction());
        assertEquals(job.getRanges(), job.getSharedHeadRanges(), "the first job's labels fit the shared head");
        assertTrue(List.of(0.05, 0.1).contains(job.getHyperparameters().getDropout()));
        assertEquals(2e-3, job.getHyperparameters().getLearningRate());
        List<PreferenceLabel> readBack;
        try (JobDataReader reader = new JobDataReader(kit.kafka, "e2e-check", Duration.ofSeconds(20))) {
            readBack = reader.read(job.getRanges(), () -> false).labels();
        }
        assertEquals(labels.stream().map(PreferenceLabel::getId).collect(Collectors.toSet()),
                readBack.stream().map(PreferenceLabel::getId).collect(Collectors.toSet()));
        assertEquals(LABELS, readBack.size());
        for (OffsetRange r : job.getRanges()) {
            assertEquals(kit.labels, r.getTopic());
        }

        RewardModelCheckpoint cp = kit.readUntil(kit.checkpoints,
                kit.kafka.serdes().valueDeserializer(RewardModelCheckpoint.class), seen -> !seen.isEmpty(), WAIT)
                .get(0).value();
        Holdout holdout = new Holdout(FRACTION, "e2e");
        List<PreferencePair> heldOut = new ArrayList<>();
        for (PreferenceLabel l : labels) {
            if (holdout.isHeldOut(l.getId())) {
                heldOut.add(ToyLabels.pair(l));
            }
        }
        assertEquals(job.getJobId(), cp.getJobId());
        assertEquals("default", cp.getAverage());
        assertEquals(heldOut.size(), cp.getValidationCount());
        assertEquals(LABELS - heldOut.size(), cp.getTrainCount());
        assertEquals(job.getRanges(), cp.getRanges());
        assertEquals(job.getHyperparameters(), cp.getHyperparameters());
        assertEquals(job.getSeed(), cp.getSeed());
        assertEquals(BASE, cp.getBaseModel());
        assertEquals(BaseModels.byName(BASE).lineage().id(), cp.getLineage());
        assertEquals("cpu", cp.getDevice());
        assertEquals("fp32", cp.getPrecision());
        assertEquals("e2e-worker", cp.getWorker());
        assertTrue(cp.getDurationMs() > 0);

        CheckpointStore store = CheckpointStore.open(kit.store.toString());
        URI uri = URI.create(cp.getUri());
        assertEquals(store.uriOf("checkpoints/default/" + job.getJobId()), uri);
        Path dir = store.fetch(uri);
        assertEquals(ModelDirectory.verify(dir).weightsSha256(), cp.getSha256());
        assertEquals(cp.getSha256(), new ModelSigner(SIGNING).verify(dir).weightsSha256(), "signed by the worker");
        Path headDir = store.fetch(store.uriOf(job.getSharedHead()));
        new ModelSigner(SIGNING).requireAuthentic(headDir); // the shared head too
        assertTrue(Files.isRegularFile(headDir.resolve(ManifestSignature.FILE)));
        Map<String, Object> facts = ModelDirectory.readManifest(dir).facts();
        assertEquals(job.getJobId(), ((Map<?, ?>) facts.get("job")).get("id"));
        Map<?, ?> validation = (Map<?, ?>) facts.get("validation");
        assertEquals(Holdout.saltFingerprint("e2e"), validation.get("salt_fingerprint"));
        assertFalse(validation.containsKey("salt"), "the salt itself never goes into a model directory");
        try (RewardModel model = RewardModel.load(dir, Compute.cpu())) {
            Evaluation onHeldOut = model.evaluate(heldOut);
            assertEquals(cp.getValidationAccuracy(), onHeldOut.accuracy(), 1e-9, "the event reports what the stored model does");
            assertEquals(cp.getValidationLoss(), onHeldOut.meanLoss(), 1e-5);
            assertTrue(onHeldOut.accuracy() >= 0.8, "held-out accuracy " + onHeldOut.accuracy());
            Evaluation fresh = model.evaluate(ToyLabels.pairs(200, 99));
            assertTrue(fresh.accuracy() >= 0.8, "accuracy on fresh pairs " + fresh.accuracy());
        }
        // the shared head is in the store, under the job's key
        RewardHead head = RewardHead.load(store.fetch(store.uriOf(job.getSharedHead())).resolve(SharedHeads.HEAD_FILE));
        assertEquals(cp.getLineage(), head.lineageId());
        assertTrue(Files.isRegularFile(dir.resolve("model.safetensors")));

        // its life on the runs topic: STARTED, PROGRESS..., FINISHED
        List<TrainingRunEvent> life = kit.readUntil(kit.runs, kit.kafka.serdes().valueDeserializer(TrainingRunEvent.class),
                seen -> seen.stream().anyMatch(r -> RunEvents.FINISHED.equals(r.value().getType())), WAIT)
                .stream().map(ConsumerRecord::value).filter(e -> e.getJobId().equals(job.getJobId())).toList();
        assertEquals(RunEvents.STARTED, life.get(0).getType());
        assertEquals(RunEvents.FINISHED, life.get(life.size() - 1).getType());
        List<TrainingRunEvent> progress = life.stream().filter(e -> RunEvents.PROGRESS.equals(e.getType())).toList();
        assertTrue(progress.size() >= 3, "progress events " + progress.size());
        for (TrainingRunEvent e : progress) {
            assertTrue(e.getLoss() != null && Double.isFinite(e.getLoss()));
            assertTrue(e.getPairsPerSecond() != null && e.getPairsPerSecond() > 0);
            assertEquals("cpu", e.getDevice());
        }
        assertEquals(life.get(life.size() - 1).getStep(), progress.get(progress.size() - 1).getStep());

        // health and metrics tell the same story
        HttpClient http = HttpClient.newHttpClient();
        HttpResponse<String> health = http.send(HttpRequest.newBuilder(URI.create(server.getURL() + "/health")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(200, health.statusCode(), health.body());
        assertTrue(health.body().contains("\"planner\":\"RUNNING\""), health.body());
        assertTrue(health.body().contains("\"finished\":1"), health.body());
        assertTrue(health.body().contains("\"modelDirectories\":\"" + SIGNING.describe() + "\""), health.body());
        String metrics = http.send(HttpRequest.newBuilder(URI.create(server.getURL() + "/prometheus")).build(),
                HttpResponse.BodyHandlers.ofString()).body();
        assertTrue(metrics.contains("warm_trainer_jobs_total{outcome=\"finished\"} 1.0"), metrics);
        assertTrue(metrics.contains("warm_trainer_jobs_planned_total{trigger=\"count\"} 1.0"), metrics);
        assertEquals(Set.of(job.getJobId()), kit.readAll(kit.checkpoints,
                kit.kafka.serdes().valueDeserializer(RewardModelCheckpoint.class)).stream()
                .map(r -> r.value().getJobId()).collect(Collectors.toSet()));
    }
}
