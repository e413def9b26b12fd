package io.warmstream.local.stream;

import io.warmstream.events.EvaluationSubject;
import io.warmstream.events.ModelEvaluation;
import io.warmstream.events.WarmModelPublished;
import io.warmstream.model.store.CheckpointStore;
import io.warmstream.model.weights.ModelDirectory;
import io.warmstream.scorer.evaluation.TestSetOutcomes;

import java.net.URI;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * What the run's own test-set judge already found, pair by pair, keyed as {@link StrategyReplay} keys its memo: a
 * served version by its average's identity, a member as the one-member mean of its job. The replay then does not
 * judge those models a second time (on two cores a judgement is a quarter to half a minute).
 *
 * <p>A model enters only with outcomes for every test set the replay's judge reads, each with as many pairs: the run
 * judged the same files on the same sets, so the figures are the ones the replay would compute.
 */
final class RunJudgements {

    private RunJudgements() {
    }

    /**
     * @param testSets the replay judge's test sets (name, pairs), in its order
     * @param unreadable called with the version whose files cannot be read (its judgement is left out)
     */
    static Map<String, List<TestSetOutcomes>> byJudgeKey(List<ModelEvaluation> evaluations,
                                                          Map<Long, WarmModelPublished> versions, Path storeDir,
                                                          Map<String, Integer> testSets,
                                                          Consumer<String> unreadable) {
        Map<String, Map<String, ModelEvaluation>> bySubject = new LinkedHashMap<>();
        for (ModelEvaluation e : evaluations) {
            bySubject.computeIfAbsent(subjectOf(e), k -> new HashMap<>()).put(e.getTestSet(), e);
        }
        CheckpointStore store = CheckpointStore.open(storeDir.toString());
        Map<String, List<TestSetOutcomes>> out = new LinkedHashMap<>();
        bySubject.forEach((subject, sets) -> {
            List<TestSetOutcomes> outcomes = complete(sets, testSets);
            if (outcomes == null) {
                return;
            }
            ModelEvaluation any = sets.values().iterator().next();
            if (any.getSubject() == EvaluationSubject.MEMBER) {
                out.putIfAbsent(StrategyReplay.memberKey(any.getJobId()), outcomes);
                return;
            }
            WarmModelPublished v = versions.get(any.getVersion());
            if (v == null) {
                return;
            }
            try {
                Path dir = store.fetch(URI.create(v.getUri()));
                out.putIfAbsent(StrategyReplay.judgeKey(ModelDirectory.readManifest(dir)), outcomes);
            } catch (RuntimeException e) {
                unreadable.accept("v" + v.getVersion() + ": " + e.getMessage());
            }
        });
        return out;
    }

    private static String subjectOf(ModelEvaluation e) {
        return e.getSubject() == EvaluationSubject.MEMBER ? "member " + e.getJobId() : "version " + e.getVersion();
    }

    /** The outcomes in the judge's order, or null if a set is missing, has no outcomes or another pair count. */
    private static List<TestSetOutcomes> complete(Map<String, ModelEvaluation> sets, Map<String, Integer> testSets) {
        List<TestSetOutcomes> outcomes = new ArrayList<>();
        for (Map.Entry<String, Integer> t : testSets.entrySet()) {
            ModelEvaluation e = sets.get(t.getKey());
            TestSetOutcomes o = e == null ? null : TestSetOutcomes.of(e).orElse(null);
            if (o == null || o.right().length != t.getValue()) {
                return null;
            }
            outcomes.add(o);
        }
        return outcomes;
    }
}
