package io.warmstream.model.store;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;

/**
 * The deployment's model-signing keys ({@code warm.security.model-signing-key-file}): one base64 key per line, at
 * least 32 bytes each, {@code #} comments and blank lines ignored. The first key signs; every key verifies, so a key
 * rotates by adding the new one, then moving it first, then dropping the old one once nothing signed by it is kept.
 * A key's id is derived from the key itself, so ids never need configuring and never reveal the key.
 * No keys (no file configured) means model directories are unauthenticated.
 */
public final class ModelSigningKeys {

    /** The setting naming the key file, the same in every service. */
    public static final String SETTING = "warm.security.model-signing-key-file";
    static final int MIN_KEY_BYTES = 32;
    static final String ALGORITHM = "HmacSHA256";
    private static final Logger LOG = LoggerFactory.getLogger(ModelSigningKeys.class);

    /** One key: {@code id} is 16 hex digits of an HMAC of a fixed label under the key. */
    public record Key(String id, byte[] secret) {
        public Key {
            secret = secret.clone();
        }

        static Key of(byte[] secret) {
            return new Key(HexFormat.of().formatHex(hmac(secret, "warmstream model signing key id".getBytes(
                    StandardCharsets.UTF_8))).substring(0, 16), secret);
        }

        byte[] mac(byte[] message) {
            return hmac(secret, message);
        }

        @Override
        public String toString() {
            return "Key[" + id + "]"; // never the secret
        }
    }

    private final List<Key> keys;
    private final String source;

    private ModelSigningKeys(List<Key> keys, String source) {
        this.keys = List.copyOf(keys);
        this.source = source;
    }

    /** Unauthenticated: nothing is signed, unsigned directories are accepted. */
    public static ModelSigningKeys none() {
        return new ModelSigningKeys(List.of(), null);
    }

    /** Keys given directly (tests, tools); the first signs. */
    public static ModelSigningKeys of(byte[]... secrets) {
        List<Key> keys = new ArrayList<>();
        for (byte[] s : secrets) {
            keys.add(checked(s, "key " + (keys.size() + 1)));
        }
        return new ModelSigningKeys(keys, "given keys");
    }

    /**
     * The keys of the setting's value; blank means none, with one warning naming {@code service}, so an unsigned
     * deployment is never silent.
     */
    public static ModelSigningKeys fromSetting(String keyFile, String service) {
        if (keyFile == null || keyFile.isBlank()) {
            LOG.warn("{}: model directories are UNAUTHENTICATED: {} is not set, so nothing is signed and unsigned or "
                    + "forged model directories are accepted (see security/README.md)", service, SETTING);
            return none();
        }
        ModelSigningKeys keys = load(Path.of(keyFile.trim()));
        LOG.info("{}: model directories are signed with key {} and verified against {} key(s) from {}", service,
                keys.signing().id(), keys.keys.size(), keyFile.trim());
        return keys;
    }

    /** Reads a key file; errors name the file and line, never a key. */
    public static ModelSigningKeys load(Path file) {
        List<String> lines;
        try {
            lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the model signing key file " + file + " (" + SETTING + ")", e);
        }
        List<Key> keys = new ArrayList<>();
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i).strip();
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            String where = file + " line " + (i + 1);
            byte[] secret;
            try {
                secret = Base64.getDecoder().decode(line.replace('-', '+').replace('_', '/'));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(where + ": not a base64 key");
            }
            keys.add(checked(secret, where));
        }
        if (keys.isEmpty()) {
            throw new IllegalArgumentException("the model signing key file " + file + " holds no key (" + SETTING
                    + "); make one with: openssl rand -base64 32");
        }
        return new ModelSigningKeys(keys, file.toString());
    }

    private static Key checked(byte[] secret, String where) {
        if (secret.length < MIN_KEY_BYTES) {
            throw new IllegalArgumentException(where + ": a model signing key needs at least " + MIN_KEY_BYTES
                    + " bytes, this one has " + secret.length);
        }
        return Key.of(secret);
    }

    /** Whether directories are signed and verified. */
    public boolean enabled() {
        return !keys.isEmpty();
    }

    /** The key new directories are signed with (the first). */
    public Key signing() {
        if (keys.isEmpty()) {
            throw new IllegalStateException("no model signing key configured (" + SETTING + ")");
        }
        return keys.get(0);
    }

    public Optional<Key> byId(String id) {
        return keys.stream().filter(k -> k.id().equals(id)).findFirst();
    }

    public List<String> ids() {
        return keys.stream().map(Key::id).toList();
    }

    /** For /health details and logs: whether directories are authenticated, and by which key ids. */
    public String describe() {
        if (!enabled()) {
            return "UNAUTHENTICATED: " + SETTING + " is not set; unsigned model directories are accepted";
        }
        return "signed (HMAC-SHA256) with key " + signing().id() + ", verified against keys " + ids();
    }

    @Override
    public String toString() {
        return "ModelSigningKeys[" + (enabled() ? ids() + " from " + source : "none") + "]";
    }

    static byte[] hmac(byte[] secret, byte[] message) {
        try {
            Mac mac = Mac.getInstance(ALGORITHM);
            mac.init(new SecretKeySpec(secret, ALGORITHM));
            return mac.doFinal(message);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("every Java runtime has " + ALGORITHM, e);
        }
    }
}
