package io.warmstream.scorer.serving;

import io.warmstream.model.store.CheckpointStore;
import io.warmstream.model.store.FileSystemCheckpointStore;
import io.warmstream.model.store.ModelSigningKeys;
import io.warmstream.model.store.SignedCheckpointStore;
import io.warmstream.model.weights.ModelDirectory;
import io.warmstream.model.weights.ModelManifest;
import io.warmstream.scorer.onnx.OnnxRewardFunction;
import io.warmstream.testkit.TinyModels;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * A candidate loaded from its staged directory serves its published version only when that directory passes every
 * check a load makes (signature, promised weights) and its signed manifest records the very files the candidate's did.
 */
class StoreModelLoaderAdoptTest {

    @TempDir
    Path tmp;

    @Test
    void theStagedCandidateServesItsPublishedVersionOnlyWhenThePublishedDirectoryVouchesForTheSameFiles() throws Exception {
        CheckpointStore store = SignedCheckpointStore.of(new FileSystemCheckpointStore(tmp.resolve("store")),
                ModelSigningKeys.of("a signing key of 32 bytes or more".getBytes(StandardCharsets.UTF_8)));
        Path candidate = tmp.resolve("candidate");
        TinyModels.member(candidate, 3);
        String sha = ModelDirectory.readManifest(candidate).weightsSha256();
        URI staged = store.put("averages/default/candidates/v2", candidate);
        // The published directory is the candidate plus the merger's sidecar, signed again.
        Files.writeString(candidate.resolve("warm-average.json"), "{\"version\":2}");
        URI published = store.put("averages/default/v2", candidate);

        StoreModelLoader loader = new StoreModelLoader(store, ScoringBackend.onnx(OnnxRewardFunction.Settings.DEFAULT));
        ModelLoader.Preloaded ahead = loader.preload(staged, sha);
        try (RewardFunction direct = loader.load(published, sha)) {
            assertSame(ahead.function(), loader.adopt(published, sha, ahead));
            assertArrayEquals(direct.score(List.of("a prompt"), List.of("a response")),
                    ahead.function().score(List.of("a prompt"), List.of("a response")), 1e-6f);

            ModelManifest m = ahead.manifest();
            Map<String, String> otherTokenizer = new HashMap<>(m.fileSha256());
            otherTokenizer.put(ModelDirectory.TOKENIZER_FILE, "0".repeat(64));
            ModelLoader.Preloaded otherFiles = new ModelLoader.Preloaded(ahead.function(), new ModelManifest(
                    m.formatVersion(), m.lineage(), m.weightsSha256(), m.weightsBytes(), otherTokenizer, m.facts(),
                    m.merge()));
            assertNull(loader.adopt(published, sha, otherFiles), "other files recorded: loaded, not adopted");

            LoadException promise = assertThrows(LoadException.class, () -> loader.adopt(published, "f".repeat(64), ahead));
            assertEquals("verify", promise.stage());
            Path dir = store.fetch(published);
            Files.writeString(dir.resolve("warm-average.json"), "{\"version\":3}"); // after signing: a forgery
            LoadException forged = assertThrows(LoadException.class, () -> loader.adopt(published, sha, ahead));
            assertEquals("verify", forged.stage());
        } finally {
            ahead.function().close();
        }
    }
}
