package io.warmstream.ingest.topology;

import io.warmstream.schemas.DeadLetterHeaders;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Makes a dead letter fit the broker's size limit. A raw record just under the limit grows past it once the
 * dead-letter headers are added; the broker would refuse it, the Streams thread would fail, be replaced and retry
 * the same record for ever. Instead the value (then, if it must, the key) is cut to fit and
 * {@link DeadLetterHeaders#TRUNCATED} says by how much; the reason says so too. The original stays readable on the
 * raw topic at the offset the headers name, for as long as that topic keeps it.
 */
final class DeadLetterFit {

    /** Per-record framing in a batch (lengths, attributes, timestamp and offset deltas) plus the batch header. */
    static final int RECORD_OVERHEAD = 128;
    /** Per-header framing: the name's and the value's lengths. */
    static final int HEADER_OVERHEAD = 10;
    /** Header values are cut to this many bytes (a reason quoting an exception message can be long). */
    static final int MAX_HEADER_BYTES = 4_096;

    private DeadLetterFit() {
    }

    /** The record's key and value, cut if key, value and headers together would exceed {@code maxBytes}. */
    static Checked.Invalid fit(byte[] key, byte[] value, Headers headers, int maxBytes) {
        boundHeaders(headers);
        long fixed = RECORD_OVERHEAD + headerBytes(headers) + headerBytes(DeadLetterHeaders.TRUNCATED, 64);
        int keyLen = key == null ? 0 : key.length;
        int valueLen = value == null ? 0 : value.length;
        if (fixed + keyLen + valueLen <= maxBytes) {
            return new Checked.Invalid(key, value);
        }
        long room = Math.max(0, maxBytes - fixed);
        int keptKey = (int) Math.min(keyLen, room);
        int keptValue = (int) Math.min(valueLen, room - keptKey);
        byte[] k = key == null ? null : Arrays.copyOf(key, keptKey);
        byte[] v = value == null ? null : Arrays.copyOf(value, keptValue);
        String cut = "key " + keyLen + "->" + keptKey + " bytes, value " + valueLen + "->" + keptValue + " bytes";
        headers.add(DeadLetterHeaders.TRUNCATED, cut.getBytes(StandardCharsets.UTF_8));
        String reason = DeadLetterHeaders.read(headers, DeadLetterHeaders.REASON);
        headers.remove(DeadLetterHeaders.REASON);
        headers.add(DeadLetterHeaders.REASON, cap((reason == null ? "" : reason) + " (dead letter truncated to fit "
                + maxBytes + " bytes: " + cut + ")"));
        return new Checked.Invalid(k, v);
    }

    private static void boundHeaders(Headers headers) {
        for (Header h : headers.toArray()) {
            if (h.value() != null && h.value().length > MAX_HEADER_BYTES) {
                headers.remove(h.key());
                headers.add(h.key(), Arrays.copyOf(h.value(), MAX_HEADER_BYTES));
            }
        }
    }

    private static byte[] cap(String text) {
        byte[] b = text.getBytes(StandardCharsets.UTF_8);
        return b.length <= MAX_HEADER_BYTES ? b : Arrays.copyOf(b, MAX_HEADER_BYTES);
    }

    private static long headerBytes(Headers headers) {
        long n = 0;
        for (Header h : headers) {
            n += headerBytes(h.key(), h.value() == null ? 0 : h.value().length);
        }
        return n;
    }

    private static long headerBytes(String name, int valueBytes) {
        return HEADER_OVERHEAD + name.getBytes(StandardCharsets.UTF_8).length + valueBytes;
    }
}
