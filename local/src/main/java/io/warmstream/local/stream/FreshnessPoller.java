package io.warmstream.local.stream;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Asks the scorer, once a second, which version it serves, and keeps the freshness the scorer measured when it
 * started serving each one (GET /v1/models/current): newest label's age, checkpoint to served, and the newest
 * member's queue wait and job time. The scorer measures at the swap itself, so polling adds no delay to the figures.
 */
final class FreshnessPoller implements AutoCloseable {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final URI current;
    private final Map<Long, Map<String, Object>> served = new LinkedHashMap<>();
    private final Thread thread;
    private volatile boolean stopping;

    private final String readerKey;

    FreshnessPoller(String scorerUrl, String readerKey) {
        this.current = URI.create(scorerUrl + "/v1/models/current");
        this.readerKey = readerKey;
        this.thread = new Thread(this::run, "warm-stream-freshness");
        this.thread.setDaemon(true);
    }

    void start() {
        thread.start();
    }

    private void run() {
        while (!stopping) {
            try {
                HttpResponse<String> r = http.send(HttpRequest.newBuilder(current).timeout(Duration.ofSeconds(10))
                                .header("Authorization", "Bearer " + readerKey).GET().build(),
                        HttpResponse.BodyHandlers.ofString());
                if (r.statusCode() == 200) {
                    read(JSON.readTree(r.body()));
                }
                Thread.sleep(1_000);
            } catch (InterruptedException e) {
                return;
            } catch (Exception e) {
                // The scorer is busy or restarting: the next poll tries again; its swap-time figures wait for us.
            }
        }
    }

    private synchronized void read(JsonNode body) {
        long version = body.path("version").asLong(-1);
        JsonNode f = body.path("freshness");
        if (version < 0 || f.isMissingNode() || served.containsKey(version)) {
            return;
        }
        Map<String, Object> row = new LinkedHashMap<>();
        row.put("version", version);
        row.put("servedAt", f.path("servedAt").asText(null));
        row.put("loadedAhead", f.path("loadedAhead").asBoolean(false));
        for (String field : List.of("newestLabelAgeMs", "checkpointToServedMs", "publishedToServedMs", "queueMs", "trainingMs")) {
            row.put(field, f.hasNonNull(field) ? f.get(field).asLong() : null);
        }
        served.put(version, row);
    }

    synchronized List<Map<String, Object>> served() {
        return new ArrayList<>(served.values());
    }

    @Override
    public void close() {
        stopping = true;
        thread.interrupt();
        try {
            thread.join(5_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
