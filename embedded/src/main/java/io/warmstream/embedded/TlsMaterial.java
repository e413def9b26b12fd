package io.warmstream.embedded;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A self-signed key pair for {@code localhost} made with the JDK's own {@code keytool}: a PKCS12 keystore for the
 * broker and a PKCS12 truststore holding only its certificate, for clients. Nothing is downloaded; the files are
 * good for a few days, which is all a test or a local stack needs.
 *
 * @param keystore           the broker's key and certificate (SAN {@code DNS:localhost}, {@code IP:127.0.0.1})
 * @param truststore         the certificate clients must trust
 * @param password           the password of both stores and of the key
 */
public record TlsMaterial(Path keystore, Path truststore, String password) {

    private static final String ALIAS = "warm-broker";
    private static final String PASSWORD_ENV = "WARM_TLS_STORE_PASSWORD";

    /** Generates the two stores in {@code dir} (created if missing), with a random password. */
    public static TlsMaterial generate(Path dir) {
        try {
            Files.createDirectories(dir);
            byte[] random = new byte[12];
            new SecureRandom().nextBytes(random);
            String password = HexFormat.of().formatHex(random);
            Path keystore = dir.resolve("broker.keystore.p12");
            Path truststore = dir.resolve("client.truststore.p12");
            Path cert = dir.resolve("broker.crt");
            for (Path p : List.of(keystore, truststore, cert)) {
                Files.deleteIfExists(p);
            }
            keytool(password, "-genkeypair", "-alias", ALIAS, "-keyalg", "RSA", "-keysize", "2048", "-validity", "7",
                    "-dname", "CN=localhost", "-ext", "SAN=dns:localhost,ip:127.0.0.1",
                    "-keystore", keystore.toString(), "-storetype", "PKCS12", "-storepass:env", PASSWORD_ENV, "-keypass:env", PASSWORD_ENV);
            keytool(password, "-exportcert", "-alias", ALIAS, "-rfc", "-file", cert.toString(),
                    "-keystore", keystore.toString(), "-storetype", "PKCS12", "-storepass:env", PASSWORD_ENV);
            keytool(password, "-importcert", "-noprompt", "-alias", ALIAS, "-file", cert.toString(),
                    "-keystore", truststore.toString(), "-storetype", "PKCS12", "-storepass:env", PASSWORD_ENV);
            return new TlsMaterial(keystore, truststore, password);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot generate TLS stores in " + dir, e);
        }
    }

    /** What a client needs to trust the broker: {@code security.protocol=SSL} and the truststore. */
    public Map<String, Object> clientConfig() {
        return Map.of("security.protocol", "SSL",
                "ssl.truststore.location", truststore.toString(),
                "ssl.truststore.password", password,
                "ssl.truststore.type", "PKCS12");
    }

    /** The broker's side: its keystore, and the truststore for its own connections to itself. */
    Map<String, String> brokerConfig() {
        return Map.of("ssl.keystore.location", keystore.toString(),
                "ssl.keystore.password", password,
                "ssl.key.password", password,
                "ssl.keystore.type", "PKCS12",
                "ssl.truststore.location", truststore.toString(),
                "ssl.truststore.password", password,
                "ssl.truststore.type", "PKCS12",
                "ssl.client.auth", "none");
    }

    private static void keytool(String password, String... args) throws IOException {
        Path keytool = Path.of(System.getProperty("java.home"), "bin", "keytool");
        List<String> command = new java.util.ArrayList<>();
        command.add(keytool.toString());
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        // Through the environment, so the password is not on the process list.
        builder.environment().put(PASSWORD_ENV, password);
        Process p = builder.start();
        try {
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
                throw new IllegalStateException("keytool " + args[0] + " failed: " + out.strip());
            }
        } catch (InterruptedException e) {
            p.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while running keytool", e);
        }
    }
}
