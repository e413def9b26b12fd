package io.warmstream.local.watch;

import io.warmstream.events.EvaluationSubject;
import io.warmstream.events.ModelEvaluation;
import io.warmstream.scorer.evaluation.PairedChange;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Groups the test-set judge's records into one line per judged model: a judgement arrives as one record per test
 * set, back to back with the same time stamp, so a record of another model (or a quiet second) closes the line.
 */
final class EvaluationLines {

    private final List<ModelEvaluation> pending = new ArrayList<>();
    private long pendingSince;
    /** The newest version's judgement per average and test set: what the next version is paired against. */
    private final Map<String, ModelEvaluation> previous = new HashMap<>();

    /** Adds a record; returns the finished line of the previous model, if this record starts another. */
    Optional<String> add(ModelEvaluation e, long nowMillis) {
        Optional<String> done = Optional.empty();
        if (!pending.isEmpty() && !sameJudgement(pending.get(0), e)) {
            done = flush();
        }
        if (pending.isEmpty()) {
            pendingSince = nowMillis;
        }
        pending.add(e);
        return done;
    }

    /** The pending line once it has waited {@code quietMillis} without a new record of it. */
    Optional<String> due(long nowMillis, long quietMillis) {
        return !pending.isEmpty() && nowMillis - pendingSince >= quietMillis ? flush() : Optional.empty();
    }

    private Optional<String> flush() {
        if (pending.isEmpty()) {
            return Optional.empty();
        }
        ModelEvaluation first = pending.get(0);
        StringBuilder s = new StringBuilder(first.getSubject() == EvaluationSubject.VERSION
                ? String.format(Locale.ROOT, "%s v%d", first.getAverage(), first.getVersion())
                : String.format(Locale.ROOT, "member %s", Account.shortId(first.getJobId())));
        for (int i = 0; i < pending.size(); i++) {
            ModelEvaluation e = pending.get(i);
            s.append(i == 0 ? ": " : ", ").append(String.format(Locale.ROOT, "%s %.3f ± %.3f", e.getTestSet(),
                    e.getAccuracy(), e.getStandardError()));
            if (e.getSubject() == EvaluationSubject.VERSION) {
                s.append(changeAgainstPrevious(e));
            }
        }
        s.append(String.format(Locale.ROOT, " (%,d pairs each; trained on up to %,d labels)", first.getPairs(),
                first.getTrainLabels()));
        pending.clear();
        return Optional.of(s.toString());
    }

    /** " (+0.012 ± 0.006 vs v3, paired)" against the version judged before, or nothing; remembers this one. */
    private String changeAgainstPrevious(ModelEvaluation e) {
        String key = e.getAverage() + "\u0000" + e.getTestSet();
        ModelEvaluation before = previous.get(key);
        if (before != null && before.getVersion() >= e.getVersion()) {
            return "";
        }
        previous.put(key, e);
        return before == null ? "" : PairedChange.between(e, before).map(c -> String.format(Locale.ROOT,
                " (%+.3f ± %.3f vs v%d, paired)", c.difference(), c.standardError(), c.against())).orElse("");
    }

    private static boolean sameJudgement(ModelEvaluation a, ModelEvaluation b) {
        return a.getVersion() == b.getVersion() && a.getSubject() == b.getSubject()
                && java.util.Objects.equals(a.getJobId(), b.getJobId())
                && a.getEvaluatedAt().equals(b.getEvaluatedAt());
    }
}
