package io.warmstream.schemas;

import io.warmstream.schemas.ServiceAcls.Service;
import org.apache.kafka.common.acl.AclBinding;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.resource.PatternType;
import org.apache.kafka.common.resource.ResourceType;
import org.junit.jupiter.api.Test;

import java.util.EnumSet;
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
