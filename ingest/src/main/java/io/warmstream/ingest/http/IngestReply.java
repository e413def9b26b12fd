package io.warmstream.ingest.http;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.micronaut.serde.annotation.Serdeable;

import java.util.List;
import java.util.Map;

/**
 * Body of every {@code POST /v1/preferences} answer that got as far as reading items (202, 422, 503).
 *
 * @param accepted         ids written to Kafka and acknowledged, in request order
 * @param rejected         refused items, one entry per item (its first problem), in request order; at most
 *                         {@code warm.ingest.limits.listed-rejections} of them, so a reply stays small
 * @param rejectedCount    how many items were refused in all (absent when none)
 * @param rejectedByReason refused items counted by reason code, all of them (absent when none)
 * @param notWritten       valid items Kafka did not acknowledge (only on 503); safe to resend, ids are de-duplicated
 */
@Serdeable
@JsonInclude(JsonInclude.Include.NON_NULL)
public record IngestReply(List<String> accepted, List<Rejection> rejected, Integer rejectedCount,
                          Map<String, Integer> rejectedByReason, List<NotWritten> notWritten) {

    /**
     * @param index  0-based position of the item in the array or among the non-blank NDJSON lines
     * @param line   1-based NDJSON line, absent for JSON bodies
     * @param field  the offending field ({@code $} for the item as a whole)
     * @param reason stable code, e.g. {@code blank}, {@code too_long}, {@code wrong_type}
     * @param detail human-readable explanation
     */
    @Serdeable
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Rejection(int index, Integer line, String field, String reason, String detail) {
    }

    @Serdeable
    public record NotWritten(int index, String id, String error) {
    }
}
