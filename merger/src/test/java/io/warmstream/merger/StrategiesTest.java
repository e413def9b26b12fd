package io.warmstream.merger;

import io.warmstream.events.CheckpointRejected;
import io.warmstream.events.Member;
import io.warmstream.events.WarmModelPublished;
import io.warmstream.model.weights.ModelDirectory;
import io.warmstream.model.weights.ModelManifest;
import io.warmstream.testkit.TinyModels;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** Every merge strategy through the running service: the published weights are what the strategy defines. */
class StrategiesTest extends MergerFixture.PerTestClass {

    @Test
    void slidingWindowAveragesTheNewestKAndNeverRefoldsAnEvictedJob() throws Exception {
        String avg = start("sliding-window", Map.of("warm.merger.window-size", 2));
        for (int i = 1; i <= 4; i++) {
            send(avg, i, 0.9);
        }
        WarmModelPublished v4 = fx.awaitVersions(avg, 4).get(3);
        assertEquals("SLIDING_WINDOW", v4.getStrategy());
        assertEquals(List.of("job-3", "job-4"), jobs(v4));
        assertEquals(4, v4.getFolds());
        assertEquals(List.of("job-1", "job-2"), v4.getFormerMemberJobIds());
        Tensors.assertBatchMean(v4.getUri(), List.of(TinyModels.memberTensors(3), TinyModels.memberTensors(4)));
        fx.sendCheckpoint(avg, "job-1", uri(avg, 1), 0.9);
        CheckpointRejected r = fx.awaitRejections(avg, 1).get(0);
        assertEquals("ALREADY_MEMBER", r.getReasonCode());
    }

    @Test
    void accuracyWeightedMeanWeighsEachMemberByItsAccuracy() throws Exception {
        String avg = start("accuracy-weighted", Map.of());
        double[] acc = {0.6, 0.8, 0.95};
        for (int i = 1; i <= 3; i++) {
            send(avg, i, acc[i - 1]);
        }
        WarmModelPublished v3 = fx.awaitVersions(avg, 3).get(2);
        assertEquals(List.of(0.6, 0.8, 0.95), v3.getMembers().stream().map(Member::getWeight).toList());
        Tensors.assertWeightedMean(v3.getUri(), List.of(TinyModels.memberTensors(1), TinyModels.memberTensors(2),
                TinyModels.memberTensors(3)), acc);
    }

    @Test
    void dataSizeWeightedMeanWeighsEachMemberByItsTrainingLabels() throws Exception {
        String avg = start("data-size-weighted", Map.of());
        int[] labels = {200, 600, 1200};
        for (int n = 1; n <= 3; n++) {
            int i = n;
            String uri = fx.putModel(avg, "job-" + i, dir -> TinyModels.member(dir, i));
            ModelManifest m = ModelDirectory.readManifest(Path.of(URI.create(uri)));
            fx.sendCheckpoint(avg, "job-" + i, uri, m.weightsSha256(), m.lineage().id(), 0.9, 10, labels[i - 1], 0);
        }
        WarmModelPublished v3 = fx.awaitVersions(avg, 3).get(2);
        assertEquals("DATA_SIZE_WEIGHTED", v3.getStrategy());
        assertEquals(List.of(200.0, 600.0, 1200.0), v3.getMembers().stream().map(Member::getWeight).toList());
        Tensors.assertWeightedMean(v3.getUri(), List.of(TinyModels.memberTensors(1), TinyModels.memberTensors(2),
                TinyModels.memberTensors(3)), new double[] {0.1, 0.3, 0.6});
    }

    @Test
    void emaFoldsEachNewMemberWithWeightMu() throws Exception {
        String avg = start("ema", Map.of("warm.merger.ema-mu", 0.25));
        for (int i = 1; i <= 3; i++) {
            send(avg, i, 0.9);
        }
        WarmModelPublished v3 = fx.awaitVersions(avg, 3).get(2);
        // theta = 0.75 * (0.75 * m1 + 0.25 * m2) + 0.25 * m3
        Tensors.assertWeightedMean(v3.getUri(), List.of(TinyModels.memberTensors(1), TinyModels.memberTensors(2),
                TinyModels.memberTensors(3)), new double[] {0.5625, 0.1875, 0.25});
        assertEquals(List.of(1.0, 0.25, 0.25), v3.getMembers().stream().map(Member::getWeight).toList());
    }

    @Test
    void slerpLitiStartsFromTheNamedInitAndPullsTowardIt() throws Exception {
        String avg = start("slerp-liti", Map.of("warm.merger.init-model", "tiny:7", "warm.merger.liti-eta", 0.5));
        send(avg, 1, 0.9);
        send(avg, 2, 0.9);
        List<WarmModelPublished> versions = fx.awaitVersions(avg, 2);
        WarmModelPublished v1 = versions.get(0);
        assertEquals("SLERP_LITI", v1.getStrategy());
        assertEquals(TinyModels.lineage().id(), versions.get(1).getLineage());
        // First version: LITI of one member, (1 - eta) * init + eta * m1; the init is the base itself.
        Tensors.assertWeightedMean(v1.getUri(), List.of(TinyModels.BASE.tensors(), TinyModels.memberTensors(1)),
                new double[] {0.5, 0.5});
        ModelDirectory.verify(Path.of(URI.create(versions.get(1).getUri())));
        assertEquals(List.of("job-1", "job-2"), jobs(versions.get(1)));
    }

    private String start(String strategy, Map<String, Object> extra) {
        String avg = strategy + "-" + UUID.randomUUID().toString().substring(0, 8);
        Map<String, Object> p = new java.util.HashMap<>(extra);
        p.put("warm.merger.strategy", strategy);
        fx.startMerger(avg, p);
        return avg;
    }

    private void send(String avg, int i, double accuracy) throws Exception {
        String uri = fx.putModel(avg, "job-" + i, dir -> TinyModels.member(dir, i));
        fx.sendCheckpoint(avg, "job-" + i, uri, accuracy);
    }

    private String uri(String avg, int i) {
        return fx.store.root().resolve("checkpoints").resolve(avg).resolve("job-" + i).toUri().toString();
    }

    private static List<String> jobs(WarmModelPublished v) {
        return v.getMembers().stream().map(Member::getJobId).toList();
    }
}
