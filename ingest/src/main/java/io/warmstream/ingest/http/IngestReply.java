package io.warmstream.ingest.http;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.micronaut.serde.annotation.Serdeable;

import java.util.List;

/**
 * Body of every {@code POST /v1/preferences} answer that got as far as reading items (202, 422, 503).
 *
 * @param accepted   ids written to Kafka and acknowledged, in request order
 * @param rejected   items refused by parsing or the rules, one entry per item (its first problem)
 * @param notWritten valid items Kafka did not acknowledge (only on 503); safe to resend, ids are de-duplicated
 */
@Serdeable
@JsonInclude(JsonInclude.Include.NON_NULL)
public record IngestReply(List<String> accepted, List<Rejection> rejected, List<NotWritten> notWritten) {

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
