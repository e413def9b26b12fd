package io.warmstream.schemas;

import io.warmstream.schemas.ServiceAcls.Service;
import org.apache.kafka.common.acl.AclBinding;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.resource.PatternType;
import org.apache.kafka.common.resource.ResourceType;
import org.junit.jupiter.api.Test;

import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The ACL table itself: who may write each catalogue topic. The broker's enforcement is in ServiceAclsBrokerTest. */
class ServiceAclsTest {

    @Test
    void everyCatalogueTopicHasTheWritersTheIssueNames() {
        Map<String, Set<Service>> writers = new TreeMap<>();
        for (Service s : Service.values()) {
            for (AclBinding b : ServiceAcls.bindings(s, s.defaultUser())) {
                if (b.pattern().resourceType() == ResourceType.TOPIC && b.entry().operation() == AclOperation.WRITE) {
                    assertEquals(PatternType.LITERAL, b.pattern().patternType(), b.toString());
                    writers.computeIfAbsent(b.pattern().name(), k -> EnumSet.noneOf(Service.class)).add(s);
                }
            }
        }
        assertEquals(EnumSet.of(Service.MERGER), writers.get(Topics.MODELS));
        assertEquals(EnumSet.of(Service.MERGER), writers.get(Topics.CHECKPOINTS_REJECTED));
        assertEquals(EnumSet.of(Service.MERGER), writers.get(Topics.AUDIT));
        assertEquals(EnumSet.of(Service.TRAINER), writers.get(Topics.CHECKPOINTS));
        assertEquals(EnumSet.of(Service.INGEST), writers.get(Topics.PREFERENCES_RAW));
        assertEquals(EnumSet.of(Service.INGEST), writers.get(Topics.PREFERENCES));
        assertEquals(EnumSet.of(Service.INGEST), writers.get(Topics.PREFERENCES_DLQ));
        assertEquals(EnumSet.of(Service.SCORER), writers.get(Topics.SCORES));
        // Every topic someone writes or reads is in the catalogue: a renamed topic must not leave a stale grant.
        for (Service s : Service.values()) {
            for (String t : s.topics()) {
                assertEquals(t, Topics.spec(t).name());
            }
        }
        // warm.score-requests is written by RL services outside warmstream, so no service here gets it.
        assertTrue(!writers.containsKey(Topics.SCORE_REQUESTS), writers.toString());
    }

    @Test
    void theKafkaAclsCommandsGrantExactlyTheBindings() {
        for (Service s : Service.values()) {
            Set<String> expected = new java.util.TreeSet<>();
            for (AclBinding b : ServiceAcls.bindings(s, "u-" + s.defaultUser())) {
                expected.add(b.pattern().resourceType() + " " + b.pattern().patternType() + " " + b.pattern().name() + " "
                        + b.entry().operation() + " " + b.entry().principal());
            }
            Set<String> parsed = new java.util.TreeSet<>();
            List<String> lines = ServiceAcls.kafkaAclsCommands(s, "u-" + s.defaultUser(), "kafka:9094", "/tmp/a.properties");
            assertTrue(lines.size() <= 8, s + ": " + lines.size() + " commands");
            for (String line : lines) {
                assertTrue(line.startsWith("kafka-acls.sh --bootstrap-server kafka:9094 --command-config /tmp/a.properties --add "), line);
                String[] t = line.split(" ");
                String principal = null;
                String pattern = line.endsWith("--resource-pattern-type prefixed") ? "PREFIXED" : "LITERAL";
                List<String> ops = new java.util.ArrayList<>();
                List<String> resources = new java.util.ArrayList<>();
                for (int i = 0; i < t.length - 1; i++) {
                    switch (t[i]) {
                        case "--allow-principal" -> principal = t[i + 1];
                        case "--operation" -> ops.add(t[i + 1].replaceAll("([a-z])([A-Z])", "$1_$2").toUpperCase());
                        case "--topic" -> resources.add("TOPIC " + pattern + " " + t[i + 1]);
                        case "--group" -> resources.add("GROUP " + pattern + " " + t[i + 1]);
                        case "--transactional-id" -> resources.add("TRANSACTIONAL_ID " + pattern + " " + t[i + 1]);
                        default -> { }
                    }
                }
                for (String r : resources) {
                    for (String op : ops) {
                        parsed.add(r + " " + op + " " + principal);
                    }
                }
            }
            assertEquals(expected, parsed, s.toString());
        }
    }

    @Test
    void idPrefixesDoNotOverlapSoNoServiceCanUseAnothersGroupsOrTransactionalIds() {
        for (Service a : Service.values()) {
            for (Service b : Service.values()) {
                if (a != b) {
                    assertTrue(!a.idPrefix().startsWith(b.idPrefix()) && !b.idPrefix().startsWith(a.idPrefix()),
                            a.idPrefix() + " vs " + b.idPrefix());
                }
            }
        }
    }
}
