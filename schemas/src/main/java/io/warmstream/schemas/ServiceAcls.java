package io.warmstream.schemas;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.common.acl.AccessControlEntry;
import org.apache.kafka.common.acl.AclBinding;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.acl.AclPermissionType;
import org.apache.kafka.common.resource.PatternType;
import org.apache.kafka.common.resource.ResourcePattern;
import org.apache.kafka.common.resource.ResourceType;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The Kafka ACLs each warmstream service needs, and nothing more: the one table of who may write which topic.
 *
 * <p>Each service writes only its own outputs (only the merger writes {@code warm.models} and
 * {@code warm.checkpoints.rejected}, only trainers {@code warm.checkpoints}, only ingest the label topics), reads
 * its inputs, and owns the consumer groups, transactional ids and Kafka Streams internal topics under its id
 * prefix ({@code warm-ingest}, {@code warm-trainer}, {@code warm-merger-}, {@code warm-scorer}). Every service may
 * create and describe the configs of the topics it uses, so its start-up provisioning works. A cluster admin
 * (Kafka's {@code super.users}) is not listed here: it provisions everything and sets these ACLs.
 * Producers that are outside warmstream (labelling pipelines writing {@code warm.preferences.raw} directly, RL
 * services writing {@code warm.score-requests}) need their own grants.
 */
public final class ServiceAcls {

    /** A warmstream service, with the topics it writes and reads and the default prefix of its Kafka ids. */
    public enum Service {
        INGEST("warm-ingest", List.of(Topics.PREFERENCES_RAW, Topics.PREFERENCES, Topics.PREFERENCES_DLQ),
                List.of(Topics.PREFERENCES_RAW)),
        TRAINER("warm-trainer", List.of(Topics.TRAINING_JOBS, Topics.TRAINING_JOBS_DLQ, Topics.TRAINING_RUNS, Topics.CHECKPOINTS),
                List.of(Topics.PREFERENCES, Topics.TRAINING_JOBS, Topics.TRAINING_RUNS)),
        MERGER("warm-merger-", List.of(Topics.MODELS, Topics.MODEL_CANDIDATES, Topics.CHECKPOINTS_REJECTED, Topics.AUDIT),
                List.of(Topics.CHECKPOINTS, Topics.PREFERENCES, Topics.MODELS, Topics.CHECKPOINTS_REJECTED)),
        SCORER("warm-scorer", List.of(Topics.SCORES, Topics.DRIFT_OBSERVATIONS, Topics.DRIFT, Topics.EVALUATIONS),
                List.of(Topics.MODELS, Topics.MODEL_CANDIDATES, Topics.PREFERENCES, Topics.SCORE_REQUESTS, Topics.DRIFT_OBSERVATIONS,
                        Topics.DRIFT, Topics.EVALUATIONS));

        private final String idPrefix;
        private final List<String> writes;
        private final List<String> reads;

        Service(String idPrefix, List<String> writes, List<String> reads) {
            this.idPrefix = idPrefix;
            this.writes = writes;
            this.reads = reads;
        }

        /** The default name of the service's Kafka principal: {@code ingest}, {@code trainer}, ... */
        public String defaultUser() {
            return name().toLowerCase(Locale.ROOT);
        }

        /** Prefix of its consumer groups, transactional ids, Streams application ids and Streams internal topics. */
        public String idPrefix() {
            return idPrefix;
        }

        public List<String> writes() {
            return writes;
        }

        public List<String> reads() {
            return reads;
        }

        /** Every topic the service uses, writes first. */
        public Set<String> topics() {
            Set<String> all = new LinkedHashSet<>(writes);
            all.addAll(reads);
            return all;
        }
    }

    private ServiceAcls() {
    }

    /** The ACLs of {@code service} for the Kafka user {@code user} (principal {@code User:<user>}), on any host. */
    public static List<AclBinding> bindings(Service service, String user) {
        String principal = "User:" + user;
        List<AclBinding> b = new ArrayList<>();
        for (String topic : service.writes()) {
            b.add(allow(ResourceType.TOPIC, topic, PatternType.LITERAL, principal, AclOperation.WRITE));
        }
        for (String topic : service.reads()) {
            b.add(allow(ResourceType.TOPIC, topic, PatternType.LITERAL, principal, AclOperation.READ));
        }
        for (String topic : service.topics()) {
            // DESCRIBE is implied by READ and WRITE; CREATE and DESCRIBE_CONFIGS let start-up provisioning check them.
            b.add(allow(ResourceType.TOPIC, topic, PatternType.LITERAL, principal, AclOperation.CREATE));
            b.add(allow(ResourceType.TOPIC, topic, PatternType.LITERAL, principal, AclOperation.DESCRIBE_CONFIGS));
        }
        String prefix = service.idPrefix();
        b.add(allow(ResourceType.GROUP, prefix, PatternType.PREFIXED, principal, AclOperation.READ));
        b.add(allow(ResourceType.GROUP, prefix, PatternType.PREFIXED, principal, AclOperation.DESCRIBE));
        b.add(allow(ResourceType.TRANSACTIONAL_ID, prefix, PatternType.PREFIXED, principal, AclOperation.WRITE));
        b.add(allow(ResourceType.TRANSACTIONAL_ID, prefix, PatternType.PREFIXED, principal, AclOperation.DESCRIBE));
        if (service != Service.MERGER) {
            // Kafka Streams' changelog and repartition topics are named <application id>-...; the merger runs none.
            b.add(allow(ResourceType.TOPIC, prefix + "-", PatternType.PREFIXED, principal, AclOperation.ALL));
        }
        return b;
    }

    /** Applies {@link #bindings} (creating an ACL that exists is a no-op) through an admin that may alter ACLs. */
    public static void apply(Admin admin, Service service, String user) {
        try {
            admin.createAcls(bindings(service, user)).all().get(30, TimeUnit.SECONDS);
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("cannot set the ACLs of " + service + " for User:" + user + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    /**
     * The same ACLs as {@code kafka-acls.sh} commands for operators of a cluster of their own: one command per kind
     * of resource and set of operations (resources that need the same operations share a command).
     */
    public static List<String> kafkaAclsCommands(Service service, String user, String bootstrap, String commandConfig) {
        // (resource type, pattern type) -> resource name -> operations, in the order bindings() lists them.
        Map<String, Map<String, Set<AclOperation>>> byKind = new LinkedHashMap<>();
        for (AclBinding b : bindings(service, user)) {
            ResourcePattern r = b.pattern();
            byKind.computeIfAbsent(r.resourceType() + "|" + r.patternType(), k -> new LinkedHashMap<>())
                    .computeIfAbsent(r.name(), k -> EnumSet.noneOf(AclOperation.class)).add(b.entry().operation());
        }
        List<String> lines = new ArrayList<>();
        byKind.forEach((kind, resources) -> {
            ResourceType type = ResourceType.valueOf(kind.substring(0, kind.indexOf('|')));
            boolean prefixed = kind.endsWith("|" + PatternType.PREFIXED);
            Map<Set<AclOperation>, List<String>> byOperations = new LinkedHashMap<>();
            resources.forEach((name, ops) -> byOperations.computeIfAbsent(ops, k -> new ArrayList<>()).add(name));
            byOperations.forEach((ops, names) -> {
                StringBuilder line = new StringBuilder("kafka-acls.sh --bootstrap-server " + bootstrap
                        + " --command-config " + commandConfig + " --add --allow-principal User:" + user);
                ops.forEach(op -> line.append(" --operation ").append(operationName(op)));
                String flag = switch (type) {
                    case TOPIC -> " --topic ";
                    case GROUP -> " --group ";
                    case TRANSACTIONAL_ID -> " --transactional-id ";
                    default -> throw new IllegalStateException("unexpected resource type " + type);
                };
                names.forEach(n -> line.append(flag).append(n));
                if (prefixed) {
                    line.append(" --resource-pattern-type prefixed");
                }
                lines.add(line.toString());
            });
        });
        return lines;
    }

    private static String operationName(AclOperation op) {
        // kafka-acls.sh spells them in camel case: Write, Read, Create, DescribeConfigs, All.
        StringBuilder s = new StringBuilder();
        for (String part : op.name().split("_")) {
            s.append(part.charAt(0)).append(part.substring(1).toLowerCase(Locale.ROOT));
        }
        return s.toString();
    }

    private static AclBinding allow(ResourceType type, String name, PatternType pattern, String principal, AclOperation op) {
        return new AclBinding(new ResourcePattern(type, name, pattern),
                new AccessControlEntry(principal, "*", op, AclPermissionType.ALLOW));
    }
}
