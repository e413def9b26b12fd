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

    /** A put killed mid-copy (or between its two renames) leaves temporaries; redoing that put removes them, only them. */
    @Test
    void aRedonePutRemovesWhatACrashedPutOfTheSameKeyLeft() throws Exception {
        CheckpointStore store = CheckpointStore.open(tmp.resolve("store").toString());
        Path parent = Files.createDirectories(tmp.resolve("store/averages/default"));
        String uuid = "0b0e4a52-8a47-4a57-a1c1-5b2f4e9c1d11";
        Path crashedCopy = Files.createDirectories(parent.resolve(".tmp-v2-" + uuid));
        Files.writeString(crashedCopy.resolve("model.safetensors"), "half");
        Path crashedReplace = Files.createDirectories(parent.resolve(".tmp-old-v2-" + uuid));
        Path otherKeys = Files.createDirectories(parent.resolve(".tmp-v20-" + uuid));
        Path notOurs = Files.createDirectories(parent.resolve(".tmp-v2-" + uuid + "-x"));

        store.put("averages/default/v2", modelDir("v2", "whole"));

        assertFalse(Files.exists(crashedCopy));
        assertFalse(Files.exists(crashedReplace));
        assertTrue(Files.isDirectory(otherKeys), "v20's temporaries are v20's put's business");
        assertTrue(Files.isDirectory(notOurs), "only <name>-<uuid> is a temporary of this key");
        assertEquals("whole", Files.readString(store.fetch(store.uriOf("averages/default/v2")).resolve("model.safetensors")));
    }

    /** "Absent" is the model's fault only in a store that can be seen into; otherwise it is an outage. */
    @Test
    void aStoreThatCannotBeSeenIntoIsAnOutageNotAMissingModel() throws Exception {
        Path root = tmp.resolve("store");
        CheckpointStore store = CheckpointStore.open(root.toString());
        URI uri = store.put("checkpoints/default/job-1", modelDir("a", "first"));
        URI missing = store.uriOf("checkpoints/default/job-2");
        UncheckedIOException absent = assertThrows(UncheckedIOException.class, () -> store.fetch(missing));
        assertFalse(StoreUnavailableException.isCause(absent), "absent from a reachable store: the model's fault");

        Files.move(root, tmp.resolve("store.away")); // the volume is unmounted: a file is left at its mount point
        Files.writeString(root, "not mounted");
        assertTrue(StoreUnavailableException.isCause(assertThrows(UncheckedIOException.class, () -> store.fetch(uri))));
        assertThrows(StoreUnavailableException.class, () -> store.requireReachable(missing));
        assertThrows(StoreUnavailableException.class, () -> store.put("checkpoints/default/job-3", modelDir("c", "x")));

        Files.delete(root);
        assertThrows(StoreUnavailableException.class, () -> store.put("checkpoints/default/job-3", modelDir("d", "x")));
        assertFalse(Files.exists(root), "a vanished root is not recreated under the mount point");
        Files.move(tmp.resolve("store.away"), root);
        store.requireReachable(missing);
        assertEquals("first", Files.readString(store.fetch(uri).resolve("model.safetensors")));
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
