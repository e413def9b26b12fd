package io.warmstream.local.stream;

import io.warmstream.model.store.DirectoryTree;
import io.warmstream.eval.paper.PaperChecks;
import io.warmstream.eval.world.LabelledPair;
import io.warmstream.eval.world.PreferenceWorld;
import io.warmstream.eval.world.Split;
import io.warmstream.eval.world.WorldConfig;
import io.warmstream.local.feed.GoldTestSets;
import io.warmstream.model.BaseModel;
import io.warmstream.model.BaseModels;
import io.warmstream.model.Compute;
import io.warmstream.model.merge.MergeSettings;
import io.warmstream.model.merge.MergeStrategy;
import io.warmstream.schemas.Holdout;
import io.warmstream.scorer.evaluation.TestSet;
import io.warmstream.scorer.evaluation.TestSetScorer;

import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code warm eval --stream}: does the served reward model get better as labels stream in? For each merge strategy,
 * a {@link StreamRun} of the real services on the same simulated labels, every served version judged on the gold
 * test sets; then one model trained on all the labels with the members' total compute, as the yardstick. Writes
 * report.json (summary first), report.md and gold-vs-labels.png into the output folder.
 */
public final class StreamExperiment {

    private StreamExperiment() {
    }

    public static Map<String, Object> run(StreamExperimentSettings s, String command, PrintStream out) {
        long started = System.currentTimeMillis();
        Map<String, Object> machine = machine();
        PaperChecks.deviceAdvice(s.preset(), Compute.auto()).ifPresent(advice -> out.println("stream run: " + advice));
        Map<String, Object> strategies = new LinkedHashMap<>();
        List<StreamRun.Result> results = new ArrayList<>();
        try {
            Files.createDirectories(s.outDir());
            for (String strategy : s.strategies()) {
                Path data = Files.createTempDirectory("warm-stream-" + strategy + "-");
                out.printf("stream run: strategy %s, %,d labels at %s/s, data in %s%n", strategy, s.labels(), s.rate(), data);
                results.add(StreamRun.run(s, strategy, data, out));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        PreferenceWorld world = PreferenceWorld.create(WorldConfig.defaults().withSeed(s.seed()).withFlipFraction(s.flipFraction()));
        long accepted = results.stream().mapToLong(StreamRun.Result::labelsAccepted).max().orElse(0);
        List<LabelledPair> train = trainLabels(world, s, accepted);
        int pairs = s.goldPairs(io.warmstream.local.session.StackSession.goldPairs());
        PreferenceWorld clean = PreferenceWorld.create(WorldConfig.defaults().withSeed(s.seed()));
        List<LabelledPair> tests = new ArrayList<>(GoldTestSets.pairs(clean, Split.VALIDATION_ID, pairs));
        tests.addAll(GoldTestSets.pairs(clean, Split.OOD, pairs));
        BaseModel base = BaseModels.byName(s.profile().baseModel());
        int length = Integer.parseInt(String.valueOf(s.property("warm.trainer.planner.hyperparameters.max-sequence-length")));
        Map<String, Object> worldFacts = WorldFacts.measure(base, length, train, tests);

        int totalSteps = results.stream().mapToInt(r -> r.members().values().stream().mapToInt(StreamRun.MemberTraining::steps).sum())
                .max().orElse(0);
        AllLabelsBaseline.Result baseline = null;
        if (s.baselineMaxSteps() > 0 && !results.isEmpty()) {
            Path work = temporaryDirectory("warm-stream-baseline-");
            try {
                StreamRun.Result first = results.get(0);
                baseline = AllLabelsBaseline.train(s, train, Math.min(totalSteps, s.baselineMaxSteps()), testSets(tests),
                        work, first.trainingFeatures(), first.evaluationFeatures(), out);
            } finally {
                DirectoryTree.delete(work);
            }
        }

        Replayed replayed = s.replayStrategies().isEmpty() || results.isEmpty() ? new Replayed(Map.of(), Map.of())
                : replay(s, results.get(0), base, tests, baseline, started, out);
        Map<String, Object> replay = replayed.section();

        for (StreamRun.Result r : results) {
            List<Map<String, Object>> versions = StreamReport.versions(r, started);
            List<Map<String, Object>> members = StreamReport.members(r);
            Map<String, Object> one = new LinkedHashMap<>();
            one.put("summary", StreamReport.summary(versions, members, baseline, worldFacts, r.wallMillis()));
            one.put("stopReason", r.stopReason());
            one.put("labelsAccepted", r.labelsAccepted());
            one.put("memberSteps", r.members().values().stream().mapToInt(StreamRun.MemberTraining::steps).sum());
            one.put("freshness", StreamReport.freshness(r.served(), r.queuePeaks()));
            one.put("served", r.served());
            one.put("versions", versions);
            one.put("members", members);
            one.put("rejected", r.rejected());
            strategies.put(r.strategy(), one);
        }
        Map<String, Object> report = new LinkedHashMap<>();
        @SuppressWarnings("unchecked")
        Map<String, Object> first = (Map<String, Object>) ((Map<String, Object>) strategies.values().iterator().next()).get("summary");
        Map<String, Object> summary = new LinkedHashMap<>(first);
        summary.put("strategy", s.strategies().get(0));
        // wall_minutes is the whole command; these say where it went (the baseline gets the members' total steps)
        summary.put("stream_minutes", first.get("wall_minutes"));
        summary.put("baseline_minutes", baseline == null ? null : baseline.millis() / 60_000.0);
        summary.putAll(replayed.pairedFigures());
        summary.put("wall_minutes", (System.currentTimeMillis() - started) / 60_000.0);
        report.put("summary", summary);
        report.put("command", command);
        report.put("finishedAt", Instant.now().toString());
        report.put("machine", machine);
        report.put("machineAtEnd", Map.of("loadAverage", ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage()));
        report.put("settings", s.toMap());
        report.put("world", worldFacts);
        Map<String, Object> b = new LinkedHashMap<>();
        if (baseline != null) {
            b.put("trainPairs", baseline.trainPairs());
            b.put("steps", baseline.steps());
            b.put("learningRate", baseline.learningRate());
            b.put("minutes", baseline.millis() / 60_000.0);
            baseline.accuracy().forEach((name, a) -> b.put(name, Map.of("accuracy", a.accuracy(), "standardError", a.standardError())));
        }
        report.put("allLabelsBaseline", b);
        report.put("strategies", strategies);
        report.put("replay", replay);
        StreamReportWriter.write(report, s.outDir());
        out.println("report: " + s.outDir().resolve(StreamReportWriter.MARKDOWN).toAbsolutePath());
        return report;
    }

    /** The replay section, and the first run's final served version paired against the yardsticks. */
    private record Replayed(Map<String, Object> section, Map<String, Object> pairedFigures) {
    }

    /**
     * The first run's members folded under each replay strategy and judged as the scorer's judge judges (reading the
     * bottom layers the run's judge cached), then its final served version and best single member judged per pair.
     */
    private static Replayed replay(StreamExperimentSettings s, StreamRun.Result run, BaseModel base,
                                   List<LabelledPair> tests, AllLabelsBaseline.Result baseline, long started,
                                   PrintStream out) {
        List<StrategyReplay.Member> members = StrategyReplay.membersInFoldOrder(run.versions(), run.checkpoints(),
                run.storeDir());
        if (members.isEmpty()) {
            return new Replayed(Map.of("skipped", "the run folded no member"), Map.of());
        }
        out.printf("replay: %d members of the %s run under %s%n", members.size(), run.strategy(), s.replayStrategies());
        Path work = temporaryDirectory("warm-stream-replay-");
        try (TestSetScorer judge = new TestSetScorer(testSets(tests), Compute.auto(),
                intProperty(s, "warm.scorer.evaluation.max-length", 0),
                intProperty(s, "warm.scorer.evaluation.cached-layers", 0), run.evaluationFeatures(),
                AllLabelsBaseline.DISK_BYTES)) {
            judge.warmUp(base);
            StrategyReplay.Parameters parameters = new StrategyReplay.Parameters(
                    s.property("warm.merger.ema-mu") == null ? MergeSettings.DEFAULT_EMA_MU
                            : Double.parseDouble(String.valueOf(s.property("warm.merger.ema-mu"))),
                    intProperty(s, "warm.merger.window-size", 5));
            StrategyReplay replay = new StrategyReplay(judge, work, out);
            Map<String, Integer> sets = new LinkedHashMap<>();
            testSets(tests).forEach(t -> sets.put(t.name(), t.size()));
            int reused = replay.reuse(RunJudgements.byJudgeKey(run.evaluations(), run.versions(), run.storeDir(), sets,
                    why -> out.println("replay: the run's judgement of " + why + " cannot be reused")));
            out.printf("replay: %d models judged by the run's own judge are not judged again%n", reused);
            Map<String, Object> section = replay.run(members,
                    s.replayStrategies().stream().map(MergeStrategy::fromConfig).toList(), parameters);
            return new Replayed(section, PairedYardsticks.compare(replay.finalServed(run, started),
                    replay.bestSingle(run, members), baseline == null ? null : baseline.outcomes()));
        } finally {
            DirectoryTree.delete(work);
        }
    }

    private static int intProperty(StreamExperimentSettings s, String key, int fallback) {
        Object v = s.property(key);
        return v == null ? fallback : Integer.parseInt(v.toString().trim());
    }

    /** The simulator's training labels that were accepted, less the ones trainers hold out. */
    static List<LabelledPair> trainLabels(PreferenceWorld world, StreamExperimentSettings s, long accepted) {
        double fraction = ((Number) s.property("warm.trainer.planner.validation-fraction")).doubleValue();
        Holdout holdout = new Holdout(fraction, "");
        return world.labels(Split.TRAIN, accepted).filter(l -> !holdout.isHeldOut(l.id())).toList();
    }

    static List<TestSet> testSets(List<LabelledPair> tests) {
        List<TestSet> sets = new ArrayList<>();
        int half = tests.size() / 2;
        sets.add(testSet(GoldTestSets.IN_DISTRIBUTION, tests.subList(0, half)));
        sets.add(testSet(GoldTestSets.OUT_OF_DISTRIBUTION, tests.subList(half, tests.size())));
        return sets;
    }

    private static TestSet testSet(String name, List<LabelledPair> pairs) {
        return new TestSet(name, pairs.stream().map(LabelledPair::prompt).toList(),
                pairs.stream().map(LabelledPair::chosen).toList(), pairs.stream().map(LabelledPair::rejected).toList());
    }

    private static Path temporaryDirectory(String prefix) {
        try {
            return Files.createTempDirectory(prefix);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }


    static Map<String, Object> machine() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("cores", Runtime.getRuntime().availableProcessors());
        m.put("loadAverage", ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
        m.put("java", System.getProperty("java.version"));
        m.put("os", System.getProperty("os.name") + " " + System.getProperty("os.arch"));
        m.put("maxHeapBytes", Runtime.getRuntime().maxMemory());
        m.put("device", io.warmstream.model.Compute.auto().deviceName());
        m.put("startedAt", Instant.now().toString());
        return m;
    }
}
