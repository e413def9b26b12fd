package io.warmstream.scorer.batching;

import io.warmstream.scorer.serving.FakeModels;
import io.warmstream.scorer.serving.FakeModels.Fake;
import io.warmstream.scorer.serving.HotSwappedModel;
import io.warmstream.scorer.serving.Origin;
import io.warmstream.scorer.serving.ScoreMode;
import io.warmstream.scorer.serving.Scores;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Work of requests that ended (client gone, deadline passed) is dropped before any forward pass; requests take turns. */
class BatcherCancellationTest {

    private final HotSwappedModel hot = new HotSwappedModel("default");
    private final Map<String, Integer> dropped = new ConcurrentHashMap<>();
    private final List<String> ended = new CopyOnWriteArrayList<>();
    private DynamicBatcher batcher;

    @AfterEach
    void stop() {
        if (batcher != null) batcher.close();
        hot.close();
    }

    private DynamicBatcher batcher(int maxBatch, Duration deadline) {
        batcher = new DynamicBatcher(new BatchSettings(maxBatch, Duration.ZERO, 100_000, 1, deadline), hot, new BatchObserver() {
            @Override
            public void requestEnded(String reason) {
                ended.add(reason);
            }

            @Override
            public void itemsDropped(String reason, int items) {
                dropped.merge(reason, items, Integer::sum);
            }
        });
        return batcher;
    }

    private static List<String> texts(String prefix, int n) {
        List<String> out = new ArrayList<>();
        for (int i = 0; i < n; i++) out.add(prefix + i);
        return out;
    }

    /** A model whose first forward pass waits for {@code release}, recording every response it computes. */
    private static Fake blockingFirstPass(CountDownLatch started, CountDownLatch release, List<String> computed) {
        return new Fake(r -> {
            computed.add(r);
            return 1;
        }, 0).beforeScoring(() -> {
            if (started.getCount() > 0) {
                started.countDown();
                try {
                    release.await(20, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
        });
    }

    @Test
    void aCancelledRequestsQueuedItemsAreNeverComputedAndItsTokensReturnAtOnce() throws Exception {
        CountDownLatch started = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        List<String> computed = Collections.synchronizedList(new ArrayList<>());
        hot.install(FakeModels.serving(1, blockingFirstPass(started, release, computed)));
        batcher(2, Duration.ofSeconds(30));
        CompletableFuture<Scores> running = batcher.submit(ScoreMode.WARM, Origin.HTTP, List.of("p"), List.of("first"));
        assertTrue(started.await(10, TimeUnit.SECONDS));
        int before = batcher.pendingTokens();
        CompletableFuture<Scores> gone = batcher.submit(ScoreMode.WARM, Origin.HTTP, texts("p", 10), texts("gone", 10));
        assertTrue(batcher.pendingTokens() > before);
        gone.cancel(false); // what the controller does when the client's connection closes
        assertEquals(before, batcher.pendingTokens(), "the cancelled request's tokens are back before any pass ran");
        assertEquals(0, batcher.queuedItems());
        release.countDown();
        assertEquals(1, running.get(10, TimeUnit.SECONDS).version());
        assertThrows(CancellationException.class, () -> gone.get(1, TimeUnit.SECONDS));
        assertEquals(List.of("first"), computed, "nothing of the cancelled request was computed");
        assertEquals(10, dropped.get("client_gone"));
        assertEquals(List.of("client_gone"), ended);
        assertEquals(0, batcher.pendingTokens());
    }

    @Test
    void aRequestPastItsDeadlineIsAnsweredAtTheDeadlineAndItsItemsAreDropped() throws Exception {
        CountDownLatch started = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        List<String> computed = Collections.synchronizedList(new ArrayList<>());
        hot.install(FakeModels.serving(1, blockingFirstPass(started, release, computed)));
        batcher(2, Duration.ofSeconds(30));
        CompletableFuture<Scores> slow = batcher.submit(ScoreMode.WARM, Origin.HTTP, texts("p", 3), texts("slow", 3));
        assertTrue(started.await(10, TimeUnit.SECONDS)); // its first 2 items are in the blocked pass
        long t0 = System.nanoTime();
        CompletableFuture<Scores> late = batcher.submit(ScoreMode.WARM, Origin.HTTP, texts("p", 5), texts("late", 5),
                Duration.ofMillis(200));
        ExecutionException e = assertThrows(ExecutionException.class, () -> late.get(5, TimeUnit.SECONDS));
        long waited = (System.nanoTime() - t0) / 1_000_000;
        assertInstanceOf(DeadlineExceededException.class, e.getCause());
        assertTrue(waited >= 150 && waited < 3_000, "answered at its deadline, after " + waited + " ms");
        release.countDown();
        assertEquals(3, slow.get(10, TimeUnit.SECONDS).rewards().length);
        assertTrue(computed.stream().noneMatch(r -> r.startsWith("late")), "expired items were never computed: " + computed);
        assertEquals(5, dropped.get("deadline"));
        assertEquals(0, batcher.pendingTokens());
    }

    @Test
    void aSmallRequestWaitsForOneBatchOfABigOneNotForAllOfIt() throws Exception {
        List<String> computed = Collections.synchronizedList(new ArrayList<>());
        hot.install(FakeModels.serving(1, new Fake(r -> {
            computed.add(r);
            return 1;
        }, 20)));
        batcher(4, Duration.ofSeconds(30));
        CompletableFuture<Scores> big = batcher.submit(ScoreMode.WARM, Origin.HTTP, texts("p", 80), texts("big", 80));
        while (computed.size() < 4) Thread.sleep(1); // the big one's first batch is done, the second running
        int before = computed.size();
        CompletableFuture<Scores> small = batcher.submit(ScoreMode.WARM, Origin.HTTP, List.of("p"), List.of("small"));
        small.get(10, TimeUnit.SECONDS);
        long bigAhead = computed.subList(before, computed.indexOf("small")).stream().filter(r -> r.startsWith("big")).count();
        // The batch running at submission (4) and the small one's share of the next (3): not the 76 big items left.
        assertTrue(bigAhead <= 7, "the small request waited for " + bigAhead + " big items");
        assertEquals(80, big.get(20, TimeUnit.SECONDS).rewards().length);
    }

    @Test
    void tokenCostIsAnUpperBoundCappedAtTheModelsLength() {
        assertEquals(3 + 2 + 3, TokenCost.paddedLength(List.of("a b c"), List.of("d\te"), 512));
        assertEquals(3 + 5 + 3, TokenCost.paddedLength(List.of("x", "abc"), List.of("y", "中文字符!"), 512),
                "the longest pair sets the padding; every CJK character and punctuation mark is a token");
        assertEquals(512, TokenCost.paddedLength(List.of("p"), List.of("w".repeat(100_000)), 512));
        assertEquals(2, TokenCost.tokenBound("\ud83d\ude00\ud83d\ude00"), "code points, not chars");
    }
}
