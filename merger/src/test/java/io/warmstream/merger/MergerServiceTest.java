package io.warmstream.merger;

import io.warmstream.events.CheckpointRejected;
import io.warmstream.events.Member;
import io.warmstream.events.ModelCandidate;
import io.warmstream.model.weights.ModelDirectory;
import io.warmstream.schemas.Topics;
import io.warmstream.testkit.Await;
import java.net.URI;
import java.nio.file.Files;
import java.time.Duration;
import io.warmstream.events.WarmModelPublished;
import io.warmstream.model.weights.NamedTensor;
import io.warmstream.testkit.TinyModels;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The merger for real: embedded KRaft broker, Apicurio registry process, filesystem checkpoint store, tiny models.
 * Checkpoints in -> versions on warm.models whose weights are the batch mean of the accepted members; bad
 * checkpoints -> rejections with the right reason while the good ones still fold.
 */
class MergerServiceTest extends MergerFixture.PerTestClass {

    @Test
    void foldsCheckpointsIntoTheirBatchMeanOnceEach() throws Exception {
        String avg = "mean-" + UUID.randomUUID().toString().substring(0, 8);
        fx.startMerger(avg, Map.of());
        List<List<NamedTensor>> members = new ArrayList<>();
        for (int i = 1; i <= 5; i++) {
            long seed = 100 + i;
            String uri = fx.putModel(avg, "job-" + i, dir -> TinyModels.member(dir, seed));
            members.add(TinyModels.memberTensors(seed));
            fx.sendCheckpoint(avg, "job-" + i, uri, 0.8 + i / 100.0);
        }
        List<WarmModelPublished> versions = fx.awaitVersions(avg, 5);
        assertEquals(5, versions.size());
        for (int i = 0; i < 5; i++) {
            WarmModelPublished v = versions.get(i);
            assertEquals(i + 1, v.getVersion());
            assertEquals(i + 1, v.getMemberCount());
            assertEquals(i + 1, v.getFolds());
            assertEquals("UNIFORM", v.getStrategy());
            assertEquals(TinyModels.lineage().id(), v.getLineage());
            assertEquals(fx.store.uriOf("averages/" + avg + "/v" + (i + 1)).toString(), v.getUri());
            assertNull(v.getValidationAccuracy(), "guard off: no held-out accuracy");
            assertNull(v.getRollbackOf());
        }
        WarmModelPublished last = versions.get(4);
        assertEquals(List.of("job-1", "job-2", "job-3", "job-4", "job-5"),
                last.getMembers().stream().map(Member::getJobId).toList());
        assertEquals(0.83, last.getMembers().get(2).getValidationAccuracy(), 1e-12);
        assertTrue(last.getMembers().stream().allMatch(m -> m.getWeight() == 1.0));
        assertEquals(List.of(5L, 4L, 3L, 2L, 1L), last.getKept().stream().map(k -> k.getVersion()).toList());
        Tensors.assertBatchMean(last.getUri(), members);
        assertEquals(last.getSha256(), Tensors.load(last.getUri()).sha256());

        // A redone job: the same job id again is recorded, not folded twice.
        String again = fx.putModel(avg, "job-3-redo", dir -> TinyModels.member(dir, 103));
        fx.sendCheckpoint(avg, "job-3", again, 0.83);
        CheckpointRejected dup = fx.awaitRejections(avg, 1).get(0);
        assertEquals("ALREADY_MEMBER", dup.getReasonCode());
        assertEquals("job-3", dup.getJobId());
        assertEquals(5L, dup.getKeptVersion());
        assertEquals(5, fx.versions(avg).size());
    }

    /** The stored candidate is what scorers load ahead; it must be the published weights, signed, and one at a time. */
    @Test
    void eachCandidateIsStoredAndAnnouncedBeforeItsVersionIsPublishedAndOnlyTheNewestStays() throws Exception {
        String avg = "staged-" + UUID.randomUUID().toString().substring(0, 8);
        fx.startMerger(avg, Map.of("warm.merger.guard.enabled", true)); // held-out checks to stage for (no labels: skipped)
        for (int i = 1; i <= 2; i++) {
            long seed = 200 + i;
            fx.sendCheckpoint(avg, "job-" + i, fx.putModel(avg, "job-" + i, dir -> TinyModels.member(dir, seed)), 0.8);
        }
        List<WarmModelPublished> versions = fx.awaitVersions(avg, 2);
        List<ModelCandidate> candidates = fx.read(Topics.MODEL_CANDIDATES, ModelCandidate.class, avg,
                l -> l.size() >= 2, MergerFixture.WAIT);
        assertEquals(2, candidates.size());
        for (int i = 0; i < 2; i++) {
            ModelCandidate c = candidates.get(i);
            WarmModelPublished v = versions.get(i);
            assertEquals(v.getVersion(), c.getVersion());
            assertEquals(v.getSha256(), c.getSha256(), "the candidate's weights are the version's");
            assertEquals(fx.store.root().resolve("averages/" + avg + "/candidates/v" + (i + 1)),
                    Path.of(URI.create(c.getUri())));
        }
        Path newest = Path.of(URI.create(candidates.get(1).getUri()));
        Path older = Path.of(URI.create(candidates.get(0).getUri()));
        Await.until("the older candidate to leave the store", MergerFixture.WAIT, Duration.ofMillis(100),
                () -> !Files.exists(older));
        assertEquals(versions.get(1).getSha256(), ModelDirectory.verify(newest).weightsSha256(),
                "the staged directory verifies against its own manifest");
    }

    @Test
    void withStagingOffOrNoHeldOutChecksNoCandidateIsAnnounced() throws Exception {
        String off = "unstaged-" + UUID.randomUUID().toString().substring(0, 8);
        fx.startMerger(off, Map.of("warm.merger.stage-candidates", false, "warm.merger.guard.enabled", true));
        String unchecked = "unchecked-" + UUID.randomUUID().toString().substring(0, 8);
        fx.startMerger(unchecked, Map.of()); // guard and gate off: published right after the fold
        for (String avg : List.of(off, unchecked)) {
            fx.sendCheckpoint(avg, "job-1", fx.putModel(avg, "job-1", dir -> TinyModels.member(dir, 301)), 0.8);
            fx.awaitVersions(avg, 1);
            assertEquals(List.of(), fx.read(Topics.MODEL_CANDIDATES, ModelCandidate.class, avg, l -> true,
                    Duration.ZERO));
            assertTrue(!Files.exists(fx.store.root().resolve("averages").resolve(avg).resolve("candidates")));
        }
    }

    @Test
    void rejectsBadCheckpointsWithTheirReasonAndFoldsTheGoodOnes() throws Exception {
        String avg = "bad-" + UUID.randomUUID().toString().substring(0, 8);
        fx.startMerger(avg, Map.of());
        String good1 = fx.putModel(avg, "good-1", dir -> TinyModels.member(dir, 1));
        fx.sendCheckpoint(avg, "good-1", good1, 0.9);

        String corrupted = fx.putModel(avg, "corrupted", dir -> {
            TinyModels.member(dir, 2);
            try {
                TinyModels.corrupt(dir);
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        fx.sendCheckpoint(avg, "corrupted", corrupted, 0.9);
        String missing = fx.store.uriOf("checkpoints/" + avg + "/never-written").toString();
        fx.sendCheckpoint(avg, "missing", missing, "0".repeat(64), TinyModels.lineage().id(), 0.9);
        String otherLineage = fx.putModel(avg, "other-lineage", dir -> TinyModels.otherLineage(dir, 3));
        fx.sendCheckpoint(avg, "other-lineage", otherLineage, 0.9);
        String lyingLineage = fx.putModel(avg, "lying-lineage", dir -> TinyModels.otherLineage(dir, 4));
        fx.sendCheckpoint(avg, "lying-lineage", lyingLineage, sha(lyingLineage), TinyModels.lineage().id(), 0.9);
        String otherShape = fx.putModel(avg, "other-shape", TinyModels::otherShape);
        fx.sendCheckpoint(avg, "other-shape", otherShape, 0.9);
        String nan = fx.putModel(avg, "nan", dir -> TinyModels.withNaN(dir, 5, "bert.encoder.layer.1.output.dense.weight"));
        fx.sendCheckpoint(avg, "nan", nan, 0.9);
        String weak = fx.putModel(avg, "weak", dir -> TinyModels.member(dir, 6));
        fx.sendCheckpoint(avg, "weak", weak, 0.31);
        fx.sendRaw(avg, "not avro".getBytes(StandardCharsets.UTF_8));
        String good2 = fx.putModel(avg, "good-2", dir -> TinyModels.member(dir, 7));
        fx.sendCheckpoint(avg, "good-2", good2, 0.9);
        // No label of this job was held out: accuracy unknown (NaN), not low; it is folded.
        String unknown = fx.putModel(avg, "no-holdout", dir -> TinyModels.member(dir, 8));
        fx.sendCheckpoint(avg, "no-holdout", unknown, sha(unknown), TinyModels.lineage().id(), Double.NaN, 0);

        List<WarmModelPublished> versions = fx.awaitVersions(avg, 3);
        List<CheckpointRejected> rejected = fx.awaitRejections(avg, 8);
        assertEquals(List.of("corrupted", "missing", "other-lineage", "lying-lineage", "other-shape", "nan", "weak"),
                rejected.subList(0, 7).stream().map(CheckpointRejected::getJobId).toList());
        assertEquals(List.of("HASH_MISMATCH", "UNREADABLE", "LINEAGE_MISMATCH", "LINEAGE_MISMATCH", "SHAPE_MISMATCH",
                        "NON_FINITE", "LOW_ACCURACY", "UNDECODABLE"),
                rejected.stream().map(CheckpointRejected::getReasonCode).toList());
        for (CheckpointRejected r : rejected) {
            assertEquals(1L, r.getKeptVersion(), r.toString());
        }
        assertTrue(rejected.get(4).getDetail().contains("tensor bert.embeddings.word_embeddings.weight"),
                rejected.get(4).getDetail());
        assertTrue(rejected.get(5).getDetail().contains("tensor bert.encoder.layer.1.output.dense.weight contains NaN at index 3"),
                rejected.get(5).getDetail());
        assertTrue(rejected.get(0).getDetail().contains("sha256"), rejected.get(0).getDetail());

        assertEquals(3, versions.size());
        WarmModelPublished last = versions.get(2);
        assertEquals(List.of("good-1", "good-2", "no-holdout"), last.getMembers().stream().map(Member::getJobId).toList());
        assertTrue(Double.isNaN(last.getMembers().get(2).getValidationAccuracy()));
        Tensors.assertBatchMean(last.getUri(), List.of(TinyModels.memberTensors(1), TinyModels.memberTensors(7),
                TinyModels.memberTensors(8)));
    }

    private static String sha(String uri) {
        return io.warmstream.model.weights.ModelDirectory.readManifest(Path.of(java.net.URI.create(uri))).weightsSha256();
    }
}
