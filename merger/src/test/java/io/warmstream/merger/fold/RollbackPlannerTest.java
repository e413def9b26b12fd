package io.warmstream.merger.fold;

import io.warmstream.merger.state.AverageState;
import io.warmstream.merger.state.KeptEntry;
import io.warmstream.merger.state.MemberInfo;
import io.warmstream.merger.state.QualityFigures;
import io.warmstream.merger.state.VersionSidecar;
import io.warmstream.merger.store.VersionRetention;
import io.warmstream.model.store.FileSystemCheckpointStore;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Rollbacks and the quality gate: a rollback is served, whatever the gate said of the version it republishes. */
class RollbackPlannerTest {

    private static final Instant T = Instant.parse("2026-01-01T00:00:00Z");
    private static final QualityFigures WITHHELD = new QualityFigures(0.03, 1L, 0.8, -0.1, 0.02, true);

    private final FileSystemCheckpointStore store;
    private final RollbackPlanner planner;
    private final KeptEntry v1;
    private final KeptEntry v2;

    RollbackPlannerTest() throws Exception {
        store = new FileSystemCheckpointStore(Files.createTempDirectory("rollback-test"));
        planner = new RollbackPlanner(store, new VersionRetention(5, Duration.ofMinutes(10)));
        v1 = new KeptEntry(1, stored(1, List.of(member("a")), QualityFigures.accuracyOnly(0.02)), "1".repeat(64), 1,
                0.8, null, T, null, QualityFigures.accuracyOnly(0.02));
        v2 = new KeptEntry(2, stored(2, List.of(member("a"), member("b")), WITHHELD), "2".repeat(64), 2, 0.7, null,
                T.plusSeconds(60), null, WITHHELD);
    }

    /** Version 2 withheld, version 1 served. */
    private AverageState withheldState() {
        return new AverageState("avg", 2, v2.uri(), v2.sha256(), "lin", "UNIFORM", List.of(member("a"), member("b")),
                2, 0.7, 0.75, 100, null, v2.publishedAt(), List.of(v2, v1), List.of(), 1, WITHHELD);
    }

    @Test
    void aWithheldNewestVersionCanBeServedByARollback() {
        Outcome.Publish p = planner.plan(withheldState(), 2, T.plusSeconds(120));
        AverageState next = p.next();
        assertEquals(3, next.version());
        assertEquals(2L, next.rollbackOf());
        assertEquals(v2.uri(), next.uri());
        assertTrue(next.served());
        assertEquals(3, next.servedVersion());
        assertEquals(0.03, next.quality().accuracyStandardError(), "the accuracy's standard error travels along");
        assertNull(next.quality().comparedWith(), "no comparison: an operator's decision");
        assertEquals(T.plusSeconds(120), next.keptVersion(1).supersededAt(), "version 1 is served no more");
    }

    @Test
    void aRollbackToTheServedVersionDropsTheWithheldFolds() {
        AverageState next = planner.plan(withheldState(), 1, T.plusSeconds(120)).next();
        assertEquals(3, next.version());
        assertEquals(1L, next.rollbackOf());
        assertEquals(List.of("a"), next.members().stream().map(MemberInfo::jobId).toList());
        assertEquals(List.of("b"), next.formerMembers(), "b is never folded again");
        assertTrue(next.served());
    }

    @Test
    void theCurrentServedVersionIsAlreadyCurrent() {
        AverageState served = new AverageState("avg", 1, v1.uri(), v1.sha256(), "lin", "UNIFORM", List.of(member("a")),
                1, 0.8, 0.8, 100, null, T, List.of(v1), List.of(), 1, v1.quality());
        RollbackRefused e = assertThrows(RollbackRefused.class, () -> planner.plan(served, 1, T));
        assertEquals(RollbackRefused.Kind.ALREADY_CURRENT, e.kind());
        assertFalse(served.quality().withheld());
    }

    private String stored(long version, List<MemberInfo> members, QualityFigures q) throws Exception {
        Path dir = Files.createTempDirectory("v" + version);
        VersionSidecar.write(dir, new AverageState("avg", version, null, "x", "lin", "UNIFORM", members, members.size(),
                0.8, 0.8, 100, null, T, List.of(), List.of(), version, q));
        return store.put("averages/avg/v" + version, dir).toString();
    }

    private static MemberInfo member(String job) {
        return new MemberInfo(job, "file:/m/" + job, job.repeat(64).substring(0, 64), 0.9, 1.0, 0.8);
    }
}
