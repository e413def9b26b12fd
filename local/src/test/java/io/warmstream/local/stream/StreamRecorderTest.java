package io.warmstream.local.stream;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.warmstream.events.EvaluationSubject;
import io.warmstream.events.Member;
import io.warmstream.events.ModelEvaluation;
import io.warmstream.events.WarmModelPublished;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class StreamRecorderTest {

    @Test
    void aRunIsNotDoneWhileAJudgedVersionHasAMemberNotYetJudged() {
        Map<Long, WarmModelPublished> versions = Map.of(1L, version(1, "job-1"), 2L, version(2, "job-1", "job-2"),
                3L, version(3, "job-1", "job-2", "job-3"));
        List<ModelEvaluation> judged = new ArrayList<>(List.of(versionJudged(1), memberJudged("job-1"),
                versionJudged(2), memberJudged("job-2"), versionJudged(3)));

        // version 3 is judged, its newest member is not yet (the judge takes a version before its members)
        assertFalse(StreamRecorder.membersJudged(versions, judged));

        judged.add(memberJudged("job-3"));
        assertTrue(StreamRecorder.membersJudged(versions, judged));
    }

    @Test
    void membersOfVersionsThatWereNeverJudgedDoNotHoldTheRunBack() {
        // version 2 was withheld by the quality gate: not judged, so neither are the members only it holds
        Map<Long, WarmModelPublished> versions = Map.of(1L, version(1, "job-1"), 2L, version(2, "job-1", "job-2"));
        assertTrue(StreamRecorder.membersJudged(versions, List.of(versionJudged(1), memberJudged("job-1"))));
    }

    private static WarmModelPublished version(long version, String... jobs) {
        List<Member> members = new ArrayList<>();
        for (String job : jobs) {
            members.add(Member.newBuilder().setJobId(job).setUri("file:/" + job).setSha256("00")
                    .setValidationAccuracy(0.7).setWeight(1.0 / jobs.length).build());
        }
        return WarmModelPublished.newBuilder().setAverage("default").setVersion(version).setUri("file:/v" + version)
                .setSha256("00").setLineage("l").setStrategy("UNIFORM").setMembers(members).setMemberCount(jobs.length)
                .setValidationAccuracy(0.7).setPublishedAt(Instant.EPOCH).build();
    }

    private static ModelEvaluation versionJudged(long version) {
        return evaluation(version, EvaluationSubject.VERSION, null);
    }

    private static ModelEvaluation memberJudged(String job) {
        return evaluation(0, EvaluationSubject.MEMBER, job);
    }

    private static ModelEvaluation evaluation(long version, EvaluationSubject subject, String job) {
        return ModelEvaluation.newBuilder().setAverage("default").setVersion(version).setSubject(subject).setJobId(job)
                .setTestSet(StreamReport.ID).setPairs(1000).setAccuracy(0.8).setStandardError(0.013).setTrainLabels(100)
                .setGeneration(0).setEvaluatedAt(Instant.EPOCH).setDurationMs(10).build();
    }
}
