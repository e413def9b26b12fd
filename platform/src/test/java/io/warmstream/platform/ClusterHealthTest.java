package io.warmstream.platform;

import org.apache.kafka.streams.KafkaStreams;
import org.junit.jupiter.api.Test;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ClusterHealthTest {

    private static final ClusterHealth ANSWERING = new ClusterHealth(true, ordered("clusterId", "c", "brokers", 1));

    private static Map<String, Object> ordered(String k1, Object v1, String k2, Object v2) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put(k1, v1);
        m.put(k2, v2);
        return m;
    }

    @Test
    void streamsAppsThatAreNotCreatedRunningOrRebalancingMakeItDown() {
        for (KafkaStreams.State s : KafkaStreams.State.values()) {
            boolean expected = List.of(KafkaStreams.State.CREATED, KafkaStreams.State.RUNNING,
                    KafkaStreams.State.REBALANCING).contains(s);
            ClusterHealth h = ANSWERING.withStreams("app", s);
            assertEquals(expected, h.up(), s.name());
            assertEquals(s.name(), h.details().get("app"));
        }
    }

    @Test
    void aDownClusterStaysDownWhateverItsAppsSay() {
        ClusterHealth down = new ClusterHealth(false, Map.of("error", "no answer"));
        assertFalse(down.withStreams("app", KafkaStreams.State.RUNNING).with("worker", "ok", true).up());
        assertTrue(ANSWERING.with("worker", "ok", true).up());
        assertFalse(ANSWERING.with("worker", "failed", false).up());
        assertEquals(List.of("clusterId", "brokers", "worker"),
                List.copyOf(ANSWERING.with("worker", "ok", true).details().keySet()));
    }
}
