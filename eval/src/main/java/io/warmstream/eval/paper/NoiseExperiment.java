package io.warmstream.eval.paper;

import io.warmstream.model.store.DirectoryTree;
import io.warmstream.model.BaseModel;
import io.warmstream.model.Compute;
import io.warmstream.model.FrozenPrefixCache;
import io.warmstream.model.RewardHead;
import io.warmstream.model.RewardModel;
import io.warmstream.model.merge.AverageFolder;
import io.warmstream.model.merge.MergeSettings;
import io.warmstream.model.merge.MergeStrategy;
import io.warmstream.model.train.RewardModelTrainer;
import io.warmstream.model.train.TrainedModel;
import io.warmstream.model.train.TrainingConfig;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * One noise level of the check: fits the shared LP head, fine-tunes the M members, builds WARM for M = 1..M, walks
 * the interpolation line between the two members furthest apart, and scores everything on the same data. Produces
 * raw rewards ({@link Raw}); {@link NoiseAnalysis} turns them into the paper's numbers.
 */
final class NoiseExperiment {

    /** Everything scored at one noise level. */
    record Raw(double flipFraction, Map<String, Object> head, ModelScores lpOnly, List<ModelScores> members,
               List<PairScores> memberSelection, List<Map<String, Object>> memberFacts, List<ModelScores> warm, int[] interpolationPair,
               List<Double> lambdas, List<PairScores> interpolation, List<PairScores> interpolationTrain,
               List<PairScores> interpolationOod, double[][] gram, boolean warmOfOneSameWeights,
               Double identicalAverageMaxDifference, Double cachedVsFullMaxDifference, List<Path> memberDirs,
               Path warmDir, ControlModels.Scores controls, List<List<PairScores>> shiftMembers,
               List<PairScores> shiftWarm, List<float[][]> shiftedPoolMembers, float[][] shiftedPoolWarm) {
    }

    private final EvalSettings settings;
    private final EvalData data;
    private final BaseModel base;
    private final Compute compute;
    private final Progress progress;
    private final ModelScorer scorer;
    private final FrozenPrefixCache prefix;

    /** {@code prefix}: the frozen bottom's cache shared by training and scoring, or null (whole network). */
    NoiseExperiment(EvalSettings settings, EvalData data, BaseModel base, Compute compute, Progress progress,
                    FrozenPrefixCache prefix) {
        this.settings = settings;
        this.data = data;
        this.base = base;
        this.compute = compute;
        this.progress = progress;
        this.prefix = prefix;
        this.scorer = new ModelScorer(compute, settings.maxLength(), progress, prefix);
    }

    ModelScorer scorer() {
        return scorer;
    }

    /** {@code tag} prefixes the progress lines (e.g. the training seed). */
    Raw run(double flip, List<MemberRecipe> recipes, Path dir, boolean checkIdentity, String tag) {
        String level = tag + String.format(Locale.ROOT, "noise %.0f%%", flip * 100);
        PairSet train = data.training().get(flip);
        PairSet checked = data.checked().get(flip);
        RewardModelTrainer trainer = new RewardModelTrainer();

        progress.phase(level + ": fitting the shared LP head on " + train.size() + " pairs ("
                + train.flippedCount() + " flipped)");
        RewardHead head = trainer.fitHead(base, train.asPreferencePairs(),
                config(recipes.get(0)).toBuilder().probeL2(settings.probeL2()).build(), prefix);
        BaseModel init = base.withHead(head);
        Path initDir = dir.resolve("init");
        try (RewardModel lp = RewardModel.create(init, compute, settings.maxLength())) {
            lp.save(initDir, Map.of("role", "LP-FT initialisation (pretrained encoder + shared head)"));
        }
        progress.phase(level + ": head probe accuracy " + head.facts().get("probe_accuracy") + "; scoring LP only");
        ModelScores lpOnly = scorer.score("lp-only", initDir, checked, data.validation(), data.ood(), null);
        progress.phase(level + ": LP head only: " + summary(lpOnly, checked));

        List<ModelScores> members = new ArrayList<>();
        List<PairScores> selection = new ArrayList<>();
        List<Map<String, Object>> memberFacts = new ArrayList<>();
        List<Path> memberDirs = new ArrayList<>();
        List<BaseModel> starts = Baklava.starts(settings, init, train.asPreferencePairs(), config(recipes.get(0)),
                prefix, dir, progress, level);
        for (MemberRecipe r : recipes) {
            String label = String.format(Locale.ROOT, "%s member %d/%d (lr %.1e, dropout %.2f, seed %d)", level,
                    r.index(), recipes.size(), r.learningRate(), r.dropout(), r.seed());
            Path memberDir = dir.resolve("member-" + r.index());
            progress.trainingStarted();
            try (TrainedModel m = trainer.train(starts.get(r.index() - 1), train.asPreferencePairs(), config(r),
                    p -> progress.step(label, p), prefix)) {
                progress.trainingFinished();
                m.save(memberDir);
                memberFacts.add(m.facts());
            }
            progress.phase(label + ": scoring");
            members.add(scorer.score("member-" + r.index(), memberDir, checked, data.validation(), data.ood(),
                    data.pool()));
            selection.add(scorer.scoreValidation(memberDir, data.selection()));
            progress.phase(label + ": " + summary(members.get(members.size() - 1), checked));
            memberDirs.add(memberDir);
        }

        progress.phase(level + ": WARM averages for M = 1.." + recipes.size());
        List<Path> warmDirs = WeightSpace.warmAverages(memberDirs, dir);
        List<ModelScores> warm = new ArrayList<>();
        for (int m = 1; m <= warmDirs.size(); m++) {
            boolean last = m == warmDirs.size();
            warm.add(scorer.score("warm-" + m, warmDirs.get(m - 1), checked, data.validation(), data.ood(),
                    last ? data.pool() : null));
        }
        progress.phase(level + ": WARM of " + warm.size() + ": " + summary(warm.get(warm.size() - 1), checked)
                + "; ENS of " + members.size() + ": " + summary(ModelScores.mean("ens", members), checked));
        boolean warmOfOneSame = WeightSpace.sameWeights(warmDirs.get(0), memberDirs.get(0));
        Double identity = checkIdentity ? identicalAverageDifference(memberDirs.get(0), dir) : null;
        PairSet curveSet = data.interpolationSet(settings.interpolationPairs());
        Double cachedVsFull = null;
        if (prefix != null) {
            progress.phase(level + ": member 1 and WARM of " + warm.size() + " through their whole network, against "
                    + "their rewards from the cached bottom");
            cachedVsFull = Math.max(
                    NoiseAnalysis.maxDiff(scorer.scoreValidation(memberDirs.get(0), curveSet, false),
                            members.get(0).validation().head(curveSet.size())),
                    NoiseAnalysis.maxDiff(scorer.scoreValidation(warmDirs.get(warmDirs.size() - 1), curveSet, false),
                            warm.get(warm.size() - 1).validation().head(curveSet.size())));
        }

        progress.phase(level + ": weight distances");
        double[][] gram = WeightSpace.taskVectorGram(initDir, memberDirs);
        int[] pair = furthestPair(gram);
        List<Double> lambdas = new ArrayList<>();
        List<PairScores> curve = new ArrayList<>();
        List<PairScores> curveTrain = new ArrayList<>();
        List<PairScores> curveOod = new ArrayList<>();
        PairSet oodCurveSet = data.oodInterpolationSet(settings.interpolationPairs());
        int k = settings.interpolationSteps();
        for (int i = 0; i <= k; i++) {
            double lambda = (double) i / k;
            lambdas.add(lambda);
            if (i == 0 || i == k) {
                ModelScores end = members.get(i == 0 ? pair[0] : pair[1]);
                curve.add(end.validation().head(curveSet.size()));
                curveTrain.add(end.train());
                curveOod.add(end.ood().head(oodCurveSet.size()));
                continue;
            }
            progress.phase(String.format(Locale.ROOT, "%s: interpolation member %d -> %d, lambda %.2f", level,
                    pair[0] + 1, pair[1] + 1, lambda));
            Path mixed = WeightSpace.interpolate(memberDirs.get(pair[0]), memberDirs.get(pair[1]), lambda,
                    dir.resolve("interpolation"));
            // Validation, the training pairs (flipped and clean) and OOD pairs, as the paper's Figure 4 does.
            List<PairScores> scored = scorer.scoreSets(mixed, List.of(curveSet, checked, oodCurveSet));
            curve.add(scored.get(0));
            curveTrain.add(scored.get(1));
            curveOod.add(scored.get(2));
            DirectoryTree.delete(mixed);
        }
        List<PairSet> shiftSets = data.shifts().stream().map(ShiftSets.ShiftSet::pairs).toList();
        List<List<PairScores>> shiftMembers = new ArrayList<>();
        List<PairScores> shiftWarm = List.of();
        if (!shiftSets.isEmpty()) {
            progress.phase(level + ": shift sweep, " + shiftSets.size() + " sets of " + shiftSets.get(0).size()
                    + " pairs, members and WARM of " + memberDirs.size());
            for (Path member : memberDirs) {
                shiftMembers.add(scorer.scoreSets(member, shiftSets));
            }
            shiftWarm = scorer.scoreSets(warmDirs.get(warmDirs.size() - 1), shiftSets);
        }
        List<float[][]> shiftedPoolMembers = new ArrayList<>();
        float[][] shiftedPoolWarm = null;
        if (data.shiftedPool() != null) {
            progress.phase(level + ": best-of-N candidates of the shifted policy on unseen topics, "
                    + data.shiftedPool().sequences() + " per model");
            for (Path member : memberDirs) {
                shiftedPoolMembers.add(scorer.scorePool(member, data.shiftedPool()));
            }
            shiftedPoolWarm = scorer.scorePool(warmDirs.get(warmDirs.size() - 1), data.shiftedPool());
        }
        ControlModels.Scores controls = ControlModels.run(settings, data, scorer, progress, level, checked, initDir,
                memberDirs, selection, gram, dir, recipes.get(0).seed());
        Map<String, Object> headFacts = new LinkedHashMap<>(head.facts());
        return new Raw(flip, headFacts, lpOnly, members, selection, memberFacts, warm, pair, lambdas, curve,
                curveTrain, curveOod, gram, warmOfOneSame, identity, cachedVsFull, memberDirs,
                warmDirs.get(warmDirs.size() - 1), controls, shiftMembers, shiftWarm, shiftedPoolMembers,
                shiftedPoolWarm);
    }

    private String summary(ModelScores s, PairSet checked) {
        var m = Measures.of(s, checked, data.flipSubset(), data.validation(), data.ood());
        return String.format(Locale.ROOT, "validation %.3f, OOD %.3f, clean train %.3f, flipped pairs %.3f",
                m.validation(), m.ood(), m.cleanTrain(), m.flippedPairsWrong());
    }

    TrainingConfig config(MemberRecipe r) {
        return TrainingConfig.builder().seed(r.seed()).learningRate(r.learningRate()).dropout(r.dropout())
                .maxSteps(settings.steps()).batchSize(settings.batchSize()).maxLength(settings.maxLength())
                .trainableTopLayers(settings.trainableTopLayers()).warmupRatio(settings.warmupRatio())
                .compute(compute).build();
    }

    /**
     * Folds a model with itself (as two jobs): a uniform average of identical members must be that member. Returns
     * the largest weight difference (values, not bits: the fold may turn -0.0 into +0.0).
     */
    private static double identicalAverageDifference(Path member, Path dir) {
        AverageFolder folder = new AverageFolder(MergeSettings.of(MergeStrategy.UNIFORM));
        Path first = folder.fold(null, member, "same-a", dir.resolve("identity-1")).directory();
        Path second = folder.fold(first, member, "same-b", dir.resolve("identity-2")).directory();
        double difference = WeightSpace.maxAbsDifference(second, member);
        DirectoryTree.delete(first);
        DirectoryTree.delete(second);
        return difference;
    }

    /** The two members furthest apart in weight space (the hardest test of linear mode connectivity). */
    static int[] furthestPair(double[][] gram) {
        int[] best = {0, Math.min(1, gram.length - 1)};
        double max = -1;
        for (int i = 0; i < gram.length; i++) {
            for (int j = i + 1; j < gram.length; j++) {
                double d = gram[i][i] + gram[j][j] - 2 * gram[i][j];
                if (d > max) {
                    max = d;
                    best = new int[] {i, j};
                }
            }
        }
        return best;
    }

}
