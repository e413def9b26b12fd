package io.warmstream.local.stack;

import io.warmstream.security.Credentials;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.Optional;

/**
 * The secrets of one data directory, made on the first start and kept for the next ones under
 * {@code <data-dir>/security/}: one API key per role ({@code credentials.properties}, their hashes in {@code keys},
 * which the services read) and the hold-out salt ({@code holdout-salt}). The client commands ({@code warm send},
 * {@code warm score}) find their key here by themselves.
 */
public final class LocalSecrets {

    public static final String DIR = "security";
    static final String SALT_FILE = "holdout-salt";
    /** Key names are {@code local-<role>}: the labeller recorded on labels sent through the local stack. */
    public static final String NAME_PREFIX = "local";

    private final Credentials credentials;
    private final String holdoutSalt;

    private LocalSecrets(Credentials credentials, String holdoutSalt) {
        this.credentials = credentials;
        this.holdoutSalt = holdoutSalt;
    }

    public static LocalSecrets loadOrCreate(Path dataDir) {
        Path dir = dataDir.resolve(DIR);
        Credentials credentials = Credentials.loadOrCreate(dir, NAME_PREFIX);
        return new LocalSecrets(credentials, salt(dir.resolve(SALT_FILE)));
    }

    /** The key of {@code role} in the data directory's credentials, if the stack ever started there. */
    public static Optional<String> existingKey(Path dataDir, String role) {
        Path dir = dataDir.resolve(DIR);
        if (!Files.exists(dir.resolve(Credentials.SECRETS_FILE))) return Optional.empty();
        try {
            return Optional.of(Credentials.loadOrCreate(dir, NAME_PREFIX).key(role));
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    public Credentials credentials() {
        return credentials;
    }

    public String key(String role) {
        return credentials.key(role);
    }

    /** The file holding the salt (one line), for deployments that take it as a file. */
    public Path saltFile() {
        return credentials.keysFile().resolveSibling(SALT_FILE);
    }

    public String holdoutSalt() {
        return holdoutSalt;
    }

    private static String salt(Path file) {
        try {
            if (Files.exists(file)) {
                String salt = Files.readString(file, StandardCharsets.UTF_8).strip();
                if (!salt.isEmpty()) return salt;
            }
            byte[] bytes = new byte[16];
            new SecureRandom().nextBytes(bytes);
            String salt = HexFormat.of().formatHex(bytes);
            Files.createDirectories(file.getParent());
            Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
            Files.deleteIfExists(tmp);
            if (FileSystems.getDefault().supportedFileAttributeViews().contains("posix")) {
                Files.createFile(tmp, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            }
            Files.writeString(tmp, salt + "\n", StandardCharsets.UTF_8);
            Files.move(tmp, file, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
            return salt;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read or create the hold-out salt " + file, e);
        }
    }
}
