package io.warmstream.merger;

import com.fasterxml.jackson.databind.JsonNode;
import io.micronaut.runtime.server.EmbeddedServer;
import io.warmstream.events.CheckpointRejected;
import io.warmstream.events.KeptVersion;
import io.warmstream.events.Member;
import io.warmstream.events.WarmModelPublished;
import io.warmstream.testkit.TinyModels;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The admin API on a real merger: state, version history, rollback (a kept version republished as a new one),
 * JSON errors, pause and resume, and retention of the newest K versions (a rollback target's directory stays while
 * a rollback to it is kept).
 */
class AdminApiTest extends MergerFixture.PerTestClass {

    @Test
    void rollbackPauseResumeAndRetention() throws Exception {
        String avg = "admin-" + UUID.randomUUID().toString().substring(0, 8);
        EmbeddedServer server = fx.startMerger(avg, Map.of("warm.merger.retention.keep-versions", 3));
        for (int i = 1; i <= 4; i++) {
            send(avg, i);
        }
        List<WarmModelPublished> versions = fx.awaitVersions(avg, 4);
        String v2Uri = versions.get(1).getUri();
        String v2Sha = versions.get(1).getSha256();
        fx.awaitState(server, s -> s.path("version").asLong() == 4);
        assertFalse(Files.exists(versionDir(avg, 1)), "v1 left the newest 3 and was deleted");
        assertTrue(Files.isDirectory(versionDir(avg, 2)));

        JsonNode history = fx.get(server, "/v1/merger/versions");
        assertEquals(4, history.path("current").asLong());
        assertEquals(List.of(4L, 3L, 2L), longs(history.path("versions"), "version"));
        assertTrue(history.path("versions").get(0).path("current").asBoolean());

        HttpResponse<String> unknown = fx.post(server, "/v1/merger/rollback/1");
        assertEquals(404, unknown.statusCode());
        JsonNode body = MergerFixture.JSON.readTree(unknown.body());
        assertEquals("unknown_version", body.path("error").asText());
        assertEquals(1, body.path("version").asLong());
        assertTrue(body.path("message").asText().contains("version 1 of average " + avg + " is not kept"), unknown.body());
        assertTrue(unknown.headers().firstValue("Content-Type").orElse("").startsWith("application/json"));
        HttpResponse<String> bad = fx.post(server, "/v1/merger/rollback/two");
        assertEquals(400, bad.statusCode());
        assertEquals("bad_version", MergerFixture.JSON.readTree(bad.body()).path("error").asText());
        HttpResponse<String> current = fx.post(server, "/v1/merger/rollback/4");
        assertEquals(409, current.statusCode());
        assertEquals("already_current", MergerFixture.JSON.readTree(current.body()).path("error").asText());

        HttpResponse<String> rolled = fx.post(server, "/v1/merger/rollback/2");
        assertEquals(200, rolled.statusCode(), rolled.body());
        JsonNode afterRollback = MergerFixture.JSON.readTree(rolled.body());
        assertEquals(5, afterRollback.path("version").asLong());
        assertEquals(2, afterRollback.path("rollbackOf").asLong());
        WarmModelPublished v5 = fx.awaitVersions(avg, 5).get(4);
        assertEquals(5, v5.getVersion());
        assertEquals(2L, v5.getRollbackOf());
        assertEquals(v2Uri, v5.getUri());
        assertEquals(v2Sha, v5.getSha256());
        assertEquals(List.of("job-1", "job-2"), jobs(v5));
        assertEquals(List.of(5L, 4L, 3L), v5.getKept().stream().map(KeptVersion::getVersion).toList());
        assertTrue(Files.isDirectory(versionDir(avg, 2)), "v5 republishes v2's directory: it stays");

        // Folding goes on from the rolled-back version; the members it dropped are never folded again.
        send(avg, 5);
        WarmModelPublished v6 = fx.awaitVersions(avg, 6).get(5);
        assertEquals(List.of("job-1", "job-2", "job-5"), jobs(v6));
        assertEquals(List.of("job-3", "job-4"), v6.getFormerMemberJobIds());
        Tensors.assertBatchMean(v6.getUri(), List.of(TinyModels.memberTensors(1), TinyModels.memberTensors(2),
                TinyModels.memberTensors(5)));
        fx.sendCheckpoint(avg, "job-3", modelUri(avg, 3), 0.9);
        CheckpointRejected redo = fx.awaitRejections(avg, 1).get(0);
        assertEquals("ALREADY_MEMBER", redo.getReasonCode());
        assertTrue(redo.getDetail().contains("no longer a member"), redo.getDetail());
        fx.awaitState(server, s -> s.path("checkpointsRejected").asLong() == 1);
        assertFalse(Files.exists(versionDir(avg, 3)), "v3 left the newest 3");
        assertTrue(Files.isDirectory(versionDir(avg, 2)), "still used by kept v5");

        // Pause: the checkpoint waits on the topic; resume: it is folded.
        JsonNode paused = MergerFixture.JSON.readTree(fx.post(server, "/v1/merger/pause").body());
        assertTrue(paused.path("paused").asBoolean());
        send(avg, 6);
        MergerFixture.sleep(2000);
        assertEquals(6, fx.versions(avg).size(), "nothing folded while paused");
        assertEquals("ACTIVE", fx.get(server, "/v1/merger/state").path("role").asText());
        JsonNode resumed = MergerFixture.JSON.readTree(fx.post(server, "/v1/merger/resume").body());
        assertFalse(resumed.path("paused").asBoolean());
        WarmModelPublished v7 = fx.awaitVersions(avg, 7).get(6);
        assertEquals(List.of("job-1", "job-2", "job-5", "job-6"), jobs(v7));

        JsonNode state = fx.awaitState(server, s -> s.path("version").asLong() == 7);
        assertEquals(4, state.path("memberCount").asInt());
        assertEquals("UNIFORM", state.path("strategy").asText());
        assertEquals("job-6", state.path("members").get(3).path("jobId").asText());
        JsonNode health = fx.get(server, "/health");
        assertEquals("UP", health.path("status").asText(), health.toString());
        String metrics = fx.http.send(java.net.http.HttpRequest.newBuilder(URI.create(server.getURL() + "/prometheus"))
                .GET().build(), HttpResponse.BodyHandlers.ofString()).body();
        assertTrue(metrics.contains("warm_merger_version 7.0"), metrics);
        assertTrue(metrics.contains("warm_merger_checkpoints_rejected_total{reason=\"ALREADY_MEMBER\"} 1.0"), metrics);
    }

    private void send(String avg, int i) throws Exception {
        String uri = fx.putModel(avg, "job-" + i, dir -> TinyModels.member(dir, i));
        fx.sendCheckpoint(avg, "job-" + i, uri, 0.9);
    }

    private String modelUri(String avg, int i) {
        return fx.store.root().resolve("checkpoints").resolve(avg).resolve("job-" + i).toUri().toString();
    }

    private Path versionDir(String avg, long v) {
        return fx.store.root().resolve("averages").resolve(avg).resolve("v" + v);
    }

    private static List<String> jobs(WarmModelPublished v) {
        return v.getMembers().stream().map(Member::getJobId).toList();
    }

    private static List<Long> longs(JsonNode array, String field) {
        List<Long> out = new ArrayList<>();
        array.forEach(n -> out.add(n.path(field).asLong()));
        return out;
    }
}
