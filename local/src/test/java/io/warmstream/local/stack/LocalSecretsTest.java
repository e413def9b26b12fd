package io.warmstream.local.stack;

import io.warmstream.security.Roles;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Base64;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
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
        assertTrue(first.signingKeyCreated(), "the first start makes the model signing key");
        assertFalse(second.signingKeyCreated(), "the next ones keep it");
        assertEquals(Files.readString(first.modelSigningKeyFile()), Files.readString(second.modelSigningKeyFile()));
        assertEquals(32, Base64.getDecoder().decode(Files.readString(first.modelSigningKeyFile()).strip()).length);
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(first.modelSigningKeyFile())));
        assertEquals(first.modelSigningKeyFile(), LocalSecrets.existingModelSigningKeyFile(dataDir).orElseThrow());
        LocalSecrets other = LocalSecrets.loadOrCreate(Files.createTempDirectory("warm-data-2"));
        assertNotEquals(Files.readString(first.modelSigningKeyFile()), Files.readString(other.modelSigningKeyFile()));
        assertNotEquals(first.holdoutSalt(), other.holdoutSalt());
        assertNotEquals(first.key(Roles.READER), other.key(Roles.READER));
    }
}
