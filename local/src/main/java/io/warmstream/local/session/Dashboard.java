package io.warmstream.local.session;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/** Finds the scorer's dashboard page, so the stack prints its URL only when the scorer serves one. */
final class Dashboard {

    private static final List<String> PATHS = List.of("/dashboard", "/");

    private Dashboard() {
    }

    static Optional<String> find(String scorerUrl, String readerKey) {
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2))
                .followRedirects(HttpClient.Redirect.NORMAL).build();
        for (String path : PATHS) {
            String url = scorerUrl + path;
            try {
                HttpResponse<Void> r = http.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(5))
                        .header("Authorization", "Bearer " + readerKey).GET().build(),
                        HttpResponse.BodyHandlers.discarding());
                if (r.statusCode() == 200 && r.headers().firstValue("Content-Type").orElse("").startsWith("text/html")) {
                    return Optional.of(url);
                }
            } catch (IOException e) {
                return Optional.empty();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return Optional.empty();
            }
        }
        return Optional.empty();
    }
}
