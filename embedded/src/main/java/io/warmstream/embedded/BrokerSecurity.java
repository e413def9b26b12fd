package io.warmstream.embedded;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * How the embedded broker lets clients in: {@link #plaintext()} (the default: anyone on this machine),
 * {@link #sasl} (SCRAM-SHA-512 logins and ACLs) or {@link #tls} (encrypted, server certificate only).
 *
 * <p>SASL mode runs three loopback listeners: {@code CLIENT} (SCRAM-SHA-512, the only one advertised to clients),
 * {@code INTERNAL} (the broker's own connections to itself, PLAIN, the super user only) and {@code CONTROLLER}
 * (PLAIN, the super user only). PLAIN on the last two needs no credentials in the metadata log, so the broker can
 * start, and create every SCRAM user, before any SCRAM user exists. ACLs are enforced by KRaft's
 * {@code StandardAuthorizer}: the super user may do anything, everyone else only what an ACL allows.
 *
 * <p>TLS mode encrypts the client listener (and the broker's connections to itself); the controller listener stays
 * plaintext on loopback, as in the default mode. {@link #toString()} never shows a password.
 */
public final class BrokerSecurity {

    public enum Mode { PLAINTEXT, SASL, TLS }

    public static final String SCRAM_MECHANISM = "SCRAM-SHA-512";
    /** The super user's name: the broker itself, the controller and whoever provisions and sets ACLs. */
    public static final String SUPER_USER = "admin";

    private final Mode mode;
    private final String superUserPassword;
    private final Map<String, String> users;
    private final TlsMaterial tls;

    private BrokerSecurity(Mode mode, String superUserPassword, Map<String, String> users, TlsMaterial tls) {
        this.mode = mode;
        this.superUserPassword = superUserPassword;
        this.users = Map.copyOf(users);
        this.tls = tls;
    }

    public static BrokerSecurity plaintext() {
        return new BrokerSecurity(Mode.PLAINTEXT, null, Map.of(), null);
    }

    /**
     * SCRAM-SHA-512 and ACLs. {@code users} (name to password) get SCRAM credentials at every start, as does
     * {@value #SUPER_USER} with {@code superUserPassword}; a user not listed keeps what an earlier start gave it.
     */
    public static BrokerSecurity sasl(String superUserPassword, Map<String, String> users) {
        if (superUserPassword == null || superUserPassword.isBlank()) {
            throw new IllegalArgumentException("the super user's password must not be empty");
        }
        if (users.containsKey(SUPER_USER)) {
            throw new IllegalArgumentException("'" + SUPER_USER + "' is the super user; give its password separately");
        }
        return new BrokerSecurity(Mode.SASL, superUserPassword, users, null);
    }

    /** TLS on the client listener with {@code material}'s key pair; no logins, no ACLs. */
    public static BrokerSecurity tls(TlsMaterial material) {
        return new BrokerSecurity(Mode.TLS, null, Map.of(), Objects.requireNonNull(material));
    }

    public Mode mode() {
        return mode;
    }

    /** The SCRAM users created at start, name to password (without the super user). */
    public Map<String, String> users() {
        return users;
    }

    String superUserPassword() {
        return superUserPassword;
    }

    public TlsMaterial tlsMaterial() {
        return tls;
    }

    /** How many ports the broker needs: client and controller, plus the internal listener in SASL mode. */
    int portsNeeded() {
        return mode == Mode.SASL ? 3 : 2;
    }

    /** The client settings of a SCRAM-SHA-512 login over SASL_PLAINTEXT, e.g. to pass as {@code warm.kafka.client.*}. */
    public static Map<String, Object> scramClientConfig(String user, String password) {
        return Map.of("security.protocol", "SASL_PLAINTEXT",
                "sasl.mechanism", SCRAM_MECHANISM,
                "sasl.jaas.config", "org.apache.kafka.common.security.scram.ScramLoginModule required username=\""
                        + jaasEscape(user) + "\" password=\"" + jaasEscape(password) + "\";");
    }

    /** The super user's SCRAM login on the client listener (for tools outside the broker's JVM). */
    public Map<String, Object> superUserClientConfig() {
        requireSasl();
        return scramClientConfig(SUPER_USER, superUserPassword);
    }

    /** Listener, authentication and authorizer settings; {@code ports} are client, controller and (SASL) internal. */
    Map<String, String> brokerProperties(int[] ports) {
        Map<String, String> p = new LinkedHashMap<>();
        String controller = EmbeddedKafka.CONTROLLER_LISTENER;
        switch (mode) {
            case PLAINTEXT -> {
                p.put("listeners", "PLAINTEXT://localhost:" + ports[0] + "," + controller + "://localhost:" + ports[1]);
                p.put("advertised.listeners", "PLAINTEXT://localhost:" + ports[0]);
                p.put("listener.security.protocol.map", "PLAINTEXT:PLAINTEXT," + controller + ":PLAINTEXT");
                p.put("inter.broker.listener.name", "PLAINTEXT");
            }
            case TLS -> {
                p.put("listeners", "SSL://localhost:" + ports[0] + "," + controller + "://localhost:" + ports[1]);
                p.put("advertised.listeners", "SSL://localhost:" + ports[0]);
                p.put("listener.security.protocol.map", "SSL:SSL," + controller + ":PLAINTEXT");
                p.put("inter.broker.listener.name", "SSL");
                p.putAll(tls.brokerConfig());
            }
            case SASL -> {
                p.put("listeners", "CLIENT://localhost:" + ports[0] + "," + controller + "://localhost:" + ports[1]
                        + ",INTERNAL://localhost:" + ports[2]);
                p.put("advertised.listeners", "CLIENT://localhost:" + ports[0] + ",INTERNAL://localhost:" + ports[2]);
                p.put("listener.security.protocol.map", "CLIENT:SASL_PLAINTEXT," + controller + ":SASL_PLAINTEXT,INTERNAL:SASL_PLAINTEXT");
                p.put("inter.broker.listener.name", "INTERNAL");
                p.put("sasl.mechanism.inter.broker.protocol", "PLAIN");
                p.put("sasl.mechanism.controller.protocol", "PLAIN");
                p.put("listener.name.client.sasl.enabled.mechanisms", SCRAM_MECHANISM);
                p.put("listener.name.client.scram-sha-512.sasl.jaas.config",
                        "org.apache.kafka.common.security.scram.ScramLoginModule required;");
                String plain = "org.apache.kafka.common.security.plain.PlainLoginModule required username=\"" + SUPER_USER
                        + "\" password=\"" + jaasEscape(superUserPassword) + "\" user_" + SUPER_USER + "=\""
                        + jaasEscape(superUserPassword) + "\";";
                p.put("listener.name.internal.sasl.enabled.mechanisms", "PLAIN");
                p.put("listener.name.internal.plain.sasl.jaas.config", plain);
                p.put("listener.name." + controller.toLowerCase() + ".sasl.enabled.mechanisms", "PLAIN");
                p.put("listener.name." + controller.toLowerCase() + ".plain.sasl.jaas.config", plain);
                p.put("authorizer.class.name", "org.apache.kafka.metadata.authorizer.StandardAuthorizer");
                p.put("super.users", "User:" + SUPER_USER);
                p.put("allow.everyone.if.no.acl.found", "false");
            }
            default -> throw new IllegalStateException("unknown mode " + mode);
        }
        return p;
    }

    /** Where and how the broker's own admin client connects: the internal listener (SASL) or the client one. */
    Map<String, Object> superUserAdminConfig(int[] ports) {
        Map<String, Object> c = new LinkedHashMap<>();
        switch (mode) {
            case PLAINTEXT -> c.put("bootstrap.servers", "localhost:" + ports[0]);
            case TLS -> {
                c.put("bootstrap.servers", "localhost:" + ports[0]);
                c.putAll(tls.clientConfig());
            }
            case SASL -> {
                c.put("bootstrap.servers", "localhost:" + ports[2]);
                c.put("security.protocol", "SASL_PLAINTEXT");
                c.put("sasl.mechanism", "PLAIN");
                c.put("sasl.jaas.config", "org.apache.kafka.common.security.plain.PlainLoginModule required username=\""
                        + SUPER_USER + "\" password=\"" + jaasEscape(superUserPassword) + "\";");
            }
            default -> throw new IllegalStateException("unknown mode " + mode);
        }
        return c;
    }

    private void requireSasl() {
        if (mode != Mode.SASL) {
            throw new IllegalStateException("the broker runs in " + mode + " mode, not SASL");
        }
    }

    /** JAAS option values are double-quoted; a quote or backslash in a password must not end the value. */
    static String jaasEscape(String value) {
        return value.replace("\\", "\\\\").replace("\"", "\\\"");
    }

    @Override
    public String toString() {
        // Never the passwords.
        return "BrokerSecurity[" + mode + (mode == Mode.SASL ? ", users " + users.keySet() : "") + "]";
    }
}
