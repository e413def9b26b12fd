package io.warmstream.scorer.serving;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Versions kept for pinned requests: bounded by count and by estimated weight bytes, least recently used out. */
class RetainedVersionsTest {

    /** A fake model giving reward {@code offset} whose weights "weigh" {@code bytes}. */
    private record Weighing(FakeModels.Fake fake, long bytes) implements RewardFunction {
        @Override
        public float[] score(List<String> prompts, List<String> responses) {
            return fake.score(prompts, responses);
        }

        @Override
        public long weightBytes() {
            return bytes;
        }

        @Override
        public void close() {
            fake.close();
        }
    }

    private static Weighing weighing(long bytes, double offset) {
        return new Weighing(new FakeModels.Fake(r -> offset, 0), bytes);
    }

    @Test
    void theLeastRecentlyUsedVersionGoesFirstAndIsClosed() {
        HotSwappedModel hot = new HotSwappedModel("default", new ServingEvents(), java.time.Clock.systemUTC(),
                new RetainedVersions(3, Long.MAX_VALUE));
        Weighing[] f = new Weighing[5];
        for (int v = 1; v <= 3; v++) {
            f[v] = weighing(1, v);
            hot.install(FakeModels.serving(v, f[v]));
        }
        assertEquals(List.of(3L, 2L, 1L), hot.loadedVersions());
        hot.leaseOrThrow(1L).close(); // v1 used: v2 is now the least recently used
        f[4] = weighing(1, 4);
        hot.install(FakeModels.serving(4, f[4]));
        assertEquals(List.of(4L, 3L, 1L), hot.loadedVersions());
        assertTrue(f[2].fake().closed.get(), "evicted v2 is closed");
        assertFalse(f[1].fake().closed.get());
        try (ModelLease lease = hot.leaseOrThrow(1L)) {
            assertEquals(1, lease.version().version());
            assertEquals(1f, lease.score(List.of("p"), List.of("r"))[0]);
        }
        VersionNotLoadedException gone = assertThrows(VersionNotLoadedException.class, () -> hot.leaseOrThrow(2L));
        assertTrue(gone.gone());
        assertEquals(List.of(4L, 3L, 1L), gone.available());
        assertFalse(assertThrows(VersionNotLoadedException.class, () -> hot.leaseOrThrow(9L)).gone());
        hot.close();
        assertTrue(f[1].fake().closed.get() && f[3].fake().closed.get() && f[4].fake().closed.get(), "close releases retained versions");
    }

    @Test
    void memoryBoundsTheVersionsKeptWithTheServingOneCounted() {
        HotSwappedModel hot = new HotSwappedModel("default", new ServingEvents(), java.time.Clock.systemUTC(),
                new RetainedVersions(10, 250));
        for (int v = 1; v <= 4; v++) {
            hot.install(FakeModels.serving(v, weighing(100, v)));
        }
        // 100 bytes each: the serving one and one retained fit in 250, a third does not.
        assertEquals(List.of(4L, 3L), hot.loadedVersions());
        hot.close();
    }

    @Test
    void aRetainedVersionStillLeasedStaysOpenUntilItsLeaseCloses() {
        HotSwappedModel hot = new HotSwappedModel("default", new ServingEvents(), java.time.Clock.systemUTC(),
                new RetainedVersions(2, Long.MAX_VALUE));
        Weighing one = weighing(1, 1);
        hot.install(FakeModels.serving(1, one));
        hot.install(FakeModels.serving(2, weighing(1, 2)));
        ModelLease pinned = hot.leaseOrThrow(1L);
        hot.install(FakeModels.serving(3, weighing(1, 3))); // evicts v1 while a request holds it
        assertFalse(one.fake().closed.get(), "a request that pinned v1 finishes with it");
        assertEquals(1f, pinned.score(List.of("p"), List.of("r"))[0]);
        pinned.close();
        assertTrue(one.fake().closed.get());
        hot.close();
    }
}
