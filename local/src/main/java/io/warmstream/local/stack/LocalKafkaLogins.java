package io.warmstream.local.stack;

import io.warmstream.embedded.BrokerSecurity;
import io.warmstream.schemas.ServiceAcls;

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
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;

/**
 * The Kafka logins of a local stack that runs its broker with SASL (SCRAM-SHA-512) and ACLs: one user per service
 * ({@code ingest}, {@code trainer}, {@code merger}, {@code scorer}) and the super user {@code admin}, with random
 * passwords made on the first such start and kept in {@code <data-dir>/security/kafka-users.properties} (owner
 * read-write only), so a restart keeps them and tools outside the stack can log in as {@code admin}.
 */
public final class LocalKafkaLogins {

    public static final String FILE = "kafka-users.properties";

    private final Map<String, String> passwords;

    private LocalKafkaLogins(Map<String, String> passwords) {
        this.passwords = Map.copyOf(passwords);
    }

    public static LocalKafkaLogins loadOrCreate(Path dataDir) {
        Path file = dataDir.resolve(LocalSecrets.DIR).resolve(FILE);
        Map<String, String> passwords = new LinkedHashMap<>(read(file));
        boolean added = false;
        for (String user : users()) {
            if (passwords.get(user) == null || passwords.get(user).isBlank()) {
                passwords.put(user, newPassword());
                added = true;
            }
        }
        if (added) {
            write(file, passwords);
        }
        return new LocalKafkaLogins(passwords);
    }

    /** The super user's SCRAM login from a data directory's file, if a SASL stack ever ran there. */
    public static Optional<Map<String, Object>> existingSuperUserLogin(Path dataDir) {
        Path file = dataDir.resolve(LocalSecrets.DIR).resolve(FILE);
        String password = Files.exists(file) ? read(file).get(BrokerSecurity.SUPER_USER) : null;
        return password == null ? Optional.empty() : Optional.of(BrokerSecurity.scramClientConfig(BrokerSecurity.SUPER_USER, password));
    }

    /** The broker's settings: SCRAM users for every service, {@code admin} as super user. */
    public BrokerSecurity brokerSecurity() {
        Map<String, String> services = new LinkedHashMap<>(passwords);
        services.remove(BrokerSecurity.SUPER_USER);
        return BrokerSecurity.sasl(passwords.get(BrokerSecurity.SUPER_USER), services);
    }

    /** The client settings ({@code security.protocol}, {@code sasl.*}) of {@code service}'s own user. */
    public Map<String, Object> clientConfig(ServiceAcls.Service service) {
        return BrokerSecurity.scramClientConfig(service.defaultUser(), passwords.get(service.defaultUser()));
    }

    /** The super user's client settings: for the stack's provisioning and its own readers (live account, status). */
    public Map<String, Object> superUserClientConfig() {
        return BrokerSecurity.scramClientConfig(BrokerSecurity.SUPER_USER, passwords.get(BrokerSecurity.SUPER_USER));
    }

    private static Iterable<String> users() {
        java.util.List<String> users = new java.util.ArrayList<>();
        users.add(BrokerSecurity.SUPER_USER);
        for (ServiceAcls.Service s : ServiceAcls.Service.values()) {
            users.add(s.defaultUser());
        }
        return users;
    }

    private static String newPassword() {
        byte[] bytes = new byte[24];
        new SecureRandom().nextBytes(bytes);
        return HexFormat.of().formatHex(bytes);
    }

    private static Map<String, String> read(Path file) {
        Map<String, String> out = new LinkedHashMap<>();
        if (!Files.exists(file)) {
            return out;
        }
        Properties p = new Properties();
        try (Reader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            p.load(r);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the Kafka logins " + file, e);
        }
        p.stringPropertyNames().forEach(k -> out.put(k, p.getProperty(k).strip()));
        return out;
    }

    private static void write(Path file, Map<String, String> passwords) {
        try {
            Files.createDirectories(file.getParent());
            Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
            Files.deleteIfExists(tmp);
            if (FileSystems.getDefault().supportedFileAttributeViews().contains("posix")) {
                Files.createFile(tmp, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            }
            Properties p = new Properties();
            passwords.forEach(p::setProperty);
            try (Writer w = Files.newBufferedWriter(tmp, StandardCharsets.UTF_8)) {
                p.store(w, "SCRAM-SHA-512 passwords of the local stack's Kafka users (admin is the super user)");
            }
            Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the Kafka logins " + file, e);
        }
    }

    @Override
    public String toString() {
        return "LocalKafkaLogins" + passwords.keySet();
    }
}
