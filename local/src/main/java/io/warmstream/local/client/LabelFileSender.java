package io.warmstream.local.client;

import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Consumer;

/**
 * What {@code warm send} does: reads JSONL labels, posts them to ingest in batches and tallies ingest's verdicts
 * with the file's own line numbers.
 */
public final class LabelFileSender {

    /** A refused line of the file (1-based), with ingest's reason. */
    public record LineRejection(long line, String field, String reason, String detail) {
        @Override
        public String toString() {
            return "line " + line + ": " + ("$".equals(field) ? "" : field + ": ") + reason
                    + (detail == null || detail.isBlank() ? "" : " (" + detail + ")");
        }
    }

    /** Running totals, handed to the progress listener after every batch and returned at the end. */
    public record Totals(long lines, long bytes, long accepted, long rejected, Map<String, Long> reasons,
                         List<LineRejection> firstRejections) {
    }

    /** How many refused lines are kept in {@link Totals#firstRejections()} for the summary. */
    public static final int KEPT_REJECTIONS = 20;

    private final IngestClient client;
    private final int batchSize;
    private final int maxBatchBytes;

    public LabelFileSender(IngestClient client, int batchSize, int maxBatchBytes) {
        if (batchSize < 1 || maxBatchBytes < 1) {
            throw new IllegalArgumentException("batch size and bytes must be positive");
        }
        this.client = client;
        this.batchSize = batchSize;
        this.maxBatchBytes = maxBatchBytes;
    }

    /**
     * Sends every non-blank line of {@code in}. {@code progress} sees the totals after each batch; {@code rejections}
     * sees every refused line (e.g. to write them to a file).
     */
    public Totals send(BufferedReader in, Consumer<Totals> progress, Consumer<LineRejection> rejections)
            throws IOException, IngestClient.IngestUnavailableException, InterruptedException {
        Tally tally = new Tally();
        List<String> batch = new ArrayList<>(batchSize);
        List<Long> lineNumbers = new ArrayList<>(batchSize);
        long batchBytes = 0;
        long lineNumber = 0;
        for (String line = in.readLine(); line != null; line = in.readLine()) {
            lineNumber++;
            long size = line.getBytes(StandardCharsets.UTF_8).length + 1L;
            tally.bytes += size;
            if (line.isBlank()) {
                continue;
            }
            if (!batch.isEmpty() && batchBytes + size > maxBatchBytes) {
                flush(batch, lineNumbers, tally, rejections);
                batchBytes = 0;
                progress.accept(tally.totals());
            }
            batch.add(line);
            lineNumbers.add(lineNumber);
            batchBytes += size;
            if (batch.size() >= batchSize) {
                flush(batch, lineNumbers, tally, rejections);
                batchBytes = 0;
                progress.accept(tally.totals());
            }
        }
        if (!batch.isEmpty()) {
            flush(batch, lineNumbers, tally, rejections);
            progress.accept(tally.totals());
        }
        return tally.totals();
    }

    private void flush(List<String> batch, List<Long> lineNumbers, Tally tally, Consumer<LineRejection> rejections)
            throws IngestClient.IngestUnavailableException, InterruptedException {
        IngestClient.Outcome outcome = client.send(batch);
        tally.lines += batch.size();
        tally.accepted += outcome.acceptedIds().size();
        for (IngestClient.Rejected r : outcome.rejected()) {
            long line = lineNumbers.get(r.index());
            // Ingest numbers lines within the request body; the file's numbering is the one a user can act on.
            String detail = r.detail() == null ? null : r.detail().replaceFirst("^line \\d+", "line " + line);
            LineRejection lr = new LineRejection(line, r.field(), r.reason(), detail);
            tally.rejected++;
            tally.reasons.merge(r.reason(), 1L, Long::sum);
            if (tally.first.size() < KEPT_REJECTIONS) {
                tally.first.add(lr);
            }
            rejections.accept(lr);
        }
        batch.clear();
        lineNumbers.clear();
    }

    private static final class Tally {
        long lines;
        long bytes;
        long accepted;
        long rejected;
        final Map<String, Long> reasons = new TreeMap<>();
        final List<LineRejection> first = new ArrayList<>();

        Totals totals() {
            return new Totals(lines, bytes, accepted, rejected, java.util.Collections.unmodifiableMap(new TreeMap<>(reasons)), List.copyOf(first));
        }
    }
}
