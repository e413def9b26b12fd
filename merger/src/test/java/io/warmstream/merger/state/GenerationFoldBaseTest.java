package io.warmstream.merger.state;

import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Each generation folds into its own running average; version count, kept list and served version are shared. */
class GenerationFoldBaseTest {

    private static final Instant T = Instant.parse("2026-01-01T00:00:00Z");

    private static AverageState version(long v, int generation, long served, String... jobs) {
        List<MemberInfo> members = java.util.Arrays.stream(jobs)
                .map(j -> new MemberInfo(j, "mem://" + j, "sha-" + j, 0.8, 1.0, null)).toList();
        KeptEntry entry = new KeptEntry(v, "mem://v" + v, "sha-v" + v, members.size(), 0.8, null, T, null, null,
                generation);
        return new AverageState("default", v, "mem://v" + v, "sha-v" + v, "lineage", "UNIFORM", members,
                members.size(), 0.8, 0.8, 100, null, T, List.of(entry), List.of(), served, QualityFigures.NONE,
                generation);
    }

    @Test
    void aCheckpointOfTheNewestGenerationFoldsIntoTheNewestVersion() {
        AverageState newest = version(5, 1, 4, "a", "b");
        assertSame(newest, newest.foldBaseFor(1, null));
    }

    @Test
    void anOlderGenerationFoldsIntoItsOwnAverageWithTheSharedCounters() {
        AverageState gen0 = version(4, 0, 4, "a", "b", "c");
        AverageState newest = version(5, 1, 4, "d");
        AverageState base = newest.foldBaseFor(0, gen0);
        assertEquals(0, base.generation());
        assertEquals("mem://v4", base.uri(), "generation 0's own average");
        assertEquals(List.of("a", "b", "c"), base.members().stream().map(MemberInfo::jobId).toList());
        assertEquals(5, base.version(), "the next version is 6, whatever the generation");
        assertEquals(newest.kept(), base.kept());
        assertEquals(4, base.servedVersion());
        assertTrue(base.hasFolded("a"));
        assertTrue(!base.hasFolded("d"), "generation 1's members are not generation 0's");
    }

    @Test
    void aNewGenerationStartsFromNoAverage() {
        AverageState newest = version(5, 0, 5, "a");
        AverageState base = newest.foldBaseFor(1, null);
        assertNull(base.uri());
        assertEquals(List.of(), base.members());
        assertEquals(1, base.generation());
        assertEquals(5, base.version());
        assertEquals(5, base.servedVersion());
    }

    @Test
    void aStateOfAnotherGenerationIsNoFoldBase() {
        AverageState newest = version(5, 1, 5, "d");
        assertThrows(IllegalArgumentException.class, () -> newest.foldBaseFor(0, version(3, 2, 3, "x")));
    }
}
