package io.warmstream.scorer.serving;

import io.warmstream.scorer.serving.FakeModels.Fake;
import org.junit.jupiter.api.Test;

import io.warmstream.platform.Backoff;
import io.warmstream.platform.DependencyOutages;
import io.warmstream.testkit.Await;

import java.net.URI;
import java.time.Duration;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.BooleanSupplier;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ModelUpdaterTest {

    /** Short pauses, so the retries of a failed load happen within a test. */
    static final ModelUpdater.Retry RETRY = retryWith(new DependencyOutages());

    static ModelUpdater.Retry retryWith(DependencyOutages outages) {
        return new ModelUpdater.Retry(new Backoff(Duration.ofMillis(50), Duration.ofMillis(200)), outages);
    }

    private final Map<URI, Fake> models = new ConcurrentHashMap<>();
    private final Set<URI> broken = ConcurrentHashMap.newKeySet();
    private final List<URI> loads = new CopyOnWriteArrayList<>();

    private RewardFunction load(URI uri, String sha) throws LoadException {
        loads.add(uri);
        if (broken.contains(uri)) {
            throw new LoadException("verify", "sha256 mismatch for " + uri);
        }
        return models.computeIfAbsent(uri, u -> Fake.offset(0, 0));
    }

    private static void await(BooleanSupplier condition, String what) throws Exception {
        Await.until(what, Duration.ofSeconds(10), Duration.ofMillis(5), condition::getAsBoolean);
    }

    @Test
    void catchingUpLoadsOnlyTheNewestVersionThenFollowsNewOnes() throws Exception {
        HotSwappedModel hot = new HotSwappedModel("default");
        List<ModelSwap> swaps = new CopyOnWriteArrayList<>();
        hot.addListener(new ServingListener() {
            @Override
            public void onSwap(ModelSwap swap) {
                swaps.add(swap);
                if (swap.previous() != null) {
                    // A listener may keep the previous version (e.g. to compare versions); here it just checks it can.
                    ModelLease kept = swap.previous().tryLease().orElseThrow(() -> new AssertionError("previous closed during onSwap"));
                    kept.close();
                }
            }
        });
        try (ModelUpdater u = new ModelUpdater(hot, this::load, ModelUpdater.EnsembleSettings.OFF, Clock.systemUTC(), false, RETRY)) {
            for (long v = 1; v <= 3; v++) u.offer(FakeModels.version(v));
            u.offer(FakeModels.version("other", 9, List.of()));
            Thread.sleep(100);
            assertTrue(hot.current().isEmpty(), "nothing loads before activate()");
            u.activate();
            await(() -> hot.currentVersion().orElse(0) == 3, "v3");
            assertEquals(List.of(FakeModels.version(3).uri()), loads);

            u.offer(FakeModels.version(4));
            await(() -> hot.currentVersion().orElse(0) == 4, "v4");
            // install() makes v4 current, then tells the listeners, then releases v3: on the loader thread, after
            // currentVersion() already says 4.
            await(() -> models.get(FakeModels.version(3).uri()).closed.get(), "v3 closed once retired");
            assertEquals(2, swaps.size());
            assertEquals(3, swaps.get(1).previous().version().version());
            assertEquals(List.of("serving", "retired", "skipped", "skipped"),
                    u.versions().stream().map(ModelUpdater.VersionState::state).toList());
            u.offer(FakeModels.version(2)); // late, older: ignored
            Thread.sleep(100);
            assertEquals(4, hot.currentVersion().getAsLong());
        } finally {
            hot.close();
        }
    }

    @Test
    void aBrokenVersionIsReportedAndTheServingOneStays() throws Exception {
        HotSwappedModel hot = new HotSwappedModel("default");
        List<LoadFailure> failures = new CopyOnWriteArrayList<>();
        hot.addListener(new ServingListener() {
            @Override
            public void onLoadFailed(LoadFailure failure) {
                failures.add(failure);
            }
        });
        try (ModelUpdater u = new ModelUpdater(hot, this::load, ModelUpdater.EnsembleSettings.OFF, Clock.systemUTC(), true, RETRY)) {
            u.offer(FakeModels.version(1));
            await(() -> hot.currentVersion().orElse(0) == 1, "v1");
            broken.add(FakeModels.version(2).uri());
            u.offer(FakeModels.version(2));
            await(() -> !failures.isEmpty(), "the failure");
            assertEquals(1, hot.currentVersion().getAsLong());
            assertEquals(2, hot.lastLoadError().orElseThrow().version());
            assertEquals("verify", hot.lastLoadError().orElseThrow().stage());
            // A read that failed may have raced a directory swap: tried once more, then final.
            await(() -> failures.size() == 2, "the second failure");
            Thread.sleep(300);
            assertEquals("failed", u.versions().get(0).state());
            assertEquals(2, loads.stream().filter(x -> x.equals(FakeModels.version(2).uri())).count(),
                    "retried once, not again");
            u.offer(FakeModels.version(3));
            await(() -> hot.currentVersion().orElse(0) == 3, "v3");
        } finally {
            hot.close();
        }
    }

    @Test
    void aWithheldVersionIsListedButNeverLoadedAndANewerServedOneIs() throws Exception {
        HotSwappedModel hot = new HotSwappedModel("default");
        try (ModelUpdater u = new ModelUpdater(hot, this::load, ModelUpdater.EnsembleSettings.OFF, Clock.systemUTC(), false, RETRY)) {
            // A restart: the compacted topic holds the served v4 and the withheld v5.
            u.offer(FakeModels.version(4));
            u.offer(FakeModels.withheld(5));
            u.activate();
            await(() -> hot.currentVersion().orElse(0) == 4, "v4");
            u.offer(FakeModels.withheld(6));
            Thread.sleep(100);
            assertEquals(4, hot.currentVersion().getAsLong());
            assertEquals(List.of(FakeModels.version(4).uri()), loads);
            assertEquals(List.of("withheld", "withheld", "serving"),
                    u.versions().stream().map(ModelUpdater.VersionState::state).toList());
            u.offer(FakeModels.version(7));
            await(() -> hot.currentVersion().orElse(0) == 7, "v7");
            assertEquals(List.of(FakeModels.version(4).uri(), FakeModels.version(7).uri()), loads);
        } finally {
            hot.close();
        }
    }

    @Test
    void afterARestartWithABrokenNewestVersionTheNextOlderOneServes() throws Exception {
        HotSwappedModel hot = new HotSwappedModel("default");
        try (ModelUpdater u = new ModelUpdater(hot, this::load, ModelUpdater.EnsembleSettings.OFF, Clock.systemUTC(), false, RETRY)) {
            broken.add(FakeModels.version(5).uri());
            u.offer(FakeModels.version(4));
            u.offer(FakeModels.version(5));
            u.activate();
            await(() -> hot.currentVersion().orElse(0) == 4, "fallback to v4");
            assertEquals(5, hot.lastLoadError().orElseThrow().version());
        } finally {
            hot.close();
        }
    }
}
