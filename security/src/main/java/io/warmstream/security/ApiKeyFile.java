package io.warmstream.security;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * One reading of a keys file: the hashes of the API keys a service accepts, each with the name it authenticates as
 * and its roles. Only SHA-256 hashes are stored, so the file opens no door to whoever reads it.
 *
 * <pre>
 * # name   sha256 of the key (64 hex digits)                                roles
 * alice    2c26b46b68ffc68ff99b453c1d30413413422d706483bfa0f98a5e886266e7ae labeller
 * ops      fcde2b2edba56bf408601fb721fe9b5c338d10ee429ea04fae5511b68fbf8fb9 reader,exporter,admin
 * </pre>
 * Blank lines and lines starting with {@code #} are skipped; a malformed line fails the whole file with its number,
 * so a typo never silently drops a key. A name holds letters, digits and {@code . _ @ -}.
 */
public final class ApiKeyFile {

    /** What a valid key stands for. */
    public record Entry(String name, List<String> roles) {
    }

    private static final java.util.regex.Pattern NAME = java.util.regex.Pattern.compile("[A-Za-z0-9._@-]{1,128}");
    private static final java.util.regex.Pattern HASH = java.util.regex.Pattern.compile("[0-9a-f]{64}");

    private final Map<String, Entry> byHash;

    private ApiKeyFile(Map<String, Entry> byHash) {
        this.byHash = Map.copyOf(byHash);
    }

    /** A file that accepts no key. */
    public static ApiKeyFile empty() {
        return new ApiKeyFile(Map.of());
    }

    public static ApiKeyFile read(Path file) throws IOException {
        return parse(Files.readAllLines(file, StandardCharsets.UTF_8), file.toString());
    }

    static ApiKeyFile parse(List<String> lines, String source) {
        Map<String, Entry> byHash = new LinkedHashMap<>();
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i).strip();
            if (line.isEmpty() || line.startsWith("#")) continue;
            String[] parts = line.split("\\s+");
            String where = source + " line " + (i + 1) + ": ";
            if (parts.length != 3) {
                throw new IllegalArgumentException(where + "expected 'name sha256 roles', got " + parts.length + " fields");
            }
            if (!NAME.matcher(parts[0]).matches()) {
                throw new IllegalArgumentException(where + "name '" + parts[0] + "' may hold letters, digits and . _ @ - only");
            }
            String hash = parts[1].toLowerCase(Locale.ROOT);
            if (!HASH.matcher(hash).matches()) {
                throw new IllegalArgumentException(where + "the hash must be 64 hex digits (SHA-256 of the key)");
            }
            List<String> roles = new ArrayList<>();
            for (String role : parts[2].split(",")) {
                if (!Roles.ALL.contains(role)) {
                    throw new IllegalArgumentException(where + "unknown role '" + role + "'; roles are " + Roles.ALL);
                }
                roles.add(role);
            }
            if (byHash.put(hash, new Entry(parts[0], List.copyOf(roles))) != null) {
                throw new IllegalArgumentException(where + "the same key hash appears twice");
            }
        }
        return new ApiKeyFile(byHash);
    }

    /** Who the key is, if this file accepts it. */
    public Optional<Entry> find(String key) {
        if (key == null || key.isEmpty()) return Optional.empty();
        return Optional.ofNullable(byHash.get(hash(key)));
    }

    public int size() {
        return byHash.size();
    }

    /** Lowercase hex SHA-256 of the key's UTF-8 bytes: what a keys file stores. */
    public static String hash(String key) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(key.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime has SHA-256", e);
        }
    }

    /** A keys file line for the key. */
    public static String line(String name, String key, List<String> roles) {
        return name + " " + hash(key) + " " + String.join(",", roles);
    }
}
