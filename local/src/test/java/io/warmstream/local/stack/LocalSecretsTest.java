package io.warmstream.local.stack;

import io.warmstream.security.Roles;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class LocalSecretsTest {

    @Test
    void madeOnTheFirstStartKeptForTheNextAndDifferentPerDataDirectory() throws Exception {
        Path dataDir = Files.createTempDirectory("warm-data");
        assertTrue(LocalSecrets.existingKey(dataDir, Roles.READER).isEmpty(), "nothing before the first start");
        LocalSecrets first = LocalSecrets.loadOrCreate(dataDir);
        LocalSecrets second = LocalSecrets.loadOrCreate(dataDir);
        assertTrue(first.holdoutSalt().matches("[0-9a-f]{32}"), first.holdoutSalt());
        assertEquals(first.holdoutSalt(), second.holdoutSalt());
        assertEquals(first.key(Roles.ADMIN), second.key(Roles.ADMIN));
        assertEquals(first.key(Roles.LABELLER), LocalSecrets.existingKey(dataDir, Roles.LABELLER).orElseThrow());
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(first.saltFile())));
        LocalSecrets other = LocalSecrets.loadOrCreate(Files.createTempDirectory("warm-data-2"));
        assertNotEquals(first.holdoutSalt(), other.holdoutSalt());
        assertNotEquals(first.key(Roles.READER), other.key(Roles.READER));
    }
}
