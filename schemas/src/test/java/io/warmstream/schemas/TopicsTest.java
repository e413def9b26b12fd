package io.warmstream.schemas;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class TopicsTest {

    @Test
    void catalogueHasEveryTopicOnceWithValueTypesExceptDeadLetters() {
        List<String> names = Topics.all().stream().map(TopicSpec::name).toList();
        assertEquals(List.of(Topics.PREFERENCES_RAW, Topics.PREFERENCES, Topics.PREFERENCES_DLQ, Topics.TRAINING_JOBS,
                Topics.TRAINING_JOBS_DLQ, Topics.TRAINING_RUNS, Topics.CHECKPOINTS, Topics.CHECKPOINTS_REJECTED,
                Topics.MODELS, Topics.MODEL_CANDIDATES, Topics.SCORE_REQUESTS, Topics.SCORES, Topics.DRIFT, Topics.EVALUATIONS, Topics.AUDIT, Topics.DRIFT_OBSERVATIONS), names);
        Set<String> deadLetters = Topics.all().stream().filter(TopicSpec::isDeadLetter).map(TopicSpec::name).collect(Collectors.toSet());
        assertEquals(Set.of(Topics.PREFERENCES_DLQ, Topics.TRAINING_JOBS_DLQ), deadLetters);
        assertEquals("compact", Topics.spec(Topics.MODELS).cleanupPolicy());
        assertEquals("delete", Topics.spec(Topics.PREFERENCES).cleanupPolicy());
        assertEquals("warm.models-value", Topics.spec(Topics.MODELS).valueSubject());
        assertNull(Topics.spec(Topics.PREFERENCES_DLQ).valueType());
    }

    @Test
    void aWithheldVersionHasItsOwnKeySoCompactionKeepsTheServedOneUnderTheAverage() {
        assertEquals("default/withheld", Topics.withheldModelKey("default"));
    }

    @Test
    void unknownTopicNamesTheCatalogue() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Topics.spec("warm.nope"));
        assertTrue(e.getMessage().contains("warm.nope") && e.getMessage().contains(Topics.MODELS), e.getMessage());
    }
}
