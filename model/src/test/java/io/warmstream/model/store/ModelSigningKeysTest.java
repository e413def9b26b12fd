package io.warmstream.model.store;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ModelSigningKeysTest {

    @TempDir
    Path tmp;

    @Test
    void readsKeysInOrderFirstSigns() throws IOException {
        byte[] a = ModelSignerTest.bytes(1);
        byte[] b = ModelSignerTest.bytes(2);
        Path file = Files.writeString(tmp.resolve("keys"), "# newest first\n" + Base64.getEncoder().encodeToString(a)
                + "\n\n" + Base64.getUrlEncoder().withoutPadding().encodeToString(b) + "\n");
        ModelSigningKeys keys = ModelSigningKeys.load(file);
        assertTrue(keys.enabled());
        assertArrayEquals(a, keys.signing().secret());
        assertEquals(2, keys.ids().size());
        assertEquals(ModelSigningKeys.of(b).signing().id(), keys.ids().get(1));
        assertNotEquals(keys.ids().get(0), keys.ids().get(1));
        assertTrue(keys.ids().get(0).matches("[0-9a-f]{16}"));
        assertFalse(keys.toString().contains(Base64.getEncoder().encodeToString(a)), "never prints a key");
    }

    @Test
    void badFilesAreRefusedNamingTheLine() throws IOException {
        Path shortKey = Files.writeString(tmp.resolve("short"), "# c\n" + Base64.getEncoder().encodeToString(new byte[16]));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ModelSigningKeys.load(shortKey));
        assertEquals(shortKey + " line 2: a model signing key needs at least 32 bytes, this one has 16", e.getMessage());
        Path junk = Files.writeString(tmp.resolve("junk"), "not base64 at all!\n");
        e = assertThrows(IllegalArgumentException.class, () -> ModelSigningKeys.load(junk));
        assertEquals(junk + " line 1: not a base64 key", e.getMessage());
        Path empty = Files.writeString(tmp.resolve("empty"), "# nothing\n");
        e = assertThrows(IllegalArgumentException.class, () -> ModelSigningKeys.load(empty));
        assertTrue(e.getMessage().contains("holds no key"), e.getMessage());
    }

    @Test
    void blankSettingMeansUnauthenticated() {
        ModelSigningKeys keys = ModelSigningKeys.fromSetting("  ", "test");
        assertFalse(keys.enabled());
        assertTrue(keys.describe().startsWith("UNAUTHENTICATED"), keys.describe());
    }
}
