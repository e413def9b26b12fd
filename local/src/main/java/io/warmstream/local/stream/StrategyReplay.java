package io.warmstream.local.stream;

import io.warmstream.model.store.DirectoryTree;
import io.warmstream.events.RewardModelCheckpoint;
import io.warmstream.events.WarmModelPublished;
import io.warmstream.model.merge.AverageFolder;
import io.warmstream.model.merge.FoldResult;
import io.warmstream.model.merge.MergeSettings;
import io.warmstream.model.merge.MergeStrategy;
import io.warmstream.model.store.CheckpointStore;
import io.warmstream.model.weights.MergeRecord;
import io.warmstream.model.weights.ModelDirectory;
import io.warmstream.model.weights.ModelManifest;
import io.warmstream.scorer.evaluation.TestSetOutcomes;
import io.warmstream.scorer.evaluation.TestSetScorer;

import java.io.PrintStream;
import java.net.URI;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The merge strategies compared on identical members: folds the members one stream run's merger accepted, in the
 * order it folded them, under each strategy, and judges every resulting average on the gold test sets. Training
 * noise is the same for all strategies, so their differences are paired per test pair and far more precise than
 * comparing separate runs; what this leaves out is the quality gate (a replayed average is never withheld). Members
 * of a newer shared-head generation start a new average, as in the merger; a point's average then holds only the
 * members of its generation so far.
 */
final class StrategyReplay {

    /** A member to fold: its job, where its model is, and what the weighted strategies weigh it by. */
    record Member(String jobId, Path dir, long trainLabels, double validationAccuracy, int generation) {
    }

    /** How each strategy is parameterised: the merger's own settings of the run. */
    record Parameters(double emaMu, int windowSize) {
    }

    private final TestSetScorer judge;
    private final Path work;
    private final PrintStream out;
    /** Judged outcomes by {@link #judgeKey}: the replay judges each distinct model once. */
    private final Map<String, List<TestSetOutcomes>> judged = new HashMap<>();
    /** How many of {@link #judged} came from the run's own judge. */
    private int reused;

    StrategyReplay(TestSetScorer judge, Path work, PrintStream out) {
        this.judge = judge;
        this.work = work;
        this.out = out;
    }

    /**
     * Models the run's own judge already judged ({@link RunJudgements}): the replay takes their outcomes instead of
     * judging them again. Returns how many were new to the memo.
     */
    int reuse(Map<String, List<TestSetOutcomes>> judgedByTheRun) {
        int before = judged.size();
        judgedByTheRun.forEach(judged::putIfAbsent);
        reused += judged.size() - before;
        return judged.size() - before;
    }

    /**
     * The members of a run in the order its merger folded them (first appearance over the versions, served and
     * withheld, by version number), with the files the trainers stored.
     */
    static List<Member> membersInFoldOrder(Map<Long, WarmModelPublished> versions, List<RewardModelCheckpoint> checkpoints,
                                           Path storeDir) {
        Map<String, RewardModelCheckpoint> byJob = new HashMap<>();
        checkpoints.forEach(c -> byJob.putIfAbsent(c.getJobId(), c));
        CheckpointStore store = CheckpointStore.open(storeDir.toString());
        Map<String, Member> ordered = new LinkedHashMap<>();
        versions.keySet().stream().sorted().map(versions::get).forEach(v -> v.getMembers().forEach(m -> {
            RewardModelCheckpoint c = byJob.get(m.getJobId());
            if (c != null && !ordered.containsKey(c.getJobId())) {
                ordered.put(c.getJobId(), new Member(c.getJobId(), store.fetch(URI.create(c.getUri())), c.getTrainCount(),
                        c.getValidationAccuracy(), generationOf(c)));
            }
        }));
        return new ArrayList<>(ordered.values());
    }

    /** Folds {@code members} under each strategy and judges every average; the report section as a map. */
    Map<String, Object> run(List<Member> members, List<MergeStrategy> strategies, Parameters parameters) {
        long runStarted = System.currentTimeMillis();
        Map<String, Object> curves = new LinkedHashMap<>();
        Map<String, List<List<TestSetOutcomes>>> outcomes = new LinkedHashMap<>();
        for (MergeStrategy strategy : strategies) {
            long started = System.currentTimeMillis();
            int judgedBefore = judged.size();
            List<List<TestSetOutcomes>> averages = fold(members, strategy, parameters);
            outcomes.put(strategy.configName(), averages);
            int fresh = judged.size() - judgedBefore;
            out.printf(Locale.ROOT, "replay: %s, %d averages, %d judged (%d the same as one judged before, here or by "
                            + "the run) in %.1f min%n",
                    strategy.configName(), averages.size(), fresh, averages.size() - fresh,
                    (System.currentTimeMillis() - started) / 60_000.0);
        }
        String reference = strategies.get(0).configName();
        for (Map.Entry<String, List<List<TestSetOutcomes>>> e : outcomes.entrySet()) {
            curves.put(e.getKey(), curve(members, e.getValue(), outcomes.get(reference)));
        }
        Map<String, Object> section = new LinkedHashMap<>();
        section.put("reference", reference);
        section.put("members", members.stream().map(m -> Map.of("jobId", m.jobId(), "trainLabels", m.trainLabels(),
                "validationAccuracy", m.validationAccuracy())).toList());
        section.put("parameters", Map.of("emaMu", parameters.emaMu(), "windowSize", parameters.windowSize()));
        section.put("modelsJudged", judged.size() - reused);
        section.put("modelsFromTheRunsJudge", reused);
        section.put("minutes", (System.currentTimeMillis() - runStarted) / 60_000.0);
        section.put("strategies", curves);
        return section;
    }

    /** The run's last judged served version, judged per pair (null if none was judged or its files are gone). */
    List<TestSetOutcomes> finalServed(StreamRun.Result run, long startMillis) {
        List<Map<String, Object>> judged = StreamReport.versions(run, startMillis).stream()
                .filter(v -> v.get("goldId") != null).toList();
        if (judged.isEmpty()) {
            return null;
        }
        WarmModelPublished v = run.versions().get(((Number) judged.get(judged.size() - 1).get("version")).longValue());
        if (v == null) {
            return null;
        }
        try {
            Path dir = CheckpointStore.open(run.storeDir().toString()).fetch(URI.create(v.getUri()));
            return judgeOnce(judgeKey(ModelDirectory.readManifest(dir)), dir);
        } catch (RuntimeException e) {
            out.println("replay: the final served version cannot be judged again: " + e.getMessage());
            return null;
        }
    }

    /** The member with the best gold in-distribution accuracy (as the run's judge found), judged per pair. */
    List<TestSetOutcomes> bestSingle(StreamRun.Result run, List<Member> members) {
        return StreamReport.bestMember(StreamReport.members(run))
                .flatMap(best -> members.stream().filter(m -> m.jobId().equals(best.get("jobId"))).findFirst())
                .map(m -> judgeOnce(memberKey(m.jobId()), m.dir())).orElse(null);
    }

    private List<List<TestSetOutcomes>> fold(List<Member> members, MergeStrategy strategy, Parameters p) {
        Map<String, Path> dirs = new HashMap<>();
        members.forEach(m -> dirs.put(m.jobId(), m.dir()));
        AverageFolder folder = new AverageFolder(MergeSettings.of(strategy).withEmaMu(p.emaMu())
                .withWindowSize(p.windowSize()).withMemberLocator(m -> dirs.get(m.jobId())));
        List<List<TestSetOutcomes>> judged = new ArrayList<>();
        Path current = null;
        for (int i = 0; i < members.size(); i++) {
            Member m = members.get(i);
            if (i > 0 && m.generation() != members.get(i - 1).generation()) {
                // A new shared head: its members are not linearly connected to the old ones, so a new average starts.
                current = null;
            }
            Path next = work.resolve(strategy.configName()).resolve("v" + (i + 1));
            double weight = strategy == MergeStrategy.DATA_SIZE_WEIGHTED ? m.trainLabels() : m.validationAccuracy();
            FoldResult result = folder.fold(current, m.dir(), m.jobId(), weight, next);
            judged.add(judgeOnce(judgeKey(result.manifest()), next));
            if (current != null && !current.equals(next)) {
                DirectoryTree.delete(current);
            }
            current = next;
        }
        return judged;
    }

    private List<TestSetOutcomes> judgeOnce(String key, Path dir) {
        return judged.computeIfAbsent(key, k -> judge.outcomes(dir));
    }

    /**
     * What identifies an average for judging. A plain mean of the same members is the same model whichever kernel
     * computed it (a running mean or a window's batch mean differ only in float rounding), so uniform, a window that
     * has not slid yet and any one-member average share one judgement: on CPU a judgement is about half a minute.
     * Anything else goes by its weights' hash.
     */
    static String judgeKey(ModelManifest manifest) {
        MergeRecord merge = manifest.merge();
        if (merge == null || merge.members().size() > 1 && !plainMean(merge.strategy())) {
            return manifest.weightsSha256();
        }
        return meanOf(merge.members().stream().map(io.warmstream.model.weights.Member::jobId).toList());
    }

    private static boolean plainMean(String strategy) {
        try {
            MergeStrategy s = MergeStrategy.fromConfig(strategy);
            return s == MergeStrategy.UNIFORM || s == MergeStrategy.SLIDING_WINDOW;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    /** The key of one member on its own (the same model as any one-member average of it). */
    static String memberKey(String jobId) {
        return meanOf(List.of(jobId));
    }

    private static String meanOf(List<String> jobIds) {
        return "mean of " + jobIds.stream().sorted().toList();
    }

    /** Per fold: accuracy ± standard error per test set, and the paired difference to the reference strategy. */
    private static Map<String, Object> curve(List<Member> members, List<List<TestSetOutcomes>> judged,
                                             List<List<TestSetOutcomes>> reference) {
        List<Map<String, Object>> points = new ArrayList<>();
        for (int i = 0; i < judged.size(); i++) {
            Map<String, Object> point = new LinkedHashMap<>();
            point.put("members", i + 1);
            point.put("generation", members.get(i).generation());
            point.put("trainLabels", members.get(i).trainLabels());
            for (int s = 0; s < judged.get(i).size(); s++) {
                TestSetOutcomes o = judged.get(i).get(s);
                String key = StreamReport.key(o.testSet());
                point.put(key, o.accuracy().accuracy());
                point.put(key + "Se", o.accuracy().standardError());
                double[] d = o.pairedDifference(reference.get(i).get(s));
                point.put(key + "VsReference", d[0]);
                point.put(key + "VsReferenceSe", d[1]);
            }
            points.add(point);
        }
        Map<String, Object> curve = new LinkedHashMap<>();
        curve.put("final", points.get(points.size() - 1));
        curve.put("meanOverStream", meanOverStream(points));
        curve.put("points", points);
        return curve;
    }

    /** Each test set's accuracy averaged over the folds: how good the served model was along the whole stream. */
    private static Map<String, Object> meanOverStream(List<Map<String, Object>> points) {
        Map<String, Object> mean = new LinkedHashMap<>();
        for (String key : List.of(StreamReport.GOLD_ID, StreamReport.GOLD_OOD)) {
            mean.put(key, points.stream().mapToDouble(p -> p.get(key) instanceof Double d ? d : Double.NaN)
                    .average().orElse(Double.NaN));
        }
        return mean;
    }

    private static int generationOf(RewardModelCheckpoint c) {
        return c.getGeneration();
    }
}
