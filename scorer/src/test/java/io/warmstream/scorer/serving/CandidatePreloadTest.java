package io.warmstream.scorer.serving;

import io.warmstream.model.weights.Lineage;
import io.warmstream.model.weights.ModelManifest;
import io.warmstream.scorer.serving.FakeModels.Fake;
import io.warmstream.testkit.Await;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.BooleanSupplier;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Candidates the merger announces are loaded ahead; the published version is served from the model loaded ahead only
 * when it names the same weights and its directory records the same files, and everything else loads as before.
 */
class CandidatePreloadTest {

    /** A loader of fakes that records what it did; a candidate's "files" are its weights hash. */
    private final class Loader implements ModelLoader {
        final List<String> calls = new CopyOnWriteArrayList<>();
        final Map<URI, Fake> models = new ConcurrentHashMap<>();
        volatile String publishedFiles = "same";

        @Override
        public RewardFunction load(URI uri, String sha) {
            calls.add("load " + uri);
            return models.computeIfAbsent(uri, u -> Fake.offset(0, 0));
        }

        @Override
        public Preloaded preload(URI uri, String sha) {
            calls.add("preload " + uri);
            return new Preloaded(models.computeIfAbsent(uri, u -> Fake.offset(1, 0)), manifest(sha, "same"));
        }

        @Override
        public RewardFunction adopt(URI uri, String sha, Preloaded preloaded) {
            calls.add("adopt " + uri);
            return manifest(sha, publishedFiles).equals(preloaded.manifest()) ? preloaded.function() : null;
        }
    }

    private static ModelManifest manifest(String sha, String tokenizer) {
        return new ModelManifest(1, new Lineage("b", "a"), sha, 10, Map.of("tokenizer.json", tokenizer), Map.of(), null);
    }

    private static final URI STAGED = URI.create("file:/store/averages/default/candidates/v2");

    private final Loader loader = new Loader();
    private final HotSwappedModel hot = new HotSwappedModel("default");
    private final ModelUpdater updater = new ModelUpdater(hot, loader, ModelUpdater.EnsembleSettings.OFF,
            Clock.systemUTC(), true, ModelUpdaterTest.RETRY);

    @AfterEach
    void close() {
        updater.close();
        hot.close();
    }

    /** The served model's reward of a 3-character response: 3 plus the fake's offset. */
    private double servedReward() {
        try (ModelLease lease = hot.current().orElseThrow().tryLease().orElseThrow()) {
            return lease.score(List.of("p"), List.of("abc"))[0];
        }
    }

    private static void await(BooleanSupplier condition, String what) throws Exception {
        Await.until(what, Duration.ofSeconds(10), Duration.ofMillis(5), condition::getAsBoolean);
    }

    @Test
    void aCandidateLoadedAheadIsServedWhenItsVersionIsPublishedWithoutLoadingItAgain() throws Exception {
        updater.offer(FakeModels.version(1));
        await(() -> hot.currentVersion().orElse(0) == 1, "v1");
        updater.offerCandidate("default", 2, STAGED, FakeModels.sha(2));
        updater.offerCandidate("other", 7, URI.create("file:/store/averages/other/candidates/v7"), FakeModels.sha(7));
        await(() -> updater.preloadedVersion() == 2, "v2 loaded ahead");
        assertEquals(1, hot.currentVersion().getAsLong(), "a candidate is never served on its own");

        updater.offer(FakeModels.version(2));
        await(() -> hot.currentVersion().orElse(0) == 2, "v2");
        assertEquals(1 + 3, servedReward(), "the model loaded ahead (offset 1) is the one served");
        assertEquals(List.of("load " + FakeModels.version(1).uri(), "preload " + STAGED,
                "adopt " + FakeModels.version(2).uri()), loader.calls);
        assertEquals(-1, updater.preloadedVersion());
    }

    @Test
    void aPublishedVersionWithOtherWeightsOrOtherFilesLoadsAsBeforeAndTheCandidateIsClosed() throws Exception {
        updater.offer(FakeModels.version(1));
        await(() -> hot.currentVersion().orElse(0) == 1, "v1");
        // The merger refused this candidate; the next checkpoint made another v2, published without a hint.
        updater.offerCandidate("default", 2, STAGED, FakeModels.sha(99));
        await(() -> updater.preloadedVersion() == 2, "v2 loaded ahead");
        updater.offer(FakeModels.version(2));
        await(() -> hot.currentVersion().orElse(0) == 2, "v2");
        assertTrue(loader.calls.contains("load " + FakeModels.version(2).uri()));
        assertFalse(loader.calls.contains("adopt " + FakeModels.version(2).uri()), "other weights: not even compared");
        await(() -> loader.models.get(STAGED).closed.get(), "the candidate closed once v2 serves");

        // Same weights, but the published manifest records another tokenizer: loaded from its own directory.
        URI staged3 = URI.create("file:/store/averages/default/candidates/v3");
        updater.offerCandidate("default", 3, staged3, FakeModels.sha(3));
        await(() -> updater.preloadedVersion() == 3, "v3 loaded ahead");
        loader.publishedFiles = "another tokenizer";
        updater.offer(FakeModels.version(3));
        await(() -> hot.currentVersion().orElse(0) == 3, "v3");
        assertTrue(loader.calls.contains("adopt " + FakeModels.version(3).uri()));
        assertEquals(0 + 3, servedReward(), "the version's own load (offset 0) is served");
        assertTrue(loader.models.get(staged3).closed.get());
    }

    @Test
    void candidatesOfVersionsAlreadyServedOrPublishedAreIgnoredAndAWithheldOnesModelIsClosedLater() throws Exception {
        updater.offer(FakeModels.version(2));
        await(() -> hot.currentVersion().orElse(0) == 2, "v2");
        updater.offerCandidate("default", 2, STAGED, FakeModels.sha(2));
        updater.offerCandidate("default", 1, URI.create("file:/c/v1"), FakeModels.sha(1));
        Thread.sleep(100);
        assertEquals(List.of("load " + FakeModels.version(2).uri()), loader.calls);

        URI staged3 = URI.create("file:/store/averages/default/candidates/v3");
        updater.offerCandidate("default", 3, staged3, FakeModels.sha(3));
        await(() -> updater.preloadedVersion() == 3, "v3 loaded ahead");
        updater.offer(FakeModels.withheld(3));
        updater.offer(FakeModels.version(4));
        await(() -> hot.currentVersion().orElse(0) == 4, "v4");
        await(() -> loader.models.get(staged3).closed.get(), "the withheld candidate's model closed once v4 serves");
        assertEquals(-1, updater.preloadedVersion());
    }
}
