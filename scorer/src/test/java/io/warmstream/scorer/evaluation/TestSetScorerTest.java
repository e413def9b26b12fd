package io.warmstream.scorer.evaluation;

import io.warmstream.model.BaseModels;
import io.warmstream.model.Compute;
import io.warmstream.model.RewardModel;
import io.warmstream.testkit.RandomHeads;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class TestSetScorerTest {

    @TempDir
    Path tmp;

    TestSet set(int n) {
        List<String> p = new ArrayList<>(), a = new ArrayList<>(), b = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            p.add("Post " + i + ": a storm closed the harbour for " + i + " days.");
            a.add("A storm closed the harbour for " + i + " days.");
            b.add(i % 3 == 0 ? "Weather." : "The harbour " + "was ".repeat(1 + i % 4));
        }
        return new TestSet("clean", p, a, b);
    }

    Path model(String name, long baseSeed, long headSeed) {
        Path dir = tmp.resolve(name);
        try (RewardModel m = RewardModel.create(RandomHeads.withRandomHead(BaseModels.tiny(baseSeed), headSeed), Compute.cpu())) {
            m.save(dir, Map.of());
        }
        return dir;
    }

    @Test
    void cachedBottomGivesTheWholeNetworksAccuracyAndIsReusedByModelsSharingIt() {
        TestSet set = set(60);
        Path first = model("a", 5, 5);
        Path sameBottom = model("b", 5, 9);
        Path otherBottom = model("c", 6, 6);
        try (TestSetScorer whole = new TestSetScorer(List.of(set), Compute.cpu(), 0, 0);
             TestSetScorer cached = new TestSetScorer(List.of(set), Compute.cpu(), 0, 1)) {
            for (Path dir : List.of(first, sameBottom, otherBottom)) {
                TestSetAccuracy w = whole.score(dir).get(0);
                TestSetAccuracy c = cached.score(dir).get(0);
                assertEquals(w.accuracy(), c.accuracy(), 1e-12, dir.toString());
                assertEquals(60, c.pairs());
                if (dir == first) {
                    assertTrue(cached.cachedBytes() > 0, "the first model fills the cache");
                }
            }
            assertEquals(0, whole.cachedBytes());
        }
    }

    @Test
    void warmingUpFromTheBaseFillsTheCacheThatItsFineTunedVersionsThenReuse() {
        TestSet set = set(40);
        Path version = model("v", 5, 9);
        try (TestSetScorer whole = new TestSetScorer(List.of(set), Compute.cpu(), 0, 0);
             TestSetScorer cached = new TestSetScorer(List.of(set), Compute.cpu(), 0, 1)) {
            long computed = cached.warmUp(BaseModels.tiny(5));
            long filled = cached.cachedBytes();
            assertTrue(filled > 0, "the warm-up computed the bottom of every test sequence");
            assertTrue(computed > 0 && computed <= 80, "at most 40 pairs x 2 distinct sequences: " + computed);
            assertEquals(computed, cached.cacheStats().misses(), "only the bottom ran: every lookup was computed once");
            assertEquals(whole.score(version).get(0).accuracy(), cached.score(version).get(0).accuracy(), 1e-12);
            assertEquals(filled, cached.cachedBytes(), "the version reused the warmed cache: nothing new computed");
        }
    }

    /** A second scorer on the same directory (a restart, another scorer, the stream replay) reads, never recomputes. */
    @Test
    void aDiskTierIsReadBackByTheNextScorerOfTheSameTestSets() {
        TestSet set = set(30);
        Path version = model("v", 5, 9);
        Path disk = tmp.resolve("features");
        List<TestSetOutcomes> first;
        try (TestSetScorer a = new TestSetScorer(List.of(set), Compute.cpu(), 0, 1, disk, 1L << 30)) {
            first = a.outcomes(version);
            assertEquals(60, a.cacheStats().misses(), "30 pairs, two sequences each, computed once");
        }
        try (TestSetScorer b = new TestSetScorer(List.of(set), Compute.cpu(), 0, 1, disk, 1L << 30)) {
            assertEquals(0, b.warmUp(BaseModels.tiny(5)), "a warm-up on a filled directory computes nothing");
            List<TestSetOutcomes> again = b.outcomes(version);
            assertEquals(0, b.cacheStats().misses(), "everything came from the directory");
            assertEquals(60, b.cacheStats().diskHits());
            assertTrue(java.util.Arrays.equals(first.get(0).right(), again.get(0).right()));
        }
    }

    /** The scorer closing mid-judgement cancels it between chunks, so nothing native is closed under a running thread. */
    @Test
    void cancellingStopsScoringBetweenChunksFromAnotherThread() throws Exception {
        TestSet set = set(TestSetScorer.CHUNK * 40);
        Path version = model("v", 5, 9);
        try (TestSetScorer scorer = new TestSetScorer(List.of(set), Compute.cpu(), 0, 0)) {
            java.util.concurrent.CompletableFuture<List<TestSetAccuracy>> scoring =
                    java.util.concurrent.CompletableFuture.supplyAsync(() -> scorer.score(version));
            Thread.sleep(300);
            scorer.cancel();
            java.util.concurrent.ExecutionException e = assertThrows(java.util.concurrent.ExecutionException.class,
                    () -> scoring.get(30, java.util.concurrent.TimeUnit.SECONDS));
            assertTrue(e.getCause() instanceof java.util.concurrent.CancellationException, e.getCause().toString());
            assertThrows(java.util.concurrent.CancellationException.class, () -> scorer.warmUp(BaseModels.tiny(5)),
                    "a cancelled scorer starts nothing new");
        }
    }

    @Test
    void accuracyCountsTiesAsWrongAndGivesTheBinomialStandardError() {
        TestSetAccuracy a = TestSetAccuracy.of("s", new float[] {1, 2, 3, 0}, new float[] {0, 2, 1, 1}, 5);
        assertEquals(0.5, a.accuracy());
        assertEquals(Math.sqrt(0.25 / 4), a.standardError(), 1e-12);
    }

    @Test
    void pairedDifferenceCountsOnlyThePairsTheModelsDisagreeOn() {
        // a right on pairs 0,1,2; b right on 1,2,3: differences +1, 0, 0, -1, 0
        TestSetOutcomes a = new TestSetOutcomes("s", new boolean[] {true, true, true, false, false}, 0);
        TestSetOutcomes b = new TestSetOutcomes("s", new boolean[] {false, true, true, true, false}, 0);
        double[] d = a.pairedDifference(b);
        assertEquals(0.0, d[0], 1e-12);
        // sample variance of {1,0,0,-1,0} is 2/4; its mean's standard error sqrt(0.5 / 5)
        assertEquals(Math.sqrt(0.5 / 5), d[1], 1e-12);
        double[] ab = a.pairedDifference(new TestSetOutcomes("s", new boolean[5], 0));
        assertEquals(0.6, ab[0], 1e-12);
        assertThrows(IllegalArgumentException.class, () -> a.pairedDifference(new TestSetOutcomes("s", new boolean[4], 0)));
    }

    @Test
    void loadReadsTheFirstPairsAndNamesTheBadLine() throws Exception {
        Path good = tmp.resolve("good.jsonl");
        Files.writeString(good, """
                {"id":"1","prompt":"p1","chosen":"c1","rejected":"r1","metadata":{"x":"y"}}

                {"prompt":"p2","chosen":"c2","rejected":"r2"}
                {"prompt":"p3","chosen":"c3","rejected":"r3"}
                """);
        TestSet s = TestSet.load("g", good, 2);
        assertEquals(List.of("p1", "p2"), s.prompts());
        assertEquals(List.of("c1", "c2"), s.preferred());
        Path bad = tmp.resolve("bad.jsonl");
        Files.writeString(bad, "{\"prompt\":\"p1\",\"chosen\":\"c1\",\"rejected\":\"r1\"}\n{\"prompt\":\"p2\",\"chosen\":\"c2\"}\n");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> TestSet.load("b", bad, 10));
        assertTrue(e.getMessage().contains("line 2") && e.getMessage().contains("'rejected' is missing"), e.getMessage());
        Files.writeString(bad, "{\"prompt\":\"p1\",\"chosen\":7,\"rejected\":\"r1\"}\n");
        e = assertThrows(IllegalArgumentException.class, () -> TestSet.load("b", bad, 10));
        assertTrue(e.getMessage().contains("line 1") && e.getMessage().contains("'chosen'"), e.getMessage());
    }

    @Test
    void settingsParseNamedFilesAndRefuseMalformedEntries() {
        EvaluationSettings s = new EvaluationSettings();
        s.setTestSets("gold-id=/a/id.jsonl, gold-ood=/a/ood.jsonl");
        assertEquals(List.of("gold-id", "gold-ood"), List.copyOf(s.files().keySet()));
        assertEquals(Path.of("/a/ood.jsonl"), s.files().get("gold-ood"));
        s.setTestSets("just-a-path.jsonl");
        assertThrows(IllegalArgumentException.class, s::files);
        s.setTestSets("a=x,a=y");
        assertThrows(IllegalArgumentException.class, s::files);
        assertThrows(IllegalArgumentException.class, () -> s.setMaxPairs(0));
    }
}
