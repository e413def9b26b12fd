package io.warmstream.schemas;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;

/** Plain HTTP calls to the Confluent-compatible REST API, the way a non-Java client would make them. */
final class RegistryHttp {

    static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    private RegistryHttp() {
    }

    record Answer(int status, JsonNode body) {
    }

    static Answer get(String url) throws Exception {
        return call(HttpRequest.newBuilder(URI.create(url)).GET().build());
    }

    static Answer post(String url, Object body) throws Exception {
        return call(HttpRequest.newBuilder(URI.create(url))
                .header("Content-Type", "application/vnd.schemaregistry.v1+json")
                .POST(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body))).build());
    }

    private static Answer call(HttpRequest request) throws Exception {
        HttpResponse<String> r = HTTP.send(request, HttpResponse.BodyHandlers.ofString());
        JsonNode body = r.body().isBlank() ? JSON.nullNode() : JSON.readTree(r.body());
        return new Answer(r.statusCode(), body);
    }
}
