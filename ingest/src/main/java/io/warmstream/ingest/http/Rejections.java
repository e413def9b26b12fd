package io.warmstream.ingest.http;

import io.warmstream.ingest.rules.Violation;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The refused items of one request, kept bounded: the first {@code listed} in full, every one counted by reason.
 * A reply to a body of a million bad items is then a few kilobytes, not fifty times the request.
 */
final class Rejections {

    private final int listed;
    private final List<IngestReply.Rejection> first = new ArrayList<>();
    private final Map<String, Integer> byReason = new TreeMap<>();
    private int count;

    Rejections(int listed) {
        this.listed = listed;
    }

    void add(int index, int line, Violation v) {
        count++;
        byReason.merge(v.reason().code(), 1, Integer::sum);
        if (first.size() < listed) {
            first.add(new IngestReply.Rejection(index, line > 0 ? line : null, ErrorReply.clip(v.field()),
                    v.reason().code(), ErrorReply.clip(v.detail(), 4 * ErrorReply.MAX_ECHO)));
        }
    }

    IngestReply reply(List<String> accepted, List<IngestReply.NotWritten> notWritten) {
        return new IngestReply(accepted, List.copyOf(first), count == 0 ? null : count,
                count == 0 ? null : new TreeMap<>(byReason), notWritten);
    }
}
