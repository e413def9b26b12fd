package io.warmstream.scorer.events;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ModelEventLogTest {

    static ModelEventLog.Entry entry(long id) {
        return new ModelEventLog.Entry(id, "avg", "published", "{\"version\":" + id + "}");
    }

    static List<Long> ids(List<ModelEventLog.Entry> entries) {
        return entries.stream().map(ModelEventLog.Entry::id).toList();
    }

    @Test
    void aSubscriberGetsWhatCameAfterItsIdThenEveryNewEntryOnce() {
        ModelEventLog log = new ModelEventLog(10);
        for (long id = 0; id < 4; id++) {
            log.append(entry(id));
        }
        List<ModelEventLog.Entry> live = new ArrayList<>();
        ModelEventLog.Subscription s = log.subscribe(1, live::add);
        assertEquals(List.of(2L, 3L), ids(s.backlog()));
        assertFalse(s.gap());
        log.append(entry(3)); // a re-read of the same offset is not a new event
        log.append(entry(4));
        assertEquals(List.of(4L), ids(live));
        s.cancel().run();
        log.append(entry(5));
        assertEquals(List.of(4L), ids(live), "no events after cancel");
        assertEquals(0, log.subscribers());
    }

    @Test
    void theLogKeepsItsCapacityAndReportsAGapToThoseWhoMissedEvictedEntries() {
        ModelEventLog log = new ModelEventLog(3);
        for (long id = 0; id < 6; id++) {
            log.append(entry(id));
        }
        assertEquals(3, log.size());
        ModelEventLog.Subscription behind = log.subscribe(1, e -> { });
        assertEquals(List.of(3L, 4L, 5L), ids(behind.backlog()));
        assertTrue(behind.gap(), "entry 2 was evicted: the client missed it");
        ModelEventLog.Subscription upToDate = log.subscribe(2, e -> { });
        assertFalse(upToDate.gap(), "everything after 2 is still held");
        assertEquals(List.of(3L, 4L, 5L), ids(upToDate.backlog()));
    }
}
