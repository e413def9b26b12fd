package io.warmstream.local.watch;

import io.warmstream.events.EvaluationSubject;
import io.warmstream.events.ModelEvaluation;
import io.warmstream.scorer.evaluation.PairedChange;
import io.warmstream.scorer.evaluation.TestSetOutcomes;
import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ClusterStatusTest {

    @Test
    void aVersionIsPairedAgainstTheNewestEarlierJudgedVersionOfItsAverage() {
        List<ModelEvaluation> judged = List.of(
                judged("default", 1, true, 1, 0, 0, 0),
                judged("other", 2, true, 1, 1, 1, 1),
                judged("default", 3, true, 1, 1, 0, 0),
                judged("default", 4, true, 1, 1, 1, 0),
                judged("default", 5, false, 1, 1, 1, 1));
        ClusterStatus s = new ClusterStatus(Map.of(), 0, List.of(), List.of(), List.of(), judged);

        PairedChange c = s.changesOf("default", 4).get("gold-id");
        assertEquals(3, c.against(), "v3 is the newest earlier version of this average; v2 is another average's");
        assertEquals(0.25, c.difference(), 1e-12);
        assertEquals(0.25, c.standardError(), 1e-12);
        assertTrue(s.changesOf("default", 1).isEmpty(), "nothing before the first version");
        assertTrue(s.changesOf("default", 5).isEmpty(), "v5's judge sent no per-pair outcomes");
    }

    private static ModelEvaluation judged(String average, long version, boolean withOutcomes, int... right) {
        boolean[] r = new boolean[right.length];
        int hits = 0;
        for (int i = 0; i < right.length; i++) {
            r[i] = right[i] == 1;
            hits += right[i];
        }
        double p = (double) hits / right.length;
        return ModelEvaluation.newBuilder().setAverage(average).setVersion(version).setSubject(EvaluationSubject.VERSION)
                .setTestSet("gold-id").setPairs(right.length).setAccuracy(p)
                .setStandardError(Math.sqrt(p * (1 - p) / right.length)).setTrainLabels(10).setGeneration(0)
                .setEvaluatedAt(Instant.EPOCH).setDurationMs(1)
                .setOutcomes(withOutcomes ? ByteBuffer.wrap(new TestSetOutcomes("gold-id", r, 1).packed()) : null)
                .build();
    }
}
