package io.warmstream.local.watch;

import io.warmstream.events.EvaluationSubject;
import io.warmstream.events.ModelEvaluation;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * Groups the test-set judge's records into one line per judged model: a judgement arrives as one record per test
 * set, back to back with the same time stamp, so a record of another model (or a quiet second) closes the line.
 */
final class EvaluationLines {

    private final List<ModelEvaluation> pending = new ArrayList<>();
    private long pendingSince;

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
        }
        s.append(String.format(Locale.ROOT, " (%,d pairs each; trained on up to %,d labels)", first.getPairs(),
                first.getTrainLabels()));
        pending.clear();
        return Optional.of(s.toString());
    }

    private static boolean sameJudgement(ModelEvaluation a, ModelEvaluation b) {
        return a.getVersion() == b.getVersion() && a.getSubject() == b.getSubject()
                && java.util.Objects.equals(a.getJobId(), b.getJobId())
                && a.getEvaluatedAt().equals(b.getEvaluatedAt());
    }
}
