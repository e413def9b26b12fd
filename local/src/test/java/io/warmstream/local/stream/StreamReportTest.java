package io.warmstream.local.stream;

import io.warmstream.events.EvaluationSubject;
import io.warmstream.events.ModelEvaluation;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

class StreamReportTest {

    @Test
    void membersCarryTheirTrainingFactsAndTheSummaryNamesTheWorstTrainingLoss() {
        List<ModelEvaluation> evaluations = new ArrayList<>();
        evaluations.addAll(member("job-b", 800, 0.81, 0.74));
        evaluations.addAll(member("job-a", 400, 0.75, 0.70));
        evaluations.addAll(member("job-c", 1200, 0.83, 0.77));
        Map<String, StreamRun.MemberTraining> training = Map.of(
                "job-a", new StreamRun.MemberTraining(50, 0.52, 3e-4),
                "job-b", new StreamRun.MemberTraining(100, 0.61, 6e-4),
                "job-c", StreamRun.MemberTraining.UNKNOWN);
        StreamRun.Result run = new StreamRun.Result("uniform", Map.of(), evaluations, List.of(), training, 1300,
                60_000, "test", List.of(), Map.of(), null, List.of(), null, null);

        List<Map<String, Object>> members = StreamReport.members(run);

        assertEquals(List.of("job-a", "job-b", "job-c"), members.stream().map(m -> m.get("jobId")).toList());
        assertEquals(50, members.get(0).get("steps"));
        assertEquals(3e-4, members.get(0).get("learningRate"));
        assertEquals(0.61, members.get(1).get("finalTrainingLoss"));
        assertNull(members.get(2).get("finalTrainingLoss"));

        Map<String, Object> summary = StreamReport.summary(List.of(), members, null,
                Map.of("labeller_gold_agreement", 0.85, "truncated_pair_share", 0.0), 60_000);
        assertEquals(0.81, (Double) summary.get("members_gold_id_median"), 1e-12);
        assertEquals(0.61, (Double) summary.get("members_final_training_loss_max"), 1e-12);
        assertEquals(0.83, summary.get("best_single_gold_id"));
        assertEquals(1.0, (Double) summary.get("wall_minutes"), 1e-12);
    }

    private static List<ModelEvaluation> member(String job, long labels, double id, double ood) {
        return List.of(evaluation(job, labels, StreamReport.ID, id), evaluation(job, labels, StreamReport.OOD, ood));
    }

    private static ModelEvaluation evaluation(String job, long labels, String testSet, double accuracy) {
        return ModelEvaluation.newBuilder().setAverage("default").setVersion(0).setSubject(EvaluationSubject.MEMBER)
                .setJobId(job).setTestSet(testSet).setPairs(1000).setAccuracy(accuracy).setStandardError(0.013)
                .setTrainLabels(labels).setGeneration(0).setEvaluatedAt(Instant.EPOCH).setDurationMs(10).build();
    }
}
