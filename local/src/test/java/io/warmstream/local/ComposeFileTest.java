package io.warmstream.local;

import io.warmstream.schemas.ServiceAcls;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.Yaml;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code compose/docker-compose.yml} read as a file, without Docker (ComposeDeploymentTest runs it where Docker
 * exists): Kafka has no unauthenticated listener, enforces ACLs, and every service logs in with SCRAM as its own
 * user with a password from a secret file; the init script grants exactly {@link ServiceAcls}' ACLs.
 */
class ComposeFileTest {

    private static final Path COMPOSE = Path.of("../compose");
    /** Compose service -> the Kafka user it logs in as. */
    private static final Map<String, String> USERS = Map.of("ingest", "ingest", "planner", "trainer", "trainer", "trainer",
            "trainer-cpu", "trainer", "merger", "merger", "scorer", "scorer");

    @Test
    @SuppressWarnings("unchecked")
    void kafkaTakesOnlyAuthenticatedClientsAndEveryServiceLogsInAsItself() throws Exception {
        Map<String, Object> compose = new Yaml().load(Files.readString(COMPOSE.resolve("docker-compose.yml")));
        Map<String, Object> services = (Map<String, Object>) compose.get("services");
        Map<String, Object> secrets = (Map<String, Object>) compose.get("secrets");

        Map<String, Object> kafka = (Map<String, Object>) services.get("kafka");
        Map<String, Object> kafkaEnv = (Map<String, Object>) kafka.get("environment");
        for (String entry : kafkaEnv.get("KAFKA_LISTENER_SECURITY_PROTOCOL_MAP").toString().split(",")) {
            assertTrue(entry.endsWith(":SASL_PLAINTEXT") || entry.endsWith(":SASL_SSL"), "unauthenticated listener " + entry);
        }
        assertEquals(List.of("${KAFKA_HOST_PORT:-29092}:29092"), kafka.get("ports"), "only the SASL EXTERNAL listener is published");
        assertTrue(kafkaEnv.get("KAFKA_LISTENERS").toString().contains("EXTERNAL://:29092"));
        assertEquals("SCRAM-SHA-512", kafkaEnv.get("KAFKA_LISTENER_NAME_EXTERNAL_SASL_ENABLED_MECHANISMS"));
        assertEquals("SCRAM-SHA-512", kafkaEnv.get("KAFKA_LISTENER_NAME_INTERNAL_SASL_ENABLED_MECHANISMS"));
        assertEquals("org.apache.kafka.metadata.authorizer.StandardAuthorizer", kafkaEnv.get("KAFKA_AUTHORIZER_CLASS_NAME"));
        assertEquals("User:admin", kafkaEnv.get("KAFKA_SUPER_USERS"));
        assertEquals("false", kafkaEnv.get("KAFKA_ALLOW_EVERYONE_IF_NO_ACL_FOUND"));
        for (Map.Entry<String, Object> e : kafkaEnv.entrySet()) {
            assertFalse(e.getValue().toString().contains("password="), e.getKey() + " holds a password in the compose file");
        }

        USERS.forEach((name, user) -> {
            Map<String, Object> service = (Map<String, Object>) services.get(name);
            Map<String, Object> env = (Map<String, Object>) service.get("environment");
            assertEquals("SASL_PLAINTEXT", env.get("WARM_KAFKA_CLIENT_SECURITY_PROTOCOL"), name);
            assertEquals("SCRAM-SHA-512", env.get("WARM_KAFKA_CLIENT_SASL_MECHANISM"), name);
            assertEquals(user, env.get("WARM_KAFKA_USER"), name);
            String secret = "kafka-" + user + "-password";
            assertEquals("/run/secrets/" + secret, env.get("WARM_KAFKA_PASSWORD_FILE"), name);
            List<String> own = (List<String>) service.get("secrets");
            assertTrue(own.contains(secret), name + " gets its password secret");
            assertEquals(1, own.stream().filter(s -> s.startsWith("kafka-")).count(), name + " sees no other service's password");
            assertTrue(((Map<String, Object>) secrets.get(secret)).get("file").toString().contains("/secrets/" + secret), secret);
            Map<String, Object> depends = (Map<String, Object>) service.get("depends_on");
            assertEquals("service_completed_successfully", ((Map<String, Object>) depends.get("kafka-init")).get("condition"), name);
        });
    }

    @Test
    void theInitScriptGrantsExactlyTheServicesAcls() throws Exception {
        List<String> expected = new ArrayList<>();
        for (ServiceAcls.Service s : ServiceAcls.Service.values()) {
            expected.addAll(ServiceAcls.kafkaAclsCommands(s, s.defaultUser(), "kafka:9094", "/tmp/warm-admin.properties"));
        }
        List<String> inScript = Files.readAllLines(COMPOSE.resolve("kafka").resolve("init-users-acls.sh")).stream()
                .filter(l -> l.startsWith("kafka-acls.sh "))
                .map(l -> l.replace(" >/dev/null", ""))
                .toList();
        assertEquals(expected, inScript, "regenerate with: warm acls --bootstrap-servers kafka:9094 --command-config /tmp/warm-admin.properties");
    }

    @Test
    void dockerComposeAcceptsTheFileWhereItIsInstalled() throws Exception {
        File binary = new File("/usr/bin/docker-compose");
        if (!binary.canExecute()) {
            return; // CI installs it (.ci/run); the checks above do not need it.
        }
        for (List<String> extra : List.of(List.<String>of(), List.of("--profile", "cpu"))) {
            List<String> command = new ArrayList<>(List.of(binary.getPath(), "-f", COMPOSE.resolve("docker-compose.yml").toString()));
            command.addAll(extra);
            command.addAll(List.of("config", "-q"));
            Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes());
            assertTrue(p.waitFor(60, TimeUnit.SECONDS));
            assertEquals(0, p.exitValue(), out);
        }
    }
}
