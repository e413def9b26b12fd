package io.warmstream.local.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.warmstream.events.Member;
import io.warmstream.events.ModelEvaluation;
import io.warmstream.events.RewardModelCheckpoint;
import io.warmstream.events.TrainingRunEvent;
import io.warmstream.events.WarmModelPublished;
import io.warmstream.local.stack.LocalKafkaLogins;
import io.warmstream.local.stack.LocalSecrets;
import io.warmstream.local.watch.ClusterStatus;
import io.warmstream.platform.KafkaSettings;
import io.warmstream.scorer.evaluation.PairedChange;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;

/** {@code warm status}: WARM versions, members, accuracy and record counts of a running stack. */
@Command(name = "status", mixinStandardHelpOptions = true, usageHelpAutoWidth = true, versionProvider = WarmVersion.class,
        description = {"Show WARM versions, members, accuracy and topic counts.", "",
                "Reads the system's topics from the beginning: every WARM version with its members and validation "
                        + "accuracy, the checkpoints, training runs in progress, and committed records per topic.", ""})
public final class StatusCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(names = "--bootstrap-servers", paramLabel = "<host:port>",
            defaultValue = "${env:WARM_KAFKA_BOOTSTRAP_SERVERS:-localhost:9092}",
            description = "Kafka (env WARM_KAFKA_BOOTSTRAP_SERVERS; default ${DEFAULT-VALUE}).")
    String bootstrapServers;

    @Option(names = "--registry-url", paramLabel = "<url>",
            defaultValue = "${env:WARM_REGISTRY_URL:-http://localhost:8081/apis/ccompat/v7}",
            description = "The schema registry's Confluent-compatible API (env WARM_REGISTRY_URL; default ${DEFAULT-VALUE}).")
    String registryUrl;

    @Option(names = "--kafka-security", paramLabel = "<mode>", defaultValue = "${env:WARM_KAFKA_SECURITY:-plaintext}",
            description = "plaintext, or sasl: log in as the local stack's Kafka super user, from <data-dir>/security/kafka-users.properties (env WARM_KAFKA_SECURITY; default ${DEFAULT-VALUE}).")
    String kafkaSecurity;

    @Option(names = "--data-dir", paramLabel = "<dir>", defaultValue = "${env:WARM_DATA_DIR:-warm-data}",
            description = "The local stack's data directory, for --kafka-security sasl (env WARM_DATA_DIR; default ${DEFAULT-VALUE}).")
    Path dataDir;

    @Option(names = "--json", description = "Print JSON instead of text.")
    boolean json;

    @Option(names = "--timeout", paramLabel = "<seconds>", defaultValue = "60", description = "Give up after this long (default ${DEFAULT-VALUE}).")
    int timeoutSeconds;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        Map<String, Object> settings = new LinkedHashMap<>();
        settings.put(KafkaSettings.BOOTSTRAP_SERVERS, bootstrapServers);
        settings.put("registry.url", registryUrl);
        if ("sasl".equalsIgnoreCase(kafkaSecurity)) {
            Optional<Map<String, Object>> login = LocalKafkaLogins.existingSuperUserLogin(dataDir);
            if (login.isEmpty()) {
                err.println("error: --kafka-security sasl, but " + dataDir.resolve(LocalSecrets.DIR).resolve(LocalKafkaLogins.FILE)
                        + " does not exist (pass the stack's --data-dir)");
                return 2;
            }
            login.get().forEach((k, v) -> settings.put(KafkaSettings.CLIENT_PREFIX + k, v));
        }
        KafkaSettings kafka = KafkaSettings.from(settings);
        if (!anyReachable(bootstrapServers)) {
            err.println("error: no Kafka broker answers at " + bootstrapServers);
            err.println("is the stack running? start it with ./warm up (or ./warm demo), or pass --bootstrap-servers");
            return 1;
        }
        ClusterStatus status;
        try {
            status = ClusterStatus.read(kafka, Duration.ofSeconds(timeoutSeconds));
        } catch (RuntimeException e) {
            err.println("error: cannot read the topics at " + bootstrapServers + ": " + e.getMessage());
            err.println("is the stack running? start it with ./warm up (or ./warm demo), or pass --bootstrap-servers");
            return 1;
        }
        if (json) {
            out.println(new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsString(asJson(status)));
        } else {
            printText(status, out);
        }
        out.flush();
        return 0;
    }

    /** Kafka clients retry an absent broker for a minute per call; a plain connect says at once whether one is there. */
    static boolean anyReachable(String bootstrapServers) {
        for (String server : bootstrapServers.split(",")) {
            int colon = server.trim().lastIndexOf(':');
            if (colon < 0) {
                continue;
            }
            try (java.net.Socket socket = new java.net.Socket()) {
                socket.connect(new java.net.InetSocketAddress(server.trim().substring(0, colon),
                        Integer.parseInt(server.trim().substring(colon + 1))), 3000);
                return true;
            } catch (java.io.IOException | NumberFormatException e) {
                // try the next one
            }
        }
        return false;
    }

    private static void printText(ClusterStatus s, PrintWriter out) {
        Map<String, WarmModelPublished> latest = s.latest();
        if (latest.isEmpty()) {
            out.println("no WARM version published yet");
        }
        for (WarmModelPublished m : latest.values()) {
            out.printf("average %s: v%d served (generation %d), %d members, strategy %s, validation accuracy %s%s, "
                            + "published %s%n",
                    m.getAverage(), m.getVersion(), m.getGeneration(), m.getMemberCount(), m.getStrategy(),
                    acc(m.getValidationAccuracy()) + se(m.getAccuracyStandardError()),
                    m.getMembersMeanAccuracy() == null ? "" : " (members' mean " + acc(m.getMembersMeanAccuracy()) + ")",
                    m.getPublishedAt());
            out.print(testSets(s.evaluationsOf(m.getAverage(), m.getVersion(), null),
                    s.changesOf(m.getAverage(), m.getVersion()), "  test sets "));
            for (Member member : m.getMembers()) {
                out.printf("  member %-40s accuracy %.3f  weight %.3f%s%n", member.getJobId(), member.getValidationAccuracy(),
                        member.getWeight(), testSets(s.evaluationsOf(m.getAverage(), m.getVersion(), member.getJobId()), "  ").stripTrailing());
            }
            out.printf("  model %s%n", m.getUri());
        }
        if (s.versions().size() > latest.size()) {
            out.println("versions on the models topic:");
            for (WarmModelPublished m : s.versions()) {
                out.printf("  %s v%-4d g%-2d %3d members  accuracy %s%s%s%s%s%n", m.getAverage(), m.getVersion(),
                        m.getGeneration(), m.getMemberCount(),
                        acc(m.getValidationAccuracy()) + se(m.getAccuracyStandardError()),
                        m.getPairedDifference() == null ? "" : String.format("  vs v%d %+.3f%s", m.getComparedWithVersion(),
                                m.getPairedDifference(), se(m.getPairedStandardError())),
                        m.getWithheld() ? "  WITHHELD (v" + m.getServedVersion() + " served"
                                + (m.getWithheldReason() == null ? "" : "; " + m.getWithheldReason()) + ")" : "",
                        m.getRollbackOf() == null ? "" : "  (rollback of v" + m.getRollbackOf() + ")",
                        testSets(s.evaluationsOf(m.getAverage(), m.getVersion(), null),
                                s.changesOf(m.getAverage(), m.getVersion()), "  ").stripTrailing());
            }
        }
        out.printf("checkpoints: %d%n", s.checkpoints().size());
        for (RewardModelCheckpoint c : s.checkpoints()) {
            out.printf("  %-40s accuracy %.3f  %,d train / %,d held-out pairs  %s%n", c.getJobId(), c.getValidationAccuracy(),
                    c.getTrainCount(), c.getValidationCount(), c.getWorker());
        }
        for (TrainingRunEvent r : s.activeRuns()) {
            out.printf("training: %s on %s, %s%n", r.getJobId(), r.getWorker(),
                    r.getStep() == null ? "started" : "step " + r.getStep() + "/" + r.getTotalSteps());
        }
        out.println("records per topic:");
        s.records().forEach((topic, n) -> out.printf("  %-28s %,12d%n", topic, n));
        out.printf("  unique label ids on %s: %,d%n", io.warmstream.schemas.Topics.PREFERENCES, s.uniqueLabelIds());
    }

    private static String testSets(Map<String, ModelEvaluation> figures, String prefix) {
        return testSets(figures, Map.of(), prefix);
    }

    /**
     * "prefix gold-id 0.781 ± 0.013 (+0.012 ± 0.006 vs v3, paired), gold-ood ..." and a line break, or nothing when
     * not judged.
     */
    private static String testSets(Map<String, ModelEvaluation> figures, Map<String, PairedChange> changes,
                                   String prefix) {
        if (figures.isEmpty()) {
            return "";
        }
        return prefix + String.join(", ", figures.values().stream().map(e -> String.format(Locale.ROOT, "%s %.3f ± %.3f",
                e.getTestSet(), e.getAccuracy(), e.getStandardError()) + change(changes.get(e.getTestSet()))).toList())
                + System.lineSeparator();
    }

    private static String change(PairedChange c) {
        return c == null ? "" : String.format(Locale.ROOT, " (%+.3f ± %.3f vs v%d, paired)", c.difference(),
                c.standardError(), c.against());
    }

    private static Map<String, Object> testSetsJson(Map<String, ModelEvaluation> figures) {
        return testSetsJson(figures, Map.of());
    }

    private static Map<String, Object> testSetsJson(Map<String, ModelEvaluation> figures,
                                                    Map<String, PairedChange> changes) {
        Map<String, Object> out = new LinkedHashMap<>();
        figures.forEach((name, e) -> {
            Map<String, Object> figure = new LinkedHashMap<>();
            figure.put("pairs", e.getPairs());
            figure.put("accuracy", e.getAccuracy());
            figure.put("standardError", e.getStandardError());
            PairedChange c = changes.get(name);
            if (c != null) {
                figure.put("vsPrevious", Map.of("version", c.against(), "difference", c.difference(),
                        "standardError", c.standardError()));
            }
            out.put(name, figure);
        });
        return out;
    }

    private static Map<String, Object> asJson(ClusterStatus s) {
        Map<String, Object> root = new LinkedHashMap<>();
        List<Map<String, Object>> versions = new ArrayList<>();
        for (WarmModelPublished m : s.versions()) {
            Map<String, Object> v = new LinkedHashMap<>();
            v.put("average", m.getAverage());
            v.put("version", m.getVersion());
            v.put("memberCount", m.getMemberCount());
            v.put("strategy", m.getStrategy());
            v.put("validationAccuracy", m.getValidationAccuracy());
            v.put("accuracyStandardError", m.getAccuracyStandardError());
            v.put("membersMeanAccuracy", m.getMembersMeanAccuracy());
            v.put("withheld", m.getWithheld());
            v.put("servedVersion", m.getServedVersion());
            v.put("generation", m.getGeneration());
            v.put("withheldReason", m.getWithheldReason());
            v.put("comparedWithVersion", m.getComparedWithVersion());
            v.put("pairedDifference", m.getPairedDifference());
            v.put("pairedStandardError", m.getPairedStandardError());
            v.put("uri", m.getUri());
            v.put("publishedAt", m.getPublishedAt() == null ? null : m.getPublishedAt().toString());
            List<Map<String, Object>> members = new ArrayList<>();
            for (Member member : m.getMembers()) {
                members.add(Map.of("jobId", member.getJobId(), "validationAccuracy", member.getValidationAccuracy(),
                        "weight", member.getWeight(), "testSets",
                        testSetsJson(s.evaluationsOf(m.getAverage(), m.getVersion(), member.getJobId()))));
            }
            v.put("members", members);
            v.put("testSets", testSetsJson(s.evaluationsOf(m.getAverage(), m.getVersion(), null),
                    s.changesOf(m.getAverage(), m.getVersion())));
            versions.add(v);
        }
        root.put("versions", versions);
        List<Map<String, Object>> checkpoints = new ArrayList<>();
        for (RewardModelCheckpoint c : s.checkpoints()) {
            checkpoints.add(Map.of("jobId", c.getJobId(), "validationAccuracy", c.getValidationAccuracy(),
                    "trainCount", c.getTrainCount(), "validationCount", c.getValidationCount(), "worker", c.getWorker()));
        }
        root.put("checkpoints", checkpoints);
        List<Map<String, Object>> runs = new ArrayList<>();
        for (TrainingRunEvent r : s.activeRuns()) {
            Map<String, Object> run = new LinkedHashMap<>();
            run.put("jobId", r.getJobId());
            run.put("worker", r.getWorker());
            run.put("step", r.getStep());
            run.put("totalSteps", r.getTotalSteps());
            runs.add(run);
        }
        root.put("activeRuns", runs);
        root.put("records", s.records());
        root.put("uniqueLabelIds", s.uniqueLabelIds());
        root.put("readAt", Instant.now().toString());
        return root;
    }

    private static String acc(Double v) {
        return v == null ? "n/a" : String.format("%.3f", v);
    }

    private static String se(Double v) {
        return v == null ? "" : String.format(" ± %.3f", v);
    }
}
