package io.warmstream.merger.store;

import io.warmstream.merger.state.KeptEntry;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

/** Retention keeps the current version of every generation: the next late member of it folds into that one. */
class GenerationRetentionTest {

    private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");

    private static KeptEntry entry(long v, int generation) {
        return new KeptEntry(v, "v" + v, "0".repeat(64), 1, null, null, T0.plusSeconds(60L * v), null, null,
                generation);
    }

    private static KeptEntry find(List<KeptEntry> kept, long v) {
        return kept.stream().filter(k -> k.version() == v).findFirst().orElse(null);
    }

    @Test
    void theCurrentVersionOfAnOlderGenerationOutlivesKeepAndGrace() {
        List<KeptEntry> kept = new ArrayList<>();
        kept = VersionRetention.withNewest(kept, entry(1, 0), 1);
        kept = VersionRetention.withNewest(kept, entry(2, 0), 2);
        // generation 1 takes over at version 3 and goes on to version 8
        for (int v = 3; v <= 8; v++) {
            kept = VersionRetention.withNewest(kept, entry(v, 1), v);
        }
        assertNotNull(find(kept, 1).supersededAt(), "version 1 was superseded by version 2 of its generation");
        assertNull(find(kept, 2).supersededAt(), "version 2 is still generation 0's current version");
        VersionRetention retention = new VersionRetention(2, Duration.ofMinutes(1));
        VersionRetention.Sweep sweep = retention.sweep(kept, T0.plus(Duration.ofHours(1)));
        List<Long> retained = sweep.retained().stream().map(KeptEntry::version).toList();
        assertEquals(List.of(8L, 7L, 2L), retained);
        assertEquals(List.of("v6", "v5", "v4", "v3", "v1"), sweep.deleteUris());

        // a late member of generation 0 makes version 9 its current one: version 2 is superseded now
        kept = VersionRetention.withNewest(sweep.retained(), entry(9, 0), 8);
        assertNotNull(find(kept, 2).supersededAt());
        assertNull(find(kept, 8).supersededAt(), "8 stays: served, and generation 1's current version");
    }
}
