package io.warmstream.local.client;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Sends preference labels to ingest's {@code POST /v1/preferences} as NDJSON, the way a labelling pipeline would,
 * and turns every answer into a per-line outcome.
 *
 * <p>Ingest is the one authority on what a valid label is, so lines go as they are and its per-item verdicts
 * come back. Items Kafka did not acknowledge (503) are resent, which is safe because ingest drops repeated ids;
 * a body over ingest's size limit (413) is split in halves; an unreachable ingest is retried a few times before
 * {@link IngestUnavailableException}.
 */
public final class IngestClient {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String NDJSON = "application/x-ndjson";
    private static final int ATTEMPTS = 6;

    private final URI endpoint;
    private final HttpClient http;
    private final Duration timeout;
    private final String apiKey;

    public IngestClient(String baseUrl, Duration timeout) {
        this(baseUrl, timeout, null);
    }

    /** {@code apiKey}: a key with the labeller role, sent as a bearer token (null: none). */
    public IngestClient(String baseUrl, Duration timeout, String apiKey) {
        this.endpoint = URI.create(baseUrl.replaceAll("/+$", "") + "/v1/preferences");
        this.timeout = timeout;
        this.apiKey = apiKey;
        this.http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    }

    public URI endpoint() {
        return endpoint;
    }

    /** One refused line: its position in the batch and ingest's reason. */
    public record Rejected(int index, String field, String reason, String detail) {
    }

    /** The verdicts for one batch: ids ingest wrote to Kafka, and the refused lines. */
    public record Outcome(List<String> acceptedIds, List<Rejected> rejected) {
    }

    /** Sends the lines (one JSON label each, no blank lines) and returns ingest's verdict for every line. */
    public Outcome send(List<String> lines) throws IngestUnavailableException, InterruptedException {
        List<String> accepted = new ArrayList<>();
        List<Rejected> rejected = new ArrayList<>();
        int[] positions = new int[lines.size()];
        for (int i = 0; i < positions.length; i++) {
            positions[i] = i;
        }
        sendPart(lines, positions, accepted, rejected, 1);
        rejected.sort((a, b) -> Integer.compare(a.index(), b.index()));
        return new Outcome(accepted, rejected);
    }

    private void sendPart(List<String> all, int[] positions, List<String> accepted, List<Rejected> rejected, int attempt)
            throws IngestUnavailableException, InterruptedException {
        StringBuilder body = new StringBuilder();
        for (int p : positions) {
            body.append(all.get(p)).append('\n');
        }
        HttpResponse<String> r = post(body.toString());
        switch (r.statusCode()) {
            case 202, 422, 503 -> {
                JsonNode reply = parse(r);
                reply.path("accepted").forEach(id -> accepted.add(id.asText()));
                for (JsonNode item : reply.path("rejected")) {
                    rejected.add(new Rejected(positions[item.path("index").asInt()], item.path("field").asText("$"),
                            item.path("reason").asText("rejected"), item.path("detail").asText("")));
                }
                JsonNode notWritten = reply.path("notWritten");
                if (notWritten.isArray() && !notWritten.isEmpty()) {
                    int[] retry = new int[notWritten.size()];
                    for (int i = 0; i < retry.length; i++) {
                        retry[i] = positions[notWritten.get(i).path("index").asInt()];
                    }
                    if (attempt >= ATTEMPTS) {
                        throw new IngestUnavailableException("ingest could not write " + retry.length
                                + " labels to Kafka after " + attempt + " attempts: " + notWritten.get(0).path("error").asText());
                    }
                    Thread.sleep(backoff(attempt));
                    sendPart(all, retry, accepted, rejected, attempt + 1);
                }
            }
            case 413 -> {
                if (positions.length == 1) {
                    rejected.add(new Rejected(positions[0], "$", "payload_too_large",
                            "the label alone is larger than ingest's request limit"));
                    return;
                }
                int half = positions.length / 2;
                sendPart(all, java.util.Arrays.copyOfRange(positions, 0, half), accepted, rejected, attempt);
                sendPart(all, java.util.Arrays.copyOfRange(positions, half, positions.length), accepted, rejected, attempt);
            }
            case 400 -> {
                // NDJSON bodies are read line by line, so a whole-body refusal means something no line can fix.
                JsonNode reply = parse(r);
                for (int p : positions) {
                    rejected.add(new Rejected(p, "$", reply.path("error").asText("bad_request"), reply.path("message").asText("")));
                }
            }
            case 401, 403 -> throw new IngestUnavailableException("ingest at " + endpoint + " answered HTTP " + r.statusCode()
                    + (apiKey == null ? ": it needs an API key with the labeller role (--api-key, WARM_API_KEY, or the "
                    + "--data-dir of a local stack)" : ": the key was refused (revoked, or without the labeller role)"));
            default -> throw new IngestUnavailableException("ingest at " + endpoint + " answered HTTP " + r.statusCode()
                    + ": " + abbreviate(r.body()));
        }
    }

    private HttpResponse<String> post(String body) throws IngestUnavailableException, InterruptedException {
        HttpRequest.Builder builder = HttpRequest.newBuilder(endpoint).timeout(timeout)
                .header("Content-Type", NDJSON)
                .POST(HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8));
        if (apiKey != null) builder.header("Authorization", "Bearer " + apiKey);
        HttpRequest request = builder.build();
        IOException last = null;
        for (int attempt = 1; attempt <= ATTEMPTS; attempt++) {
            try {
                return http.send(request, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
            } catch (IOException e) {
                last = e;
                if (attempt < ATTEMPTS) {
                    Thread.sleep(backoff(attempt));
                }
            }
        }
        throw new IngestUnavailableException("ingest at " + endpoint + " is unreachable: " + last, last);
    }

    private static JsonNode parse(HttpResponse<String> r) throws IngestUnavailableException {
        try {
            return JSON.readTree(r.body());
        } catch (IOException e) {
            throw new IngestUnavailableException("ingest answered HTTP " + r.statusCode() + " with non-JSON: "
                    + abbreviate(r.body()), e);
        }
    }

    private static long backoff(int attempt) {
        return Math.min(8_000L, 250L << (attempt - 1));
    }

    private static String abbreviate(String s) {
        return s == null ? "" : s.length() > 300 ? s.substring(0, 300) + "..." : s;
    }

    /** Ingest cannot be reached, or keeps failing to write to Kafka. */
    public static final class IngestUnavailableException extends Exception {
        public IngestUnavailableException(String message) {
            super(message);
        }

        public IngestUnavailableException(String message, Throwable cause) {
            super(message, cause);
        }
    }
}
