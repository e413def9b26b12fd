package io.warmstream.local.cli;

import io.warmstream.local.stack.LocalKafkaLogins;
import io.warmstream.local.stack.LocalSecrets;
import io.warmstream.platform.KafkaSettings;
import io.warmstream.schemas.ServiceAcls;
import io.warmstream.schemas.ServiceAcls.Service;
import org.apache.kafka.clients.admin.Admin;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;

/** {@code warm acls}: the Kafka ACLs each service's principal needs, printed as kafka-acls.sh commands or applied. */
@Command(name = "acls", mixinStandardHelpOptions = true, usageHelpAutoWidth = true, versionProvider = WarmVersion.class,
        description = {"Print (or apply) the Kafka ACLs of ingest, trainer, merger and scorer.", "",
                "Each service's principal may write only its own topics (only the merger writes warm.models and "
                        + "warm.checkpoints.rejected, only trainers warm.checkpoints, only ingest the label topics), read "
                        + "its inputs, and use the consumer groups, transactional ids and Streams internal topics under "
                        + "its id prefix. Without --apply, prints one kafka-acls.sh command per ACL for your own cluster. "
                        + "See security/README.md.", ""},
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:printed or applied", "1:the broker refused or is unreachable", "2:usage error"})
public final class AclsCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(names = "--principal", paramLabel = "<service=user>",
            description = "The Kafka user of a service (repeatable; default: the service's name, e.g. merger=merger).")
    Map<String, String> principals = new LinkedHashMap<>();

    @Option(names = "--bootstrap-servers", paramLabel = "<host:port>",
            defaultValue = "${env:WARM_KAFKA_BOOTSTRAP_SERVERS:-localhost:9092}",
            description = "Kafka (env WARM_KAFKA_BOOTSTRAP_SERVERS; default ${DEFAULT-VALUE}).")
    String bootstrapServers;

    @Option(names = "--command-config", paramLabel = "<file>", defaultValue = "admin.properties",
            description = "The admin client properties file named in the printed commands (default ${DEFAULT-VALUE}).")
    String commandConfig;

    @Option(names = "--apply", description = "Create the ACLs on the broker, logged in as the local stack's super user "
            + "(from <data-dir>/security/kafka-users.properties), instead of printing them.")
    boolean apply;

    @Option(names = "--data-dir", paramLabel = "<dir>", defaultValue = "${env:WARM_DATA_DIR:-warm-data}",
            description = "The local stack's data directory, for --apply (env WARM_DATA_DIR; default ${DEFAULT-VALUE}).")
    Path dataDir;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        Map<Service, String> users = new LinkedHashMap<>();
        for (Service s : Service.values()) {
            users.put(s, s.defaultUser());
        }
        for (Map.Entry<String, String> e : principals.entrySet()) {
            Service s;
            try {
                s = Service.valueOf(e.getKey().trim().toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException unknown) {
                err.println("error: --principal " + e.getKey() + ": the services are ingest, trainer, merger, scorer");
                return 2;
            }
            users.put(s, e.getValue().trim());
        }
        if (!apply) {
            users.forEach((s, user) -> {
                out.println("# " + s.defaultUser() + " as User:" + user);
                ServiceAcls.kafkaAclsCommands(s, user, bootstrapServers, commandConfig).forEach(out::println);
            });
            return 0;
        }
        Optional<Map<String, Object>> login = LocalKafkaLogins.existingSuperUserLogin(dataDir);
        if (login.isEmpty()) {
            err.println("error: --apply logs in as the local stack's super user, but "
                    + dataDir.resolve(LocalSecrets.DIR).resolve(LocalKafkaLogins.FILE) + " does not exist;"
                    + " for another cluster, run the printed kafka-acls.sh commands");
            return 2;
        }
        Map<String, Object> settings = new LinkedHashMap<>();
        settings.put(KafkaSettings.BOOTSTRAP_SERVERS, bootstrapServers);
        settings.put("registry.url", "http://unused");
        login.get().forEach((k, v) -> settings.put(KafkaSettings.CLIENT_PREFIX + k, v));
        try (Admin admin = KafkaSettings.from(settings).admin("warm-acls")) {
            users.forEach((s, user) -> {
                ServiceAcls.apply(admin, s, user);
                out.println(s.defaultUser() + ": " + ServiceAcls.bindings(s, user).size() + " ACLs for User:" + user);
            });
        } catch (RuntimeException e) {
            err.println("error: " + e.getMessage());
            return 1;
        }
        return 0;
    }
}
