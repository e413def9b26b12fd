package io.warmstream.embedded;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;

/**
 * Started as a separate JVM by {@link EmbeddedRegistryTest}: an owner that stops its system in its own shutdown hook,
 * as the local stack does. On SIGINT its hook first plays the services still stopping (a registry request 3 s into
 * the stop), then closes the registry.
 */
public final class RegistryOwnerProbe {

    private RegistryOwnerProbe() {
    }

    public static void main(String[] args) throws Exception {
        EmbeddedRegistry registry = EmbeddedRegistry.start().stoppedByOwner();
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            String during;
            try {
                Thread.sleep(3000);
                HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                        URI.create(registry.ccompatUrl() + "/subjects")).GET().build(), HttpResponse.BodyHandlers.ofString());
                during = Integer.toString(r.statusCode());
            } catch (Exception e) {
                during = e.toString();
            }
            System.out.println("DURING-STOP " + during);
            registry.close();
            System.out.println("CLOSED");
            System.out.flush();
        }, "owner-stop"));
        System.out.println("URL " + registry.url());
        System.out.flush();
        Thread.sleep(120_000);
    }
}
