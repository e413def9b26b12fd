package io.warmstream.scorer.serving;

import io.warmstream.model.store.FileSystemCheckpointStore;
import io.warmstream.platform.DependencyOutages;
import io.warmstream.scorer.serving.FakeModels.Fake;
import io.warmstream.testkit.Await;
import io.warmstream.testkit.TinyModelStore;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.function.BooleanSupplier;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A version that cannot be fetched for a reason outside it (the store unreachable, its directory absent for the
 * moment the filesystem store swaps it) is retried until it loads, against a real filesystem store; the serving
 * version stays meanwhile, and an unreachable store is reported as an outage.
 */
class ModelLoadRetryTest {

    @TempDir
    Path tmp;

    /** The backend is a stand-in: what is under test is fetching and verifying through the real store. */
    private static final ScoringBackend BACKEND = new ScoringBackend() {
        @Override
        public RewardFunction open(Path modelDir) {
            return Fake.offset(0, 0);
        }

        @Override
        public String name() {
            return "fake";
        }
    };

    @Test
    void aVersionOfferedWhileTheStoreIsUnreachableLoadsOnceItIsBack() throws Exception {
        FileSystemCheckpointStore store = new FileSystemCheckpointStore(tmp.resolve("store"));
        TinyModelStore.Stored v1 = new TinyModelStore(store, tmp.resolve("work")).put("averages/default/v1", 1);
        HotSwappedModel hot = new HotSwappedModel("default");
        ModelUpdater.Retry retry = ModelUpdaterTest.retryWith(new DependencyOutages());
        Path away = tmp.resolve("store.away");
        try (ModelUpdater u = new ModelUpdater(hot, new StoreModelLoader(store, BACKEND),
                ModelUpdater.EnsembleSettings.OFF, Clock.systemUTC(), true, retry)) {
            Files.move(store.root(), away); // the volume goes away; a plain file is left at its mount point
            Files.writeString(store.root(), "not mounted");
            u.offer(version(1, v1));
            await(() -> retry.outages().isDown(DependencyOutages.Dependency.STORE), "the store reported down");
            Thread.sleep(300); // several retries, none served
            assertFalse(hot.currentVersion().isPresent());
            assertEquals("retrying", u.versions().get(0).state());
            assertTrue(retry.outages().retries(DependencyOutages.Dependency.STORE) >= 2);

            Files.delete(store.root());
            Files.move(away, store.root());
            await(() -> hot.currentVersion().orElse(0) == 1, "v1 served once the store is back");
            // the swap comes first, then the version's state: wait for both
            await(() -> "serving".equals(u.versions().get(0).state()), "v1's state is serving");
            assertFalse(retry.outages().anyDown());
        } finally {
            hot.close();
        }
    }

    @Test
    void aVersionWhoseDirectoryIsMidSwapLoadsOnceTheSwapIsDone() throws Exception {
        FileSystemCheckpointStore store = new FileSystemCheckpointStore(tmp.resolve("store"));
        TinyModelStore models = new TinyModelStore(store, tmp.resolve("work"));
        TinyModelStore.Stored v1 = models.put("averages/default/v1", 1);
        TinyModelStore.Stored v2 = models.put("averages/default/v2", 2);
        HotSwappedModel hot = new HotSwappedModel("default");
        Path dir = store.root().resolve("averages/default/v2");
        Path aside = store.root().resolve("averages/default/.tmp-old-v2");
        try (ModelUpdater u = new ModelUpdater(hot, new StoreModelLoader(store, BACKEND),
                ModelUpdater.EnsembleSettings.OFF, Clock.systemUTC(), true, ModelUpdaterTest.RETRY)) {
            u.offer(version(1, v1));
            await(() -> hot.currentVersion().orElse(0) == 1, "v1");
            Files.move(dir, aside); // the store's replace: the old directory moved aside, the new one not yet in place
            u.offer(version(2, v2));
            await(() -> hot.lastLoadError().map(f -> f.version() == 2).orElse(false), "v2 fails to fetch");
            Thread.sleep(150);
            assertEquals(1, hot.currentVersion().getAsLong(), "v1 keeps serving");
            Files.move(aside, dir); // the swap completes
            await(() -> hot.currentVersion().orElse(0) == 2, "v2 served after the swap");
        } finally {
            hot.close();
        }
    }

    private static ModelVersion version(long v, TinyModelStore.Stored stored) {
        return new ModelVersion("default", v, stored.uri(), stored.sha256(), "lineage", "UNIFORM", List.of(), 0.7,
                0.65, null, Instant.parse("2024-05-01T12:00:00Z"), 0.02, false, null);
    }

    private static void await(BooleanSupplier condition, String what) throws Exception {
        Await.until(what, Duration.ofSeconds(10), Duration.ofMillis(5), condition::getAsBoolean);
    }
}
