package io.warmstream.merger.scoring;

import io.warmstream.merger.guard.HeldOutPairs;

import io.warmstream.merger.guard.PairRanker;
import io.warmstream.model.BaseModel;
import io.warmstream.model.BaseModels;
import io.warmstream.model.Compute;
import io.warmstream.model.PreferencePair;
import io.warmstream.model.RewardModel;
import io.warmstream.model.weights.ModelDirectory;
import io.warmstream.model.weights.NamedTensor;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.function.Predicate;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The held-out fast path on the tiny model (2 layers, bottom 1 cached): rewards equal the whole network's within
 * 1e-5 for models that kept the bottom, and any model whose bottom differs (trained in full, one value altered) runs
 * whole.
 */
class FrozenBottomScorerTest {

    private static final BaseModel BASE = BaseModels.tiny(7);
    private static final Predicate<String> TOP = n -> !n.startsWith("bert.embeddings.")
            && !n.startsWith("bert.encoder.layer.0.");

    @TempDir
    Path tmp;
    private final List<Boolean> outcomes = new ArrayList<>();
    private FrozenBottomScorer scorer;

    @AfterEach
    void close() {
        if (scorer != null) {
            scorer.close();
        }
    }

    @Test
    void topLayerMembersAndTheirAverageScoreFromTheCacheAsTheWholeNetworkDoes() {
        scorer = scorer(settings(true));
        List<PreferencePair> pairs = pairs(40);
        List<List<NamedTensor>> members = List.of(perturbed(1, TOP), perturbed(2, TOP), perturbed(3, TOP));
        List<Path> dirs = new ArrayList<>();
        for (int i = 0; i < members.size(); i++) {
            dirs.add(write("member-" + i, members.get(i)));
        }
        dirs.add(write("average", mean(members)));
        for (Path dir : dirs) {
            FrozenBottomScorer.Rewards cached = scorer.rewards(dir, pairs);
            assertTrue(cached.fromCache(), dir + " should score from the cache");
            float[][] whole = whole(dir, pairs);
            assertClose(whole[0], cached.chosen());
            assertClose(whole[1], cached.rejected());
            assertArrayEquals(PairRanker.rewardModels(Compute.cpu()).rankedRight(dir, pairs),
                    scorer.rankedRight(dir, pairs));
        }
        assertTrue(scorer.cachedBytes() > 0);
        assertTrue(outcomes.stream().allMatch(b -> b));
    }

    @Test
    void prewarmComputesTheBottomOfNewPairsOnceAndScoresStayTheWholeNetworks() {
        scorer = scorer(settings(true));
        List<PreferencePair> all = pairs(30);
        List<PreferencePair> first = all.subList(0, 10);
        assertEquals(0, scorer.prewarm(all, HeldOutPrewarmer.CHUNK), "nothing to prewarm before a model opened the cache");
        Path member = write("member", perturbed(1, TOP));
        scorer.rewards(member, first);
        long computed = scorer.prewarm(all, HeldOutPrewarmer.CHUNK);
        assertTrue(computed >= 2 * 20 - 2 && computed <= 2 * 20, "the 20 new pairs' two sequences each, got " + computed);
        assertEquals(0, scorer.prewarm(all, HeldOutPrewarmer.CHUNK), "a second prewarm finds everything cached");
        Path other = write("other", perturbed(2, TOP));
        FrozenBottomScorer.Rewards cached = scorer.rewards(other, all);
        assertTrue(cached.fromCache());
        float[][] whole = whole(other, all);
        assertClose(whole[0], cached.chosen());
        assertClose(whole[1], cached.rejected());
    }

    /** The first version is published unchecked (too few held-out labels): preparing on it lets prewarm start. */
    @Test
    void aPreparedScorerPrewarmsBeforeItScoredAnything() {
        scorer = scorer(settings(true));
        List<PreferencePair> all = pairs(12);
        scorer.prepare(write("first", perturbed(1, TOP)));
        assertEquals(0, scorer.cachedBytes());
        long computed = scorer.prewarm(all, HeldOutPrewarmer.CHUNK);
        assertTrue(computed >= 22 && computed <= 24, "12 pairs' two sequences each, got " + computed);
        assertTrue(scorer.cachedBytes() > 0);
        scorer.prepare(tmp.resolve("no-such-model"));
        assertEquals(0, scorer.prewarm(all, HeldOutPrewarmer.CHUNK), "an open cache stays open");
    }

    /** With base-model and max-length set, the features are ready before the first checkpoint arrives. */
    @Test
    void aConfiguredBaseOpensTheCacheAtStartAndItsFeaturesServeTheFirstModel() {
        Path member = write("member", perturbed(1, TOP));
        HeldOutCacheSettings s = settings(true);
        s.setBaseModel("tiny:7"); // max-length 0: the base's maximum positions, as the stored member scores at
        assertTrue(s.opensAtStart());
        scorer = scorer(s);
        List<PreferencePair> all = pairs(12);
        assertEquals(0, scorer.prewarm(all, HeldOutPrewarmer.CHUNK), "closed until prepared");
        scorer.prepareFromSettings();
        long computed = scorer.prewarm(all, HeldOutPrewarmer.CHUNK);
        assertTrue(computed >= 22 && computed <= 24, "12 pairs' two sequences each, got " + computed);
        FrozenBottomScorer.Rewards cached = scorer.rewards(member, all);
        assertTrue(cached.fromCache());
        assertEquals(0, scorer.prewarm(all, HeldOutPrewarmer.CHUNK), "the first model used the cache opened at start");
        float[][] whole = whole(member, all);
        assertClose(whole[0], cached.chosen());
        assertClose(whole[1], cached.rejected());
    }

    @Test
    void aBaseThatDoesNotLoadLeavesTheCacheToTheFirstModel() {
        Path member = write("member", perturbed(1, TOP));
        HeldOutCacheSettings s = settings(true);
        s.setBaseModel(tmp.resolve("no-such-base").toString());
        scorer = scorer(s);
        scorer.prepareFromSettings();
        assertEquals(0, scorer.cachedBytes());
        assertEquals(0, scorer.prewarm(pairs(4), HeldOutPrewarmer.CHUNK));
        assertFalse(settings(true).opensAtStart(), "no base: opens on the first model");
    }

    @Test
    void aPrewarmThatFailsIsReportedAsNothingComputedAndTheModelsStillRun() {
        HeldOutPairs three = new HeldOutPairs(List.of("a", "b", "c"), pairs(3));
        List<HeldOutPairs> modelRounds = new ArrayList<>();
        assertEquals(0, HeldOutPrewarmer.runOnce(() -> three, (pairs, chunk) -> {
            throw new IllegalStateException("engine gone");
        }, modelRounds::add));
        assertEquals(List.of(three), modelRounds, "model scoring does not depend on the feature cache working");
        assertEquals(6, HeldOutPrewarmer.runOnce(() -> three, (pairs, chunk) -> 2L * pairs.size(), snapshot -> {
            throw new IllegalStateException("store gone");
        }));
    }

    @Test
    void aModelTrainedInFullRunsWhole() {
        scorer = scorer(settings(true));
        List<PreferencePair> pairs = pairs(20);
        scorer.rewards(write("member", perturbed(1, TOP)), pairs);
        Path full = write("full", perturbed(2, n -> true));
        FrozenBottomScorer.Rewards r = scorer.rewards(full, pairs);
        assertFalse(r.fromCache());
        float[][] whole = whole(full, pairs);
        assertArrayEquals(whole[0], r.chosen());
        assertArrayEquals(whole[1], r.rejected());
        assertEquals(List.of(true, false), outcomes);
    }

    @Test
    void oneAlteredEmbeddingValueIsEnoughToRunWhole() {
        scorer = scorer(settings(true));
        List<PreferencePair> pairs = pairs(10);
        scorer.rewards(write("member", perturbed(1, TOP)), pairs);
        List<NamedTensor> altered = perturbed(2, TOP);
        for (NamedTensor t : altered) {
            if (t.name().equals("bert.embeddings.word_embeddings.weight")) {
                t.data()[100] = Math.nextUp(t.data()[100]); // one ulp: invisible to most checks, not to this one
            }
        }
        assertFalse(scorer.rewards(write("altered", altered), pairs).fromCache());
    }

    @Test
    void disabledScoresEveryModelWhole() {
        scorer = scorer(settings(false));
        List<PreferencePair> pairs = pairs(10);
        Path dir = write("member", perturbed(1, TOP));
        assertFalse(scorer.rewards(dir, pairs).fromCache());
        assertEquals(0, scorer.cachedBytes());
    }

    private FrozenBottomScorer scorer(HeldOutCacheSettings s) {
        return new FrozenBottomScorer(s, Compute.cpu(), outcomes::add);
    }

    private static HeldOutCacheSettings settings(boolean enabled) {
        HeldOutCacheSettings s = new HeldOutCacheSettings();
        s.setEnabled(enabled);
        s.setMemoryBytes(64L << 20);
        s.setCachedLayers(4); // capped at layers - 1 = 1 for the tiny model
        return s;
    }

    private Path write(String name, List<NamedTensor> tensors) {
        Path dir = tmp.resolve(name);
        ModelDirectory.write(dir, tensors, BASE.config().toHuggingFaceConfig(), BASE.tokenizerFile(), BASE.lineage(),
                Map.of("test", "fast-path"));
        return dir;
    }

    private static float[][] whole(Path dir, List<PreferencePair> pairs) {
        try (RewardModel m = RewardModel.load(dir, Compute.cpu())) {
            List<String> prompts = pairs.stream().map(PreferencePair::prompt).toList();
            return new float[][]{m.score(prompts, pairs.stream().map(PreferencePair::chosen).toList()),
                m.score(prompts, pairs.stream().map(PreferencePair::rejected).toList())};
        }
    }

    /** The base with N(0, 0.05) noise added to the tensors {@code which} selects. */
    private static List<NamedTensor> perturbed(long seed, Predicate<String> which) {
        SplittableRandom r = new SplittableRandom(seed);
        List<NamedTensor> out = new ArrayList<>();
        for (NamedTensor t : BASE.tensors()) {
            float[] d = t.data().clone();
            if (which.test(t.name())) {
                for (int i = 0; i < d.length; i++) {
                    d[i] += (float) ((r.nextDouble() - 0.5) * 0.1);
                }
            }
            out.add(new NamedTensor(t.name(), t.shape().clone(), d));
        }
        return out;
    }

    /** Element-wise mean, as a uniform average of the members computes it. */
    private static List<NamedTensor> mean(List<List<NamedTensor>> members) {
        List<NamedTensor> out = new ArrayList<>();
        for (int t = 0; t < members.get(0).size(); t++) {
            NamedTensor first = members.get(0).get(t);
            float[] d = new float[first.data().length];
            for (int i = 0; i < d.length; i++) {
                double sum = 0;
                for (List<NamedTensor> m : members) {
                    sum += m.get(t).data()[i];
                }
                d[i] = (float) (sum / members.size());
            }
            out.add(new NamedTensor(first.name(), first.shape().clone(), d));
        }
        return out;
    }

    private static List<PreferencePair> pairs(int n) {
        SplittableRandom r = new SplittableRandom(11);
        String[] words = {"the", "answer", "is", "clear", "and", "short", "but", "wrong", "about", "policy", "data",
            "reward", "model", "explains", "why"};
        List<PreferencePair> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            out.add(new PreferencePair(text(r, words, 3 + r.nextInt(20)), text(r, words, 1 + r.nextInt(40)),
                    text(r, words, 1 + r.nextInt(40))));
        }
        return out;
    }

    private static String text(SplittableRandom r, String[] words, int n) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < n; i++) {
            sb.append(i == 0 ? "" : " ").append(words[r.nextInt(words.length)]);
        }
        return sb.toString();
    }

    private static void assertClose(float[] expected, float[] actual) {
        assertEquals(expected.length, actual.length);
        for (int i = 0; i < expected.length; i++) {
            assertEquals(expected[i], actual[i], 1e-5, "reward " + i);
        }
    }
}
