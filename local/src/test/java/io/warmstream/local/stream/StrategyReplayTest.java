package io.warmstream.local.stream;

import io.warmstream.events.EvaluationSubject;
import io.warmstream.events.ModelEvaluation;
import io.warmstream.events.WarmModelPublished;
import io.warmstream.local.feed.GoldTestSets;
import io.warmstream.model.BaseModel;
import io.warmstream.model.BaseModels;
import io.warmstream.model.Compute;
import io.warmstream.model.merge.MergeStrategy;
import io.warmstream.model.store.FileSystemCheckpointStore;
import io.warmstream.model.weights.ModelDirectory;
import io.warmstream.model.weights.NamedTensor;
import io.warmstream.scorer.evaluation.TestSet;
import io.warmstream.scorer.evaluation.TestSetOutcomes;
import io.warmstream.scorer.evaluation.TestSetScorer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
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
        assertEquals(3 + 2 + 2 + 1, section.get("modelsJudged"), "uniform, data-size, EMA and window: new models");
        assertEquals(0, section.get("modelsFromTheRunsJudge"));
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

    @Test
    @SuppressWarnings("unchecked")
    void takesWhatTheRunsJudgeFoundInsteadOfJudgingAgain() throws Exception {
        List<StrategyReplay.Member> members = new ArrayList<>();
        for (int i = 0; i < 2; i++) {
            Path dir = tmp.resolve("members").resolve("job-" + i);
            member(dir, 21 + i, 0.05);
            members.add(new StrategyReplay.Member("job-" + i, dir, 100L * (i + 1), 0.7, 0));
        }
        // The run's judge is said to have got every pair of job-0 right and every pair of the served v1 (the mean of
        // job-0 and job-1, stored as the run stores it) wrong: figures no real judgement of these models gives, so
        // the replay's figures show whether it judged again.
        FileSystemCheckpointStore store = new FileSystemCheckpointStore(tmp.resolve("store"));
        Path mean = tmp.resolve("v1");
        io.warmstream.model.merge.AverageFolder folder = new io.warmstream.model.merge.AverageFolder(
                io.warmstream.model.merge.MergeSettings.of(MergeStrategy.UNIFORM)
                        .withMemberLocator(m -> tmp.resolve("members").resolve(m.jobId())));
        folder.fold(null, members.get(0).dir(), "job-0", 1.0, tmp.resolve("a1"));
        folder.fold(tmp.resolve("a1"), members.get(1).dir(), "job-1", 1.0, mean);
        URI v1 = store.put("v1", mean);
        Map<String, Integer> sets = new LinkedHashMap<>();
        sets.put(GoldTestSets.IN_DISTRIBUTION, 60);
        sets.put(GoldTestSets.OUT_OF_DISTRIBUTION, 60);
        List<ModelEvaluation> evaluations = new ArrayList<>();
        for (String set : sets.keySet()) {
            evaluations.add(judged(EvaluationSubject.MEMBER, 0, "job-0", set, 60, true));
            evaluations.add(judged(EvaluationSubject.VERSION, 1, null, set, 60, false));
            // A member judged on fewer pairs than the replay reads is not taken.
            evaluations.add(judged(EvaluationSubject.MEMBER, 0, "job-1", set, 59, true));
        }
        List<String> unreadable = new ArrayList<>();
        Map<String, List<TestSetOutcomes>> byKey = RunJudgements.byJudgeKey(evaluations,
                Map.of(1L, published(1, v1.toString())), store.root(), sets, unreadable::add);
        assertEquals(2, byKey.size(), byKey.keySet().toString());
        assertEquals(List.of(), unreadable);

        ByteArrayOutputStream log = new ByteArrayOutputStream();
        Map<String, Object> section;
        try (TestSetScorer judge = new TestSetScorer(List.of(testSet(GoldTestSets.IN_DISTRIBUTION, 1),
                testSet(GoldTestSets.OUT_OF_DISTRIBUTION, 2)), Compute.auto(), 32, 0)) {
            StrategyReplay replay = new StrategyReplay(judge, tmp.resolve("work"), new PrintStream(log, true));
            assertEquals(2, replay.reuse(byKey));
            section = replay.run(members, List.of(MergeStrategy.UNIFORM), new StrategyReplay.Parameters(0.3, 2));
        }
        assertTrue(log.toString().contains("replay: uniform, 2 averages, 0 judged (2 the same"), log.toString());
        assertEquals(0, section.get("modelsJudged"));
        assertEquals(2, section.get("modelsFromTheRunsJudge"));
        List<Map<String, Object>> uniform = points((Map<String, Object>) section.get("strategies"), "uniform");
        assertEquals(1.0, (Double) uniform.get(0).get("goldId"));
        assertEquals(1.0, (Double) uniform.get(0).get("goldOod"));
        assertEquals(0.0, (Double) uniform.get(1).get("goldId"));
    }

    private static ModelEvaluation judged(EvaluationSubject subject, long version, String job, String set, int pairs,
                                          boolean right) {
        boolean[] outcomes = new boolean[pairs];
        java.util.Arrays.fill(outcomes, right);
        byte[] bits = new TestSetOutcomes(set, outcomes, 5).packed();
        return ModelEvaluation.newBuilder().setAverage("default").setVersion(version).setSubject(subject).setJobId(job)
                .setTestSet(set).setPairs(pairs).setAccuracy(right ? 1 : 0).setStandardError(0).setTrainLabels(100)
                .setGeneration(0).setEvaluatedAt(Instant.EPOCH).setDurationMs(5).setOutcomes(ByteBuffer.wrap(bits))
                .build();
    }

    private static WarmModelPublished published(long version, String uri) {
        return WarmModelPublished.newBuilder().setAverage("default").setVersion(version).setUri(uri).setSha256("00")
                .setLineage("l").setStrategy("UNIFORM").setMembers(List.of()).setMemberCount(2)
                .setValidationAccuracy(0.7).setPublishedAt(Instant.EPOCH).build();
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
