package io.warmstream.merger.store;

import io.warmstream.merger.state.KeptEntry;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

class VersionRetentionTest {

    private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");

    private static KeptEntry entry(long v, String uri, Long rollbackOf, Instant published) {
        return new KeptEntry(v, uri, "0".repeat(64), 1, null, rollbackOf, published, null, null);
    }

    /** Publishes versions 1..n one minute apart, each keeping the list withNewest builds. */
    private static List<KeptEntry> published(int n) {
        List<KeptEntry> kept = new ArrayList<>();
        for (int v = 1; v <= n; v++) {
            kept = VersionRetention.withNewest(kept, entry(v, "v" + v, null, T0.plusSeconds(60L * v)), v);
        }
        return kept;
    }

    @Test
    void newestVersionGoesFirstAndSupersedesTheCurrentOne() {
        List<KeptEntry> kept = published(3);
        assertEquals(List.of(3L, 2L, 1L), kept.stream().map(KeptEntry::version).toList());
        assertNull(kept.get(0).supersededAt());
        assertEquals(T0.plusSeconds(180), kept.get(1).supersededAt());
        assertEquals(T0.plusSeconds(120), kept.get(2).supersededAt());
    }

    @Test
    void keepsTheNewestKAndDeletesOlderOnesOnceTheirGraceIsOver() {
        VersionRetention r = new VersionRetention(2, Duration.ofMinutes(5));
        List<KeptEntry> kept = published(5); // v1 superseded at +2 min, v2 at +3, v3 at +4, v4 at +5
        VersionRetention.Sweep early = r.sweep(kept, T0.plusSeconds(60 * 6));
        // v2 and v3 are still within 5 minutes of being superseded; v1 was superseded 4 minutes ago: kept too.
        assertEquals(List.of(5L, 4L, 3L, 2L, 1L), early.retained().stream().map(KeptEntry::version).toList());
        assertEquals(List.of(), early.deleteUris());
        VersionRetention.Sweep later = r.sweep(kept, T0.plusSeconds(60 * 8 + 30));
        assertEquals(List.of(5L, 4L, 3L), later.retained().stream().map(KeptEntry::version).toList());
        assertEquals(List.of("v2", "v1"), later.deleteUris());
        VersionRetention.Sweep much = r.sweep(kept, T0.plusSeconds(3600));
        assertEquals(List.of(5L, 4L), much.retained().stream().map(KeptEntry::version).toList());
    }

    @Test
    void aRollbackTargetsDirectoryLivesAsLongAsTheRollbackIsKept() {
        VersionRetention r = new VersionRetention(2, Duration.ZERO);
        List<KeptEntry> kept = published(3);
        // v4 republishes v1: same directory.
        kept = VersionRetention.withNewest(kept, entry(4, "v1", 1L, T0.plusSeconds(300)), 4);
        VersionRetention.Sweep s = r.sweep(kept, T0.plusSeconds(400));
        assertEquals(List.of(4L, 3L), s.retained().stream().map(KeptEntry::version).toList());
        assertEquals(List.of("v2"), s.deleteUris(), "v1's directory is used by v4");
        kept = VersionRetention.withNewest(s.retained(), entry(5, "v5", null, T0.plusSeconds(500)), 5);
        kept = VersionRetention.withNewest(kept, entry(6, "v6", null, T0.plusSeconds(600)), 6);
        VersionRetention.Sweep after = r.sweep(kept, T0.plusSeconds(700));
        assertEquals(List.of(6L, 5L), after.retained().stream().map(KeptEntry::version).toList());
        assertEquals(List.of("v1", "v3"), after.deleteUris().stream().sorted().toList());
    }

    @Test
    void theCurrentVersionIsNeverDropped() {
        VersionRetention r = new VersionRetention(1, Duration.ZERO);
        VersionRetention.Sweep s = r.sweep(published(4), T0.plusSeconds(10_000));
        assertEquals(List.of(4L), s.retained().stream().map(KeptEntry::version).toList());
        assertEquals(List.of("v3", "v2", "v1"), s.deleteUris());
    }

    @Test
    void theServedVersionStaysWhileTheGateWithholdsNewerOnesAndGetsItsGraceWhenReplaced() {
        VersionRetention r = new VersionRetention(1, Duration.ofMinutes(5));
        List<KeptEntry> kept = published(2);
        // v3..v5 withheld: v2 stays served, so it is not superseded, however old and low-ranked it gets.
        for (int v = 3; v <= 5; v++) {
            kept = VersionRetention.withNewest(kept, entry(v, "v" + v, null, T0.plusSeconds(60L * v)), 2);
        }
        VersionRetention.Sweep s = r.sweep(kept, T0.plusSeconds(10_000));
        assertEquals(List.of(5L, 2L), s.retained().stream().map(KeptEntry::version).toList());
        assertNull(s.retained().get(1).supersededAt());
        // v6 is served: v2 is superseded now and keeps its grace from this moment.
        kept = VersionRetention.withNewest(s.retained(), entry(6, "v6", null, T0.plusSeconds(10_000)), 6);
        assertEquals(List.of(6L, 5L, 2L), r.sweep(kept, T0.plusSeconds(10_100)).retained().stream()
                .map(KeptEntry::version).toList());
        assertEquals(List.of("v5", "v2"), r.sweep(kept, T0.plusSeconds(10_400)).deleteUris());
    }

    @Test
    void refusesNonsense() {
        assertThrows(IllegalArgumentException.class, () -> new VersionRetention(0, Duration.ZERO));
        assertThrows(IllegalArgumentException.class, () -> new VersionRetention(1, Duration.ofSeconds(-1)));
    }
}
