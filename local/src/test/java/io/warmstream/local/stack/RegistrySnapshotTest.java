package io.warmstream.local.stack;

import io.warmstream.embedded.EmbeddedRegistry;
import io.warmstream.events.PreferenceLabel;
import io.warmstream.schemas.EventSerdes;
import io.warmstream.schemas.SchemaRegistration;
import io.warmstream.schemas.Topics;
import org.apache.avro.Schema;
import org.apache.avro.SchemaBuilder;
import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A record written while one registry process ran must still decode after the stack restarts with a new
 * (in-memory) registry process: the snapshot carries the schema ids over.
 */
class RegistrySnapshotTest {

    @Test
    void recordsWrittenBeforeARegistryRestartStillDecode() throws Exception {
        Path file = Files.createTempDirectory("registry-snapshot").resolve("schemas.zip");
        PreferenceLabel label = PreferenceLabel.newBuilder().setId("l-1").setPrompt("Summarise: the cat sat.")
                .setChosen("A cat sat.").setRejected("Dogs ran.").setLabeller("ai").setSource("test")
                .setCreatedAt(Instant.ofEpochMilli(1_700_000_000_000L)).setMetadata(Map.of("k", "v")).build();
        byte[] bytes;
        int writtenId;
        try (EmbeddedRegistry first = EmbeddedRegistry.start()) {
            // Something registered before the catalogue (an older schema, another tool) shifts every id: a fresh
            // registry that re-registers only today's catalogue would hand out different ids.
            Schema other = SchemaBuilder.record("Unrelated").namespace("x").fields().requiredInt("n").endRecord();
            assertEquals(1, SchemaRegistration.register(first.ccompatUrl(), "unrelated-value", other));
            SchemaRegistration.registerAll(first.ccompatUrl(), Topics.all());
            bytes = EventSerdes.forRegistry(first.ccompatUrl()).valueSerializer(PreferenceLabel.class)
                    .serialize(Topics.PREFERENCES, label);
            writtenId = ByteBuffer.wrap(bytes, 1, 4).getInt();
            assertNotEquals(1, writtenId, "the label's schema id must be one a fresh registry would give another schema");
            new RegistrySnapshot(first.apicurioUrl()).save(file);
        }
        assertTrue(Files.size(file) > 0);

        try (EmbeddedRegistry second = EmbeddedRegistry.start()) {
            RegistrySnapshot snapshot = new RegistrySnapshot(second.apicurioUrl());
            assertTrue(snapshot.restore(file));
            // What the stack does next on every start: register the catalogue again (idempotent).
            Map<String, Integer> ids = SchemaRegistration.registerAll(second.ccompatUrl(), Topics.all());
            assertEquals(writtenId, ids.get(Topics.spec(Topics.PREFERENCES).valueSubject()));
            PreferenceLabel decoded = EventSerdes.forRegistry(second.ccompatUrl()).valueDeserializer(PreferenceLabel.class)
                    .deserialize(Topics.PREFERENCES, bytes);
            assertEquals(label, decoded);
            // A schema registered after the restore gets a new id, not one of the restored ones.
            Schema later = SchemaBuilder.record("Later").namespace("x").fields().requiredString("s").endRecord();
            int laterId = SchemaRegistration.register(second.ccompatUrl(), "later-value", later);
            assertFalse(ids.containsValue(laterId));
            assertNotEquals(1, laterId);
        }
    }

    @Test
    void noSnapshotMeansNothingToRestore() throws Exception {
        Path missing = Files.createTempDirectory("registry-snapshot").resolve("schemas.zip");
        assertFalse(new RegistrySnapshot("http://127.0.0.1:9/apis/registry/v2").restore(missing));
    }
}
