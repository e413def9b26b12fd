package io.warmstream.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.warmstream.model.bert.BertConfig;
import io.warmstream.model.features.CacheStats;
import io.warmstream.model.features.FeatureStore;
import io.warmstream.model.features.MemoryFeatureStore;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A bounded cache (memory budget, disk tier) gives the rewards of the whole network, whatever it had to evict. */
class FrozenPrefixCacheStorageTest {

    private static final BertConfig FOUR_LAYERS = BertConfig.tiny(32, 4, 2, 64);
    private static final int LENGTH = 24;
    private static final List<PreferencePair> PAIRS = ToyPreferences.generate(40, 3);
    private static final List<String> PROMPTS = PAIRS.stream().map(PreferencePair::prompt).toList();
    private static final List<String> RESPONSES = PAIRS.stream().map(PreferencePair::chosen).toList();

    @TempDir
    Path dir;

    @Test
    void aSmallMemoryBudgetEvictsStaysWithinBudgetAndRecomputesTheSameRewards() {
        BaseModel base = BaseModels.tiny(FOUR_LAYERS, 21);
        // Room for about 8 of the 40 sequences (each 10-20 tokens x 32 floats).
        long budget = 8 * (20 * 32 * 4 + MemoryFeatureStore.ENTRY_OVERHEAD);
        FeatureStore store = FeatureStore.inMemory(budget);
        try (FrozenPrefixCache cache = FrozenPrefixCache.create(base, Compute.cpu(), LENGTH, 2, store);
             RewardModel model = RewardModel.create(base, Compute.cpu(), LENGTH)) {
            float[] expected = model.score(PROMPTS, RESPONSES);
            float[] first = cache.score(model, PROMPTS, RESPONSES);
            float[] again = cache.score(model, PROMPTS, RESPONSES);
            CacheStats stats = cache.stats();
            assertTrue(maxAbsDiff(expected, first) < 1e-5, "max |cached - full| = " + maxAbsDiff(expected, first));
            assertTrue(maxAbsDiff(expected, again) < 1e-5, "after eviction: " + maxAbsDiff(expected, again));
            assertTrue(cache.bytes() <= budget, cache.bytes() + " bytes held, budget " + budget);
            assertTrue(stats.memoryEvictions() > 0, "the budget must have forced evictions");
            assertTrue(cache.size() < PAIRS.size(), "held " + cache.size());
            assertEquals(2 * PAIRS.size(), stats.lookups());
            assertTrue(stats.misses() > PAIRS.size(), "evicted entries are computed again: " + stats.misses());
        }
    }

    @Test
    void aSecondCacheOverTheSameDirectoryReadsTheDiskTierAndACorruptFileIsRecomputed() throws IOException {
        BaseModel base = BaseModels.tiny(FOUR_LAYERS, 22);
        float[] expected;
        float[] written;
        try (RewardModel model = RewardModel.create(base, Compute.cpu(), LENGTH);
             FrozenPrefixCache first = FrozenPrefixCache.create(base, Compute.cpu(), LENGTH, 2,
                     FeatureStore.of(1 << 20, dir, 1 << 20))) {
            expected = model.score(PROMPTS, RESPONSES);
            written = first.score(model, PROMPTS, RESPONSES);
            assertEquals(PAIRS.size(), first.stats().misses());
        }
        long files = featureFiles().size();
        assertEquals(distinctSequences(base), files);

        try (RewardModel model = RewardModel.create(base, Compute.cpu(), LENGTH);
             FrozenPrefixCache second = FrozenPrefixCache.create(base, Compute.cpu(), LENGTH, 2,
                     FeatureStore.of(1 << 20, dir, 1 << 20))) {
            float[] read = second.score(model, PROMPTS, RESPONSES);
            assertArrayEquals(written, read, "hidden states read back bit for bit");
            assertEquals(0, second.stats().misses());
            assertEquals(files, second.stats().diskHits());
        }

        Path victim = featureFiles().get(0);
        byte[] bytes = Files.readAllBytes(victim);
        bytes[bytes.length / 2] ^= 0x40;
        Files.write(victim, bytes);
        try (RewardModel model = RewardModel.create(base, Compute.cpu(), LENGTH);
             FrozenPrefixCache third = FrozenPrefixCache.create(base, Compute.cpu(), LENGTH, 2,
                     FeatureStore.of(1 << 20, dir, 1 << 20))) {
            float[] recomputed = third.score(model, PROMPTS, RESPONSES);
            CacheStats stats = third.stats();
            assertEquals(1, stats.diskCorrupt());
            assertEquals(1, stats.misses(), "the corrupt file is a miss");
            assertTrue(maxAbsDiff(expected, recomputed) < 1e-5, "max |cached - full| = "
                    + maxAbsDiff(expected, recomputed));
            assertEquals(files, featureFiles().size(), "the corrupt file was replaced");
        }
    }

    @Test
    void aBaseMatchesByTheValueOfItsBottomOnly() {
        BaseModel base = BaseModels.tiny(FOUR_LAYERS, 23);
        try (FrozenPrefixCache cache = FrozenPrefixCache.create(base, Compute.cpu(), LENGTH, 2)) {
            assertTrue(cache.matches(base));
            assertTrue(cache.matches(base.withHead(new RewardHead(base.lineage().id(), new float[32], 0.5f,
                    java.util.Map.of()))), "another head leaves the bottom alone");
            assertFalse(cache.matches(BaseModels.tiny(FOUR_LAYERS, 24)));
            assertEquals(BottomFingerprint.of(base, 2), cache.fingerprint());
            assertTrue(BottomFingerprint.of(base, 2) != BottomFingerprint.of(base, 3), "layer 2 is in the bottom");
        }
    }

    private long distinctSequences(BaseModel base) {
        try (FrozenPrefixCache probe = FrozenPrefixCache.create(base, Compute.cpu(), LENGTH, 2)) {
            try (RewardModel model = RewardModel.create(base, Compute.cpu(), LENGTH)) {
                probe.score(model, PROMPTS, RESPONSES);
            }
            return probe.size();
        }
    }

    private List<Path> featureFiles() throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.filter(p -> p.toString().endsWith(".wsfc")).sorted().toList();
        }
    }

    static double maxAbsDiff(float[] a, float[] b) {
        assertEquals(a.length, b.length);
        double max = 0;
        for (int i = 0; i < a.length; i++) {
            max = Math.max(max, Math.abs(a[i] - b[i]));
        }
        return max;
    }
}
