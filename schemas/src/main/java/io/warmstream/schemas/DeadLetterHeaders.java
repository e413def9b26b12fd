package io.warmstream.schemas;

import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;

import java.nio.charset.StandardCharsets;

/**
 * Header names on dead-letter records ({@code *.dlq} topics). A dead-letter record keeps the original key
 * and value bytes unchanged; these UTF-8 headers say why it was refused and where it came from.
 */
public final class DeadLetterHeaders {

    /** Human-readable reason, e.g. {@code "prompt must not be empty"}. */
    public static final String REASON = "warm.dlq.reason";
    /** The offending field, when one is to blame. */
    public static final String FIELD = "warm.dlq.field";
    /** Topic the record was read from. */
    public static final String SOURCE_TOPIC = "warm.dlq.topic";
    /** Partition the record was read from (decimal). */
    public static final String SOURCE_PARTITION = "warm.dlq.partition";
    /** Offset the record had there (decimal). */
    public static final String SOURCE_OFFSET = "warm.dlq.offset";
    /** Class of the exception that refused it, if one did. */
    public static final String ERROR_CLASS = "warm.dlq.error-class";
    /**
     * Present when the dead letter would not fit the size limit with its headers and was cut:
     * {@code "key <original>-><kept> bytes, value <original>-><kept> bytes"}.
     */
    public static final String TRUNCATED = "warm.dlq.truncated";

    private DeadLetterHeaders() {
    }

    /**
     * Headers for one dead-letter record; {@code null} arguments (field, error, or partition/offset below zero) are left out.
     */
    public static Headers of(String reason, String field, String sourceTopic, int partition, long offset, Throwable error) {
        RecordHeaders h = new RecordHeaders();
        put(h, REASON, reason);
        put(h, FIELD, field);
        put(h, SOURCE_TOPIC, sourceTopic);
        put(h, SOURCE_PARTITION, partition >= 0 ? Integer.toString(partition) : null);
        put(h, SOURCE_OFFSET, offset >= 0 ? Long.toString(offset) : null);
        put(h, ERROR_CLASS, error == null ? null : error.getClass().getName());
        return h;
    }

    /** The last value of a header as text, or null. */
    public static String read(Headers headers, String name) {
        Header h = headers.lastHeader(name);
        return h == null || h.value() == null ? null : new String(h.value(), StandardCharsets.UTF_8);
    }

    private static void put(Headers h, String name, String value) {
        if (value != null) {
            h.add(name, value.getBytes(StandardCharsets.UTF_8));
        }
    }
}
