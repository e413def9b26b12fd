package io.warmstream.security;

import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ApiKeyFileTest {

    @Test
    void aKeyIsFoundByItsHashWithItsNameAndRoles() {
        ApiKeyFile file = ApiKeyFile.parse(List.of("# comment", "", ApiKeyFile.line("ops", "k1", List.of("reader", "admin"))), "keys");
        ApiKeyFile.Entry e = file.find("k1").orElseThrow();
        assertEquals("ops", e.name());
        assertEquals(List.of("reader", "admin"), e.roles());
        assertTrue(file.find("k2").isEmpty());
        assertTrue(file.find("").isEmpty());
        assertEquals("2c26b46b68ffc68ff99b453c1d30413413422d706483bfa0f98a5e886266e7ae", ApiKeyFile.hash("foo"));
    }

    @Test
    void malformedLinesAreRefusedWithTheirNumberAndNeverEchoTheHash() {
        String hash = ApiKeyFile.hash("k");
        assertMessage(List.of("ops " + hash), "keys line 1: expected 'name sha256 roles'");
        assertMessage(List.of("", "ops nothex reader"), "keys line 2: the hash must be 64 hex digits");
        assertMessage(List.of("ops " + hash + " root"), "unknown role 'root'");
        assertMessage(List.of("o/ps " + hash + " reader"), "name 'o/ps'");
        assertMessage(List.of("a " + hash + " reader", "b " + hash + " admin"), "line 2: the same key hash appears twice");
    }

    @Test
    void credentialsAreMadeOnceWithOneKeyPerRoleAndReadBack() throws Exception {
        Path dir = Files.createTempDirectory("creds").resolve("security");
        Credentials made = Credentials.loadOrCreate(dir, "local");
        Credentials again = Credentials.loadOrCreate(dir, "local");
        ApiKeyFile keys = ApiKeyFile.read(made.keysFile());
        assertEquals(Roles.ALL.size(), keys.size());
        for (String role : Roles.ALL) {
            assertEquals(made.key(role), again.key(role), "read back, not made anew");
            assertTrue(made.key(role).startsWith(Credentials.KEY_PREFIX));
            assertEquals(new ApiKeyFile.Entry("local-" + role, List.of(role)), keys.find(made.key(role)).orElseThrow());
        }
        assertNotEquals(made.key(Roles.READER), made.key(Roles.ADMIN));
        assertFalse(Files.readString(made.keysFile()).contains(made.key(Roles.ADMIN)), "the keys file holds hashes only");
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(made.secretsFile())));
    }

    private static void assertMessage(List<String> lines, String expected) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ApiKeyFile.parse(lines, "keys"));
        assertTrue(e.getMessage().contains(expected), e.getMessage());
        assertFalse(e.getMessage().contains(ApiKeyFile.hash("k")), e.getMessage());
    }
}
