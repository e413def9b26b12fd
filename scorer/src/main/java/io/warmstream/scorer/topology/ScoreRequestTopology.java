package io.warmstream.scorer.topology;

import io.warmstream.events.ScoreRequest;
import io.warmstream.events.ScoreResult;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.Named;
import org.apache.kafka.streams.kstream.Produced;

import java.nio.charset.StandardCharsets;
import java.time.Clock;

/**
 * Stream scoring: every {@code ScoreRequest} on the requests topic becomes one {@code ScoreResult} on the scores
 * topic, keyed by request id, with the reward and the version that produced it, or with an error saying why there is
 * none (undecodable record, text over the limit, scoring failed). A bad record never stops the stream.
 *
 * <p>A {@link RetriableScoringException} from the scorer (queue full for too long, service stopping) is not turned
 * into an error result: it propagates, the transaction aborts and the request is scored again after the thread
 * restarts, so requests are not answered with errors for transient reasons.
 */
public final class ScoreRequestTopology {

    private ScoreRequestTopology() {
    }

    /** Scores one (prompt, response) with the serving model. */
    @FunctionalInterface
    public interface RecordScorer {
        ScoredItem score(String prompt, String response) throws Exception;
    }

    /** A reward and the version of the average that produced it. */
    public record ScoredItem(String average, long version, double reward) {
    }

    /**
     * @param average  the average named in error results
     * @param maxChars characters (code points) per prompt or response; longer ones get an error result
     */
    public record Settings(String requestsTopic, String scoresTopic, String average, Deserializer<ScoreRequest> requests,
                           Serde<ScoreResult> results, RecordScorer scorer, int maxChars, Clock clock) {
    }

    public static void build(StreamsBuilder builder, Settings s) {
        builder.stream(s.requestsTopic(), Consumed.with(Serdes.ByteArray(), Serdes.ByteArray()).withName("score-requests"))
                .map((key, value) -> answer(s, key, value), Named.as("score"))
                .to(s.scoresTopic(), Produced.with(Serdes.String(), s.results()).withName("scores"));
    }

    static KeyValue<String, ScoreResult> answer(Settings s, byte[] key, byte[] value) {
        String keyText = key == null ? "" : new String(key, StandardCharsets.UTF_8);
        if (value == null) {
            return error(s, keyText, "empty record: no ScoreRequest in the value");
        }
        ScoreRequest request;
        try {
            request = s.requests().deserialize(s.requestsTopic(), value);
        } catch (RuntimeException e) {
            return error(s, keyText, "undecodable ScoreRequest: " + e.getMessage());
        }
        if (request == null) {
            return error(s, keyText, "undecodable ScoreRequest: deserializer returned nothing");
        }
        String id = request.getRequestId() == null || request.getRequestId().isEmpty() ? keyText : request.getRequestId();
        String tooLong = tooLong("prompt", request.getPrompt(), s.maxChars());
        if (tooLong == null) {
            tooLong = tooLong("response", request.getResponse(), s.maxChars());
        }
        if (tooLong != null) {
            return error(s, id, tooLong);
        }
        ScoredItem scored;
        try {
            scored = s.scorer().score(request.getPrompt(), request.getResponse());
        } catch (RetriableScoringException e) {
            throw e;
        } catch (Exception e) {
            return error(s, id, "scoring failed: " + e.getMessage());
        }
        return KeyValue.pair(id, ScoreResult.newBuilder()
                .setRequestId(id)
                .setAverage(scored.average())
                .setReward(scored.reward())
                .setModelVersion(scored.version())
                .setError(null)
                .setScoredAt(s.clock().instant())
                .build());
    }

    private static String tooLong(String field, String text, int max) {
        if (text.length() > max) {
            int chars = text.codePointCount(0, text.length());
            if (chars > max) {
                return field + " has " + chars + " characters, more than the limit of " + max;
            }
        }
        return null;
    }

    private static KeyValue<String, ScoreResult> error(Settings s, String id, String message) {
        return KeyValue.pair(id, ScoreResult.newBuilder()
                .setRequestId(id)
                .setAverage(s.average())
                .setReward(null)
                .setModelVersion(null)
                .setError(message)
                .setScoredAt(s.clock().instant())
                .build());
    }
}
