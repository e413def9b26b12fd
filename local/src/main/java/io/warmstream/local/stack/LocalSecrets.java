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
import java.util.Base64;
import java.util.HexFormat;
import java.util.Optional;
import java.util.function.Function;

/**
 * The secrets of one data directory, made on the first start and kept for the next ones under
 * {@code <data-dir>/security/}: one API key per role ({@code credentials.properties}, their hashes in {@code keys},
 * which the services read), the hold-out salt ({@code holdout-salt}) and the model signing key
 * ({@code model-signing-key}, which the trainers and the merger sign model directories with and every reader checks).
 * The client commands ({@code warm send}, {@code warm score}, {@code warm export}) find theirs here by themselves.
 */
public final class LocalSecrets {

    public static final String DIR = "security";
    static final String SALT_FILE = "holdout-salt";
    public static final String MODEL_SIGNING_KEY_FILE = "model-signing-key";
    /** Key names are {@code local-<role>}: the labeller recorded on labels sent through the local stack. */
    public static final String NAME_PREFIX = "local";

    private final Credentials credentials;
    private final String holdoutSalt;
    private final boolean signingKeyCreated;

    private LocalSecrets(Credentials credentials, String holdoutSalt, boolean signingKeyCreated) {
        this.credentials = credentials;
        this.holdoutSalt = holdoutSalt;
        this.signingKeyCreated = signingKeyCreated;
    }

    public static LocalSecrets loadOrCreate(Path dataDir) {
        Path dir = dataDir.resolve(DIR);
        Credentials credentials = Credentials.loadOrCreate(dir, NAME_PREFIX);
        String salt = readOrCreate(dir.resolve(SALT_FILE), 16, HexFormat.of()::formatHex, "hold-out salt");
        Path keyFile = dir.resolve(MODEL_SIGNING_KEY_FILE);
        boolean created = !Files.exists(keyFile);
        readOrCreate(keyFile, 32, Base64.getEncoder()::encodeToString, "model signing key");
        return new LocalSecrets(credentials, salt, created);
    }

    /** The model signing key file of a data directory, if the stack ever started there (for {@code warm export}). */
    public static Optional<Path> existingModelSigningKeyFile(Path dataDir) {
        Path file = dataDir.resolve(DIR).resolve(MODEL_SIGNING_KEY_FILE);
        return Files.isRegularFile(file) ? Optional.of(file) : Optional.empty();
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

    /** The model signing key file (one base64 key), for {@code warm.security.model-signing-key-file}. */
    public Path modelSigningKeyFile() {
        return credentials.keysFile().resolveSibling(MODEL_SIGNING_KEY_FILE);
    }

    /** Whether this start made the signing key (a data directory from before signing may hold unsigned models). */
    public boolean signingKeyCreated() {
        return signingKeyCreated;
    }

    /** The one-line secret in {@code file}, made from {@code bytes} random bytes (owner-only file) if absent or empty. */
    private static String readOrCreate(Path file, int bytes, Function<byte[], String> encode, String what) {
        try {
            if (Files.exists(file)) {
                String secret = Files.readString(file, StandardCharsets.UTF_8).strip();
                if (!secret.isEmpty()) return secret;
            }
            byte[] random = new byte[bytes];
            new SecureRandom().nextBytes(random);
            String secret = encode.apply(random);
            Files.createDirectories(file.getParent());
            Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
            Files.deleteIfExists(tmp);
            if (FileSystems.getDefault().supportedFileAttributeViews().contains("posix")) {
                Files.createFile(tmp, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            }
            Files.writeString(tmp, secret + "\n", StandardCharsets.UTF_8);
            Files.move(tmp, file, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
            return secret;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read or create the " + what + " " + file, e);
        }
    }
}
