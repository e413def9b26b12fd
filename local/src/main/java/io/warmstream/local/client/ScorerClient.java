package io.warmstream.local.client;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/** Scores (prompt, response) pairs with the scorer's HTTP API. */
public final class ScorerClient {

    private static final ObjectMapper JSON = new ObjectMapper();

    /** One pair to score. */
    public record Pair(String prompt, String response) {
    }

    /** The reward of one pair and the model version that gave it. */
    public record Score(double reward, Long modelVersion) {
    }

    private final String baseUrl;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final Duration timeout;
    private final String apiKey;

    public ScorerClient(String baseUrl, Duration timeout) {
        this(baseUrl, timeout, null);
    }

    /** {@code apiKey}: a key with the reader role, sent as a bearer token (null: none). */
    public ScorerClient(String baseUrl, Duration timeout, String apiKey) {
        this.baseUrl = baseUrl.replaceAll("/+$", "");
        this.timeout = timeout;
        this.apiKey = apiKey;
    }

    public String scoreUrl() {
        return baseUrl + "/v1/rewards";
    }

    /** Scores a batch in one request; throws {@link IOException} with the scorer's message when it refuses. */
    public List<Score> score(List<Pair> pairs) throws IOException, InterruptedException {
        ObjectNode body = JSON.createObjectNode();
        ArrayNode items = body.putArray("items");
        for (Pair p : pairs) {
            items.addObject().put("prompt", p.prompt()).put("response", p.response());
        }
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(scoreUrl())).timeout(timeout)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body), StandardCharsets.UTF_8));
        if (apiKey != null) request.header("Authorization", "Bearer " + apiKey);
        HttpResponse<String> r = http.send(request.build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
        JsonNode reply = JSON.readTree(r.body());
        if (r.statusCode() / 100 != 2) {
            throw new IOException("scorer answered HTTP " + r.statusCode() + ": " + reply.path("message").asText(r.body()));
        }
        Long version = reply.hasNonNull("version") ? reply.get("version").asLong() : null;
        List<Score> scores = new ArrayList<>();
        for (JsonNode reward : reply.path("rewards")) {
            scores.add(new Score(reward.asDouble(), version));
        }
        if (scores.size() != pairs.size()) {
            throw new IOException("scorer returned " + scores.size() + " rewards for " + pairs.size() + " pairs: " + r.body());
        }
        return scores;
    }
}
