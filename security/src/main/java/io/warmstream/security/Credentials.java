package io.warmstream.security;

import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;

/**
 * One API key per role for a deployment that runs in one place (the local stack, tests): the keys in
 * {@code credentials.properties} (role = key, readable by the owner only) for the clients, their hashes in
 * {@code keys} for the services. Created on first use, read back afterwards, so keys survive restarts.
 */
public final class Credentials {

    public static final String KEYS_FILE = "keys";
    public static final String SECRETS_FILE = "credentials.properties";
    /** Every generated key starts with this, so a key in a log or a paste is recognisable as one. */
    public static final String KEY_PREFIX = "wsk_";
    private static final SecureRandom RANDOM = new SecureRandom();

    private final Path dir;
    private final Map<String, String> keyByRole;

    private Credentials(Path dir, Map<String, String> keyByRole) {
        this.dir = dir;
        this.keyByRole = Map.copyOf(keyByRole);
    }

    /** Reads the credentials in {@code dir}, or creates them: the key of role {@code r} is named {@code prefix-r}. */
    public static Credentials loadOrCreate(Path dir, String namePrefix) {
        Path secrets = dir.resolve(SECRETS_FILE);
        try {
            if (Files.exists(secrets)) {
                return new Credentials(dir, read(secrets));
            }
            Files.createDirectories(dir);
            Map<String, String> keys = new LinkedHashMap<>();
            List<String> lines = new ArrayList<>();
            lines.add("# name sha256(key) roles: what the services accept. The keys are in " + SECRETS_FILE + ".");
            for (String role : Roles.ALL) {
                String key = newKey();
                keys.put(role, key);
                lines.add(ApiKeyFile.line(namePrefix + "-" + role, key, List.of(role)));
            }
            writePrivate(secrets, keys);
            Path keysFile = dir.resolve(KEYS_FILE);
            Files.write(keysFile, lines, StandardCharsets.UTF_8);
            return new Credentials(dir, keys);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read or create the credentials in " + dir, e);
        }
    }

    /** A fresh key: 256 random bits, URL-safe. */
    public static String newKey() {
        byte[] bytes = new byte[32];
        RANDOM.nextBytes(bytes);
        return KEY_PREFIX + Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    /** The key holding {@code role}. */
    public String key(String role) {
        String key = keyByRole.get(role);
        if (key == null) throw new IllegalArgumentException("no key for role '" + role + "' in " + dir.resolve(SECRETS_FILE));
        return key;
    }

    /** What services read ({@code warm.security.keys-file}). */
    public Path keysFile() {
        return dir.resolve(KEYS_FILE);
    }

    public Path secretsFile() {
        return dir.resolve(SECRETS_FILE);
    }

    private static Map<String, String> read(Path secrets) throws IOException {
        Properties p = new Properties();
        try (Reader r = Files.newBufferedReader(secrets, StandardCharsets.UTF_8)) {
            p.load(r);
        }
        Map<String, String> keys = new LinkedHashMap<>();
        for (String role : Roles.ALL) {
            String key = p.getProperty(role);
            if (key != null && !key.isBlank()) keys.put(role, key.strip());
        }
        return keys;
    }

    private static void writePrivate(Path secrets, Map<String, String> keys) throws IOException {
        Path tmp = secrets.resolveSibling(secrets.getFileName() + ".tmp");
        Files.deleteIfExists(tmp);
        if (FileSystems.getDefault().supportedFileAttributeViews().contains("posix")) {
            Files.createFile(tmp, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        } else {
            Files.createFile(tmp);
        }
        try (Writer w = Files.newBufferedWriter(tmp, StandardCharsets.UTF_8)) {
            w.write("# API keys of this data directory, one per role (Authorization: Bearer <key>). Keep private.\n");
            for (Map.Entry<String, String> e : keys.entrySet()) {
                w.write(e.getKey() + "=" + e.getValue() + "\n");
            }
        }
        Files.move(tmp, secrets, StandardCopyOption.ATOMIC_MOVE);
    }
}
