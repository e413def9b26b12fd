package io.warmstream.merger.state;

import io.warmstream.events.WarmModelPublished;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class AverageStateTest {

    private static MemberInfo m(String job) {
        return new MemberInfo(job, "file:/x/" + job, "a".repeat(64), 0.9, 1.0, null);
    }

    private static AverageState state(List<MemberInfo> members, List<String> former) {
        Instant t = Instant.parse("2026-01-01T00:00:00Z");
        return new AverageState("avg", 3, "file:/s/v3", "b".repeat(64), "lin", "SLIDING_WINDOW", members, 5, 0.9,
                0.91, 100, null, t, List.of(new KeptEntry(3, "file:/s/v3", "b".repeat(64), members.size(), 0.9, null, t,
                null, QualityFigures.accuracyOnly(0.03))), former, 3, QualityFigures.accuracyOnly(0.03));
    }

    /** Version 4 withheld (worse than the served version 3 beyond the gate's threshold); 3 stays served. */
    private static AverageState withheld(AverageState served) {
        Instant t = served.publishedAt().plusSeconds(60);
        QualityFigures q = new QualityFigures(0.04, 3L, 0.9, -0.05, 0.02, true);
        List<KeptEntry> kept = List.of(new KeptEntry(4, "file:/s/v4", "c".repeat(64), 2, 0.85, null, t, null, q),
                served.kept().get(0));
        return new AverageState("avg", 4, "file:/s/v4", "c".repeat(64), "lin", "SLIDING_WINDOW", served.members(), 6,
                0.85, 0.91, 100, null, t, kept, served.formerMembers(), 3, q);
    }

    @Test
    void membersThatLeaveAreRememberedAsFormerMembers() {
        AverageState s = state(List.of(m("a"), m("b"), m("c")), List.of("x"));
        assertEquals(List.of("x", "a"), s.formerMembersAfter(List.of(m("b"), m("c"), m("d"))));
        assertTrue(s.hasFolded("x"));
        assertTrue(s.hasFolded("b"));
        assertFalse(s.hasFolded("d"));
        // Coming back (a rollback to a version that had it) removes it from the former list.
        assertEquals(List.of("a"), state(List.of(m("a")), List.of("x")).formerMembersAfter(List.of(m("x"))));
    }

    @Test
    void formerMembersAreBounded() {
        List<String> many = new ArrayList<>();
        for (int i = 0; i < AverageState.FORMER_MEMBERS_REMEMBERED; i++) {
            many.add("old-" + i);
        }
        List<String> after = state(List.of(m("a")), many).formerMembersAfter(List.of());
        assertEquals(AverageState.FORMER_MEMBERS_REMEMBERED, after.size());
        assertEquals("a", after.get(after.size() - 1));
        assertEquals("old-1", after.get(0));
    }

    @Test
    void theEventCarriesEverythingARestartNeeds() {
        AverageState s = state(List.of(m("a"), m("b").withHoldoutAccuracy(0.7)), List.of("x"));
        WarmModelPublished e = Events.published(s);
        assertEquals(2, e.getMemberCount());
        assertEquals(s, Events.state(e));
        assertFalse(e.getWithheld());
        assertEquals(3L, e.getServedVersion());
        assertEquals("avg", Events.modelsKey(s));
    }

    @Test
    void aWithheldVersionTravelsUnderItsOwnKeyAndNamesTheServedOne() {
        AverageState w = withheld(state(List.of(m("a"), m("b")), List.of()));
        WarmModelPublished e = Events.published(w);
        assertTrue(e.getWithheld());
        assertEquals(3L, e.getServedVersion());
        assertEquals(-0.05, e.getPairedDifference());
        assertEquals(0.02, e.getPairedStandardError());
        assertEquals(3L, e.getComparedWithVersion());
        assertTrue(e.getKept().get(0).getWithheld());
        assertEquals("avg/withheld", Events.modelsKey(w));
        AverageState back = Events.state(e);
        assertEquals(w, back);
        assertFalse(back.served());
        assertEquals(3, back.servedEntry().version());
    }

    @Test
    void aRecordFromBeforeTheGateIsItsOwnServedVersion() {
        WarmModelPublished old = Events.published(state(List.of(m("a")), List.of()));
        old.setServedVersion(null);
        old.setAccuracyStandardError(null);
        AverageState s = Events.state(old);
        assertEquals(3, s.servedVersion());
        assertTrue(s.served());
    }
}
