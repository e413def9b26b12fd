package io.warmstream.local.stream;

import io.warmstream.local.feed.GoldTestSets;
import io.warmstream.model.BaseModel;
import io.warmstream.model.BaseModels;
import io.warmstream.model.Compute;
import io.warmstream.model.merge.MergeStrategy;
import io.warmstream.model.weights.ModelDirectory;
import io.warmstream.model.weights.NamedTensor;
import io.warmstream.scorer.evaluation.TestSet;
import io.warmstream.scorer.evaluation.TestSetScorer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.stream.IntStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class StrategyReplayTest {

    private static final BaseModel BASE = BaseModels.tiny(7);

    @TempDir
    Path tmp;

    @Test
    @SuppressWarnings("unchecked")
    void foldsTheSameMembersUnderEachStrategyAndPairsTheirDifferences() throws Exception {
        List<StrategyReplay.Member> members = new ArrayList<>();
        long[] labels = {100, 400, 1600};
        for (int i = 0; i < 3; i++) {
            Path dir = tmp.resolve("members").resolve("job-" + i);
            // Member i drifts further from the base: weighting by labels must give another average than uniform.
            member(dir, 11 + i, 0.02 * (1 + 4 * i));
            members.add(new StrategyReplay.Member("job-" + i, dir, labels[i], 0.7 + 0.05 * i, 0));
        }
        List<MergeStrategy> strategies = List.of(MergeStrategy.UNIFORM, MergeStrategy.DATA_SIZE_WEIGHTED,
                MergeStrategy.EMA, MergeStrategy.SLIDING_WINDOW);
        ByteArrayOutputStream log = new ByteArrayOutputStream();
        Map<String, Object> section;
        try (TestSetScorer judge = new TestSetScorer(List.of(testSet(GoldTestSets.IN_DISTRIBUTION, 1),
                testSet(GoldTestSets.OUT_OF_DISTRIBUTION, 2)), Compute.auto(), 32, 0)) {
            section = new StrategyReplay(judge, tmp.resolve("work"), new PrintStream(log, true))
                    .run(members, strategies, new StrategyReplay.Parameters(0.3, 2));
        }
        assertEquals("uniform", section.get("reference"));
        Map<String, Object> curves = (Map<String, Object>) section.get("strategies");
        assertEquals(List.of("uniform", "data-size-weighted", "ema", "sliding-window"), List.copyOf(curves.keySet()));
        for (Object c : curves.values()) {
            List<Map<String, Object>> points = (List<Map<String, Object>>) ((Map<String, Object>) c).get("points");
            assertEquals(List.of(1, 2, 3), points.stream().map(p -> p.get("members")).toList());
            assertEquals(List.of(100L, 400L, 1600L), points.stream().map(p -> p.get("trainLabels")).toList());
            // The first average is the first member under every strategy: no difference at all.
            assertEquals(0.0, (Double) points.get(0).get("goldIdVsReference"));
            assertEquals(0.0, (Double) points.get(0).get("goldIdVsReferenceSe"));
        }
        List<Map<String, Object>> uniform = points(curves, "uniform");
        for (Map<String, Object> p : uniform) {
            assertEquals(0.0, (Double) p.get("goldOodVsReference"));
        }
        List<Map<String, Object>> bySize = points(curves, "data-size-weighted");
        // 100 / 400 / 1600 labels against equal weights: the averages differ, so at least one pair's verdict does.
        assertTrue(IntStream.range(1, 3).anyMatch(i -> !bySize.get(i).get("goldId").equals(uniform.get(i).get("goldId"))
                        || !bySize.get(i).get("goldOod").equals(uniform.get(i).get("goldOod"))),
                "data-size-weighted judged exactly like uniform: " + bySize + " vs " + uniform);
        Map<String, Object> last = (Map<String, Object>) ((Map<String, Object>) curves.get("ema")).get("final");
        assertEquals(3, last.get("members"));
        double se = (Double) last.get("goldIdSe");
        double acc = (Double) last.get("goldId");
        assertEquals(Math.sqrt(acc * (1 - acc) / 60), se, 1e-12);
        // Each distinct model is judged once: every first average is the first member, and a window of 2 that has
        // not slid yet (its second average) is uniform's second average.
        String printed = log.toString();
        assertTrue(printed.contains("replay: uniform, 3 averages, 3 judged (0 the same"), printed);
        assertTrue(printed.contains("replay: data-size-weighted, 3 averages, 2 judged (1 the same"), printed);
        assertTrue(printed.contains("replay: sliding-window, 3 averages, 1 judged (2 the same"), printed);
        List<Map<String, Object>> window = points(curves, "sliding-window");
        assertEquals(0.0, (Double) window.get(1).get("goldIdVsReferenceSe"));
        assertFalse(Files.exists(tmp.resolve("work").resolve("uniform").resolve("v1")), "earlier averages are deleted");

        String md = ReplaySection.markdown(section);
        assertTrue(md.contains("| uniform | "), md);
        assertTrue(md.contains("+0.000 ± 0.000"), md);
        Path png = tmp.resolve(ReplaySection.PLOT);
        ReplaySection.plot(section, png);
        assertTrue(Files.size(png) > 1000);
        assertNotEquals(uniform.get(2), bySize.get(2));
    }

    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> points(Map<String, Object> curves, String strategy) {
        return (List<Map<String, Object>>) ((Map<String, Object>) curves.get(strategy)).get("points");
    }

    /** The tiny base plus N(0, scale) noise from {@code seed}, saved as a model directory of the base's lineage. */
    private static void member(Path dir, long seed, double scale) {
        SplittableRandom r = new SplittableRandom(seed);
        List<NamedTensor> tensors = new ArrayList<>();
        for (NamedTensor t : BASE.tensors()) {
            float[] d = t.data().clone();
            for (int i = 0; i < d.length; i++) {
                d[i] += (float) ((r.nextDouble() * 2 - 1) * scale);
            }
            tensors.add(new NamedTensor(t.name(), t.shape().clone(), d));
        }
        ModelDirectory.write(dir, tensors, BASE.config().toHuggingFaceConfig(), BASE.tokenizerFile(), BASE.lineage(),
                Map.of("test", "replay"));
    }

    private static TestSet testSet(String name, int seed) {
        SplittableRandom r = new SplittableRandom(seed);
        List<String> prompts = new ArrayList<>();
        List<String> better = new ArrayList<>();
        List<String> worse = new ArrayList<>();
        for (int i = 0; i < 60; i++) {
            prompts.add("question " + r.nextInt(1000));
            better.add("answer with " + r.nextInt(1000) + " details");
            worse.add("short " + r.nextInt(1000));
        }
        return new TestSet(name, prompts, better, worse);
    }
}
