package io.warmstream.scorer.batching;

import io.warmstream.scorer.serving.FakeModels;
import io.warmstream.scorer.serving.FakeModels.Fake;
import io.warmstream.scorer.serving.HotSwappedModel;
import io.warmstream.scorer.serving.ModelUpdater;
import io.warmstream.scorer.serving.ModelVersion;
import io.warmstream.scorer.serving.NoModelException;
import io.warmstream.scorer.serving.Origin;
import io.warmstream.scorer.serving.ScoreMode;
import io.warmstream.scorer.serving.ScoredBatch;
import io.warmstream.scorer.serving.Scores;
import io.warmstream.scorer.serving.ServingListener;
import io.warmstream.testkit.Await;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class DynamicBatcherTest {

    private final HotSwappedModel hot = new HotSwappedModel("default");
    private DynamicBatcher batcher;

    @AfterEach
    void stop() {
        if (batcher != null) batcher.close();
        hot.close();
    }

    private DynamicBatcher batcher(int maxBatch, long maxWaitMillis, int tokenBudget, int threads) {
        batcher = new DynamicBatcher(new BatchSettings(maxBatch, Duration.ofMillis(maxWaitMillis), tokenBudget, threads,
                Duration.ofSeconds(30)), hot, BatchObserver.NONE);
        return batcher;
    }

    private static Scores get(CompletableFuture<Scores> f) throws Exception {
        return f.get(20, TimeUnit.SECONDS);
    }

    @Test
    void concurrentRequestsShareBatchesAndEachGetsItsOwnRewards() throws Exception {
        Fake v1 = Fake.offset(0.5, 30);
        hot.install(FakeModels.serving(1, v1));
        batcher(16, 20, 100_000, 1);
        List<CompletableFuture<Scores>> futures = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            futures.add(batcher.submit(ScoreMode.WARM, Origin.HTTP, List.of("p"), List.of("x".repeat(i))));
        }
        for (int i = 0; i < 40; i++) {
            Scores s = get(futures.get(i));
            assertEquals(1, s.version());
            assertArrayEquals(new float[] {0.5f + i}, s.rewards(), 0f);
            assertNull(s.std());
        }
        assertEquals(40, v1.batches.stream().mapToInt(Integer::intValue).sum());
        assertTrue(v1.batches.stream().allMatch(b -> b <= 16), v1.batches.toString());
        assertTrue(v1.batches.size() <= 6, "40 concurrent items should need few batches, got " + v1.batches);
        assertEquals(0, batcher.pendingTokens());
    }

    @Test
    void requestsLargerThanABatchAreSplitAndReassembledInOrder() throws Exception {
        Fake v1 = Fake.offset(0, 0);
        hot.install(FakeModels.serving(1, v1));
        batcher(4, 0, 100_000, 2);
        List<String> prompts = new ArrayList<>();
        List<String> responses = new ArrayList<>();
        float[] expected = new float[11];
        for (int i = 0; i < 11; i++) {
            prompts.add("p" + i);
            responses.add("r".repeat(i));
            expected[i] = i;
        }
        assertArrayEquals(expected, get(batcher.submit(ScoreMode.WARM, Origin.HTTP, prompts, responses)).rewards(), 0f);
        assertTrue(v1.batches.stream().allMatch(b -> b <= 4), v1.batches.toString());
    }

    /** Items of one-character texts cost 1 + 1 + 3 special tokens = 5 padded tokens each. */
    @Test
    void aFullTokenBudgetRefusesAtOnceAndRecoversWhenItDrains() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        CountDownLatch started = new CountDownLatch(1);
        Fake v1 = Fake.offset(0, 0).beforeScoring(() -> {
            started.countDown();
            await(release);
        });
        hot.install(FakeModels.serving(1, v1));
        batcher(4, 0, 40, 1);
        List<CompletableFuture<Scores>> admitted = new ArrayList<>();
        admitted.add(batcher.submit(ScoreMode.WARM, Origin.HTTP, List.of("p", "p", "p", "p"), List.of("a", "b", "c", "d")));
        assertTrue(started.await(10, TimeUnit.SECONDS));
        admitted.add(batcher.submit(ScoreMode.WARM, Origin.HTTP, List.of("p", "p", "p"), List.of("a", "b", "c")));
        assertEquals(35, batcher.pendingTokens());
        QueueFullException full = assertThrows(QueueFullException.class,
                () -> batcher.submit(ScoreMode.WARM, Origin.HTTP, List.of("p", "p"), List.of("a", "b")));
        assertEquals(40, full.budget());
        assertEquals(10, full.cost());
        assertThrows(QueueFullException.class, () -> batcher.submit(ScoreMode.WARM, Origin.HTTP, List.of("p"), List.of("a b")),
                "the space does not count, but 'a' and 'b' are 2 tokens: 6 > 5");
        admitted.add(batcher.submit(ScoreMode.WARM, Origin.HTTP, List.of("p"), List.of("x")));
        RequestTooExpensiveException never = assertThrows(RequestTooExpensiveException.class,
                () -> batcher.submit(ScoreMode.WARM, Origin.HTTP, List.of("p"), List.of("y".repeat(40))));
        assertEquals(44, never.cost());
        release.countDown();
        for (CompletableFuture<Scores> f : admitted) {
            assertEquals(1, get(f).version());
        }
        assertEquals(0, batcher.pendingTokens());
        assertEquals(1, get(batcher.submit(ScoreMode.WARM, Origin.HTTP, List.of("p", "p"), List.of("a", "b"))).version());
    }

    @Test
    void requestsAdmittedBeforeASwapFinishOnTheOldVersionWhichClosesAfterThem() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        CountDownLatch started = new CountDownLatch(1);
        Fake v1 = Fake.offset(100, 0).beforeScoring(() -> {
            started.countDown();
            await(release);
        });
        Fake v2 = Fake.offset(200, 0);
        hot.install(FakeModels.serving(1, v1));
        batcher(2, 0, 100_000, 1);
        CompletableFuture<Scores> running = batcher.submit(ScoreMode.WARM, Origin.HTTP, List.of("p", "p"), List.of("a", "b"));
        assertTrue(started.await(10, TimeUnit.SECONDS));
        CompletableFuture<Scores> queued = batcher.submit(ScoreMode.WARM, Origin.HTTP, List.of("p"), List.of("abc"));

        assertTrue(hot.install(FakeModels.serving(2, v2)));
        assertFalse(v1.closed.get(), "v1 still has requests in flight");
        CompletableFuture<Scores> after = batcher.submit(ScoreMode.WARM, Origin.HTTP, List.of("p"), List.of("abc"));
        release.countDown();

        assertEquals(1, get(running).version());
        assertArrayEquals(new float[] {101, 101}, get(running).rewards(), 0f);
        assertEquals(1, get(queued).version());
        assertArrayEquals(new float[] {103}, get(queued).rewards(), 0f);
        assertEquals(2, get(after).version());
        assertArrayEquals(new float[] {203}, get(after).rewards(), 0f);
        assertTrue(v1.closed.get(), "v1 closes after its last request");
        assertFalse(v2.closed.get());
        assertFalse(hot.install(FakeModels.serving(2, Fake.offset(0, 0))), "versions only go up");
    }

    @Test
    void noModelYetIsReportedAndAFailingBatchFailsOnlyItsRequests() throws Exception {
        batcher(4, 0, 100_000, 1);
        assertThrows(NoModelException.class, () -> batcher.submit(ScoreMode.WARM, Origin.HTTP, List.of("p"), List.of("a")));
        Fake broken = new Fake(r -> {
            if (r.equals("boom")) throw new IllegalArgumentException("bad input");
            return 1;
        }, 0);
        hot.install(FakeModels.serving(1, broken));
        ExecutionException e = assertThrows(ExecutionException.class,
                () -> get(batcher.submit(ScoreMode.WARM, Origin.HTTP, List.of("p"), List.of("boom"))));
        assertInstanceOf(IllegalArgumentException.class, e.getCause());
        assertEquals(0, batcher.pendingTokens());
        assertArrayEquals(new float[] {1}, get(batcher.submit(ScoreMode.WARM, Origin.HTTP, List.of("p"), List.of("ok"))).rewards(), 0f);
        hot.close();
        assertTrue(broken.closed.get(), "released leases let the model close");
    }

    @Test
    void ensModeAveragesMembersReportsTheirSpreadAndIsRefusedWithoutMembers() throws Exception {
        ModelVersion v = FakeModels.version("default", 1, List.of(FakeModels.member("a"), FakeModels.member("b")));
        Map<String, Fake> byUri = Map.of(
                v.uri().toString(), Fake.offset(10, 0),
                v.members().get(0).uri().toString(), Fake.offset(0, 0),
                v.members().get(1).uri().toString(), Fake.offset(2, 0));
        List<ScoredBatch> seen = new CopyOnWriteArrayList<>();
        hot.addListener(new ServingListener() {
            @Override
            public void onBatchScored(ScoredBatch batch) {
                seen.add(batch);
            }
        });
        try (ModelUpdater updater = new ModelUpdater(hot, (uri, sha) -> byUri.get(uri.toString()),
                new ModelUpdater.EnsembleSettings(true, 4), Clock.systemUTC(), true,
                new ModelUpdater.Retry(new io.warmstream.platform.Backoff(java.time.Duration.ofMillis(50),
                        java.time.Duration.ofMillis(200)), new io.warmstream.platform.DependencyOutages()))) {
            batcher(8, 0, 100_000, 1);
            updater.offer(v);
            Await.until("the ensemble ready", Duration.ofSeconds(10), Duration.ofMillis(10),
                    () -> hot.current().map(m -> m.ensembleStatus().ready()).orElse(false));
            Scores ens = get(batcher.submit(ScoreMode.ENS, Origin.HTTP, List.of("p", "p"), List.of("", "abcd")));
            assertEquals(ScoreMode.ENS, ens.mode());
            assertEquals(2, ens.members());
            assertArrayEquals(new float[] {1, 5}, ens.rewards(), 1e-6f); // mean of (0, 2) and (4, 6)
            assertArrayEquals(new float[] {1, 1}, ens.std(), 1e-6f);
            Scores warm = get(batcher.submit(ScoreMode.WARM, Origin.STREAM, List.of("p"), List.of("abcd")));
            assertArrayEquals(new float[] {14}, warm.rewards(), 0f);

            Await.until("two batches seen", Duration.ofSeconds(5), Duration.ofMillis(10), () -> seen.size() >= 2);
            assertEquals(2, seen.size());
            assertEquals(ScoreMode.ENS, seen.get(0).mode());
            assertEquals(List.of(Origin.STREAM), seen.get(1).origins());
            assertEquals(List.of("abcd"), seen.get(1).responses());
        }
        HotSwappedModel plain = new HotSwappedModel("default");
        plain.install(FakeModels.serving(1, Fake.offset(0, 0)));
        try (DynamicBatcher b = new DynamicBatcher(new BatchSettings(4, Duration.ZERO, 1_000, 1, Duration.ofSeconds(30)), plain, BatchObserver.NONE)) {
            EnsembleUnavailableException u = assertThrows(EnsembleUnavailableException.class,
                    () -> b.submit(ScoreMode.ENS, Origin.HTTP, List.of("p"), List.of("a")));
            assertEquals("disabled", u.state());
        } finally {
            plain.close();
        }
    }

    private static void await(CountDownLatch latch) {
        try {
            latch.await(20, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
