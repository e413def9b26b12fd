package io.warmstream.merger;

import com.fasterxml.jackson.databind.JsonNode;
import io.micronaut.runtime.server.EmbeddedServer;
import io.warmstream.embedded.EmbeddedInfraExtension;
import io.warmstream.embedded.EmbeddedKafka;
import io.warmstream.embedded.EmbeddedRegistry;
import io.warmstream.events.CheckpointRejected;
import io.warmstream.events.Member;
import io.warmstream.events.WarmModelPublished;
import io.warmstream.model.store.ManifestSignature;
import io.warmstream.model.store.ModelSigner;
import io.warmstream.model.store.ModelSigningKeys;
import io.warmstream.model.weights.ModelDirectory;
import io.warmstream.model.weights.Sha256;
import io.warmstream.testkit.TinyModels;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Issue 15's forged manifest against the real merger (embedded broker and registry): with a signing key configured,
 * a checkpoint whose tokenizer was swapped and whose manifest hash was rewritten, one signed with another key and an
 * unsigned one are rejected as SIGNATURE_MISMATCH on warm.checkpoints.rejected, while signed ones fold and the
 * versions the merger writes are signed.
 */
@ExtendWith(EmbeddedInfraExtension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ModelSigningIntegrationTest {

    private static final byte[] KEY = key(11);
    private static final byte[] OTHER_KEY = key(12);

    private MergerFixture fx;
    private Path keyFile;

    @BeforeAll
    void start(EmbeddedKafka kafka, EmbeddedRegistry registry) throws Exception {
        fx = new MergerFixture(kafka, registry);
        keyFile = Files.writeString(fx.root.resolve("model-signing-key"), Base64.getEncoder().encodeToString(KEY) + "\n");
    }

    @AfterAll
    void stop() {
        if (fx != null) fx.close();
    }

    @Test
    void forgedForeignAndUnsignedCheckpointsAreRejectedSignedOnesFold() throws Exception {
        String avg = "signed-" + UUID.randomUUID().toString().substring(0, 8);
        EmbeddedServer merger = fx.startMerger(avg, Map.of(ModelSigningKeys.SETTING, keyFile.toString()));
        ModelSigner mine = new ModelSigner(ModelSigningKeys.of(KEY));

        fx.sendCheckpoint(avg, "good-1", signed(avg, "good-1", 201, mine), 0.8);
        WarmModelPublished v1 = fx.awaitVersions(avg, 1).get(0);

        String forged = signed(avg, "forged", 202, mine);
        forgeTokenizer(Path.of(URI.create(forged)));
        fx.sendCheckpoint(avg, "forged", forged, 0.8);
        fx.sendCheckpoint(avg, "foreign", signed(avg, "foreign", 203, new ModelSigner(ModelSigningKeys.of(OTHER_KEY))), 0.8);
        fx.sendCheckpoint(avg, "unsigned", fx.putModel(avg, "unsigned", dir -> TinyModels.member(dir, 204)), 0.8);
        fx.sendCheckpoint(avg, "good-2", signed(avg, "good-2", 205, mine), 0.8);

        List<CheckpointRejected> rejected = fx.awaitRejections(avg, 3);
        assertEquals(List.of("forged", "foreign", "unsigned"), rejected.stream().map(CheckpointRejected::getJobId).toList());
        for (CheckpointRejected r : rejected) {
            assertEquals("SIGNATURE_MISMATCH", r.getReasonCode(), r.getDetail());
            assertEquals(1L, r.getKeptVersion(), "version 1 stays current");
        }
        Path forgedManifest = Path.of(URI.create(forged)).resolve(ModelDirectory.MANIFEST_FILE);
        assertTrue(rejected.get(0).getDetail().startsWith(forgedManifest + ": signature check failed: altered after signing"),
                rejected.get(0).getDetail());
        assertTrue(rejected.get(1).getDetail().contains("signed with key " + ModelSigningKeys.of(OTHER_KEY).signing().id()
                + ", which is not one of the keys accepted here"), rejected.get(1).getDetail());
        assertTrue(rejected.get(2).getDetail().contains("warmstream.json: not signed"), rejected.get(2).getDetail());

        WarmModelPublished v2 = fx.awaitVersions(avg, 2).get(1);
        assertEquals(List.of("good-1", "good-2"), v2.getMembers().stream().map(Member::getJobId).toList());
        for (WarmModelPublished v : List.of(v1, v2)) { // the merger signs what it writes, sidecar included
            Path dir = Path.of(URI.create(v.getUri()));
            assertEquals(v.getSha256(), mine.verify(dir).weightsSha256());
            assertTrue(Files.readString(dir.resolve(ManifestSignature.FILE)).contains("warm-average.json"));
        }

        // A rollback reads the members from v1's warm-average.json: altered in the store, it is refused.
        Path sidecar = Path.of(URI.create(v1.getUri())).resolve("warm-average.json");
        Files.writeString(sidecar, Files.readString(sidecar).replace("good-1", "evil-1"));
        var rollback = fx.post(merger, "/v1/merger/rollback/1");
        assertEquals(409, rollback.statusCode(), rollback.body());
        JsonNode refused = MergerFixture.JSON.readTree(rollback.body());
        assertEquals("invalid_version", refused.path("error").asText(), rollback.body());
        assertTrue(refused.path("message").asText().contains(sidecar + ": signature check failed: altered after signing"),
                rollback.body());
        assertEquals(2, fx.versions(avg).size(), "nothing republished");

        JsonNode health = fx.get(merger, "/health");
        assertEquals(ModelSigningKeys.of(KEY).describe(),
                health.path("details").path("merger").path("details").path("modelDirectories").asText(), health.toString());
    }

    @Test
    void withoutAKeyUnsignedCheckpointsFoldAndHealthSaysSo() throws Exception {
        String avg = "unsigned-" + UUID.randomUUID().toString().substring(0, 8);
        EmbeddedServer merger = fx.startMerger(avg, Map.of());
        fx.sendCheckpoint(avg, "plain", fx.putModel(avg, "plain", dir -> TinyModels.member(dir, 301)), 0.8);
        WarmModelPublished v1 = fx.awaitVersions(avg, 1).get(0);
        assertTrue(Files.notExists(Path.of(URI.create(v1.getUri())).resolve(ManifestSignature.FILE)), "nothing signed");
        String detail = fx.get(merger, "/health").path("details").path("merger").path("details")
                .path("modelDirectories").asText();
        assertTrue(detail.startsWith("UNAUTHENTICATED"), detail);
    }

    private String signed(String avg, String job, long seed, ModelSigner signer) {
        return fx.putModel(avg, job, dir -> {
            TinyModels.member(dir, seed);
            signer.sign(dir);
        });
    }

    /** The forgery: another tokenizer, its hash rewritten in warmstream.json, so every hash matches. */
    static void forgeTokenizer(Path dir) {
        try {
            Path tokenizer = dir.resolve(ModelDirectory.TOKENIZER_FILE);
            String old = Sha256.ofFile(tokenizer);
            Files.writeString(tokenizer, Files.readString(tokenizer).replaceFirst("\\{", "{\"warm-forgery\":true,"));
            Path manifest = dir.resolve(ModelDirectory.MANIFEST_FILE);
            Files.writeString(manifest, Files.readString(manifest).replace(old, Sha256.ofFile(tokenizer)));
            ModelDirectory.verify(dir); // passes every hash check: only the signature can tell
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static byte[] key(int seed) {
        byte[] b = new byte[32];
        Arrays.fill(b, (byte) seed);
        return b;
    }
}
