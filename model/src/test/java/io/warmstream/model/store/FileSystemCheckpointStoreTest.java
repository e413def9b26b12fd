package io.warmstream.model.store;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class FileSystemCheckpointStoreTest {

    @TempDir
    Path tmp;

    private Path modelDir(String name, String content) throws Exception {
        Path dir = Files.createDirectories(tmp.resolve("src").resolve(name));
        Files.writeString(dir.resolve("model.safetensors"), content);
        Files.writeString(dir.resolve("config.json"), "{}");
        return dir;
    }

    @Test
    void putFetchReplaceDelete() throws Exception {
        CheckpointStore store = CheckpointStore.open(tmp.resolve("store").toString());
        URI uri = store.put("checkpoints/default/job-1", modelDir("a", "first"));
        assertEquals(store.uriOf("checkpoints/default/job-1"), uri);
        assertTrue(store.exists(uri));
        assertEquals("first", Files.readString(store.fetch(uri).resolve("model.safetensors")));

        // A redone job stores again under the same key: the new content replaces the old, whole.
        store.put("checkpoints/default/job-1", modelDir("b", "second"));
        assertEquals("second", Files.readString(store.fetch(uri).resolve("model.safetensors")));
        try (Stream<Path> left = Files.list(tmp.resolve("store/checkpoints/default"))) {
            assertEquals(1, left.count(), "no temporary directories are left behind");
        }

        store.delete(uri);
        assertFalse(store.exists(uri));
        store.delete(uri); // idempotent
        assertThrows(UncheckedIOException.class, () -> store.fetch(uri));
    }

    @Test
    void keysCannotEscapeTheStore() throws Exception {
        CheckpointStore store = CheckpointStore.open("file:" + tmp.resolve("store"));
        Path src = modelDir("a", "x");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> store.put("../outside", src));
        assertTrue(e.getMessage().contains("../outside"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> store.fetch(tmp.resolve("elsewhere").toUri()));
    }

    @Test
    void unknownSchemesAreRefusedByName() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> CheckpointStore.open("ftp://host/x"));
        assertTrue(e.getMessage().contains("ftp://host/x"), e.getMessage());
    }
}
