package io.warmstream.local.bench.ingest;

import io.micrometer.core.instrument.MeterRegistry;
import io.micronaut.runtime.server.EmbeddedServer;
import io.warmstream.embedded.EmbeddedKafka;
import io.warmstream.embedded.EmbeddedRegistry;
import io.warmstream.ingest.IngestApplication;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

import static io.warmstream.local.bench.ingest.BenchStats.cpuNanos;
import static io.warmstream.local.bench.ingest.BenchStats.round;

/** Labels per second through {@code POST /v1/preferences} from concurrent clients. */
final class HttpRun {

    private HttpRun() {
    }

    static Map<String, Object> run(EmbeddedKafka kafka, EmbeddedRegistry registry, int n, int batch, int clients,
                                               boolean ndjson, boolean topology, Map<String, Object> overrides) throws Exception {
        Map<String, Object> props = new HashMap<>();
        props.put("warm.kafka.bootstrap-servers", kafka.bootstrapServers());
        props.put("warm.registry.url", registry.ccompatUrl());
        props.put("micronaut.security.enabled", false); // benchmarks measure the pipeline, not authentication
        props.put("warm.holdout.salt", "bench");
        props.put("warm.ingest.topology.enabled", topology);
        props.put("warm.ingest.topology.state-dir", Files.createTempDirectory("bench-ingest-state").toString());
        overrides.forEach((k, v) -> props.put("warm.ingest.producer." + k, v));
        System.getProperties().forEach((k, v) -> {
            if (k.toString().startsWith("bench.micronaut.")) props.put(k.toString().substring("bench.".length()), v);
        });
        List<byte[]> warmBodies = BenchLabels.bodies(BenchLabels.generate(Math.min(20_000, n), new Random(1), "w"), batch, ndjson);
        List<byte[]> bodies = BenchLabels.bodies(BenchLabels.generate(n, new Random(2), "h"), batch, ndjson);
        long bodyBytes = bodies.stream().mapToLong(b -> b.length).sum();

        Map<String, Object> result = new LinkedHashMap<>();
        try (EmbeddedServer server = IngestApplication.start(props)) {
            URI uri = URI.create(server.getURL() + "/v1/preferences");
            HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
            String type = ndjson ? "application/x-ndjson" : "application/json";
            post(client, uri, type, warmBodies, clients, new ConcurrentLinkedQueue<>());

            ConcurrentLinkedQueue<Long> latencies = new ConcurrentLinkedQueue<>();
            MeterRegistry meters = server.getApplicationContext().getBean(MeterRegistry.class);
            double passedBefore = topology ? meters.counter("warm.ingest.topology.passed").count() : 0;
            long t0 = System.nanoTime(), c0 = cpuNanos();
            int accepted = post(client, uri, type, bodies, clients, latencies);
            double seconds = (System.nanoTime() - t0) / 1e9;
            double cpuMicros = (cpuNanos() - c0) / 1e3 / accepted;
            long[] lat = latencies.stream().mapToLong(Long::longValue).sorted().toArray();

            result.put("labelsPerSec", round(accepted / seconds));
            result.put("accepted", accepted);
            result.put("mbPerSec", round(bodyBytes / seconds / 1e6));
            // Client, server, producer, broker (and topology, if running) all in this process.
            result.put("cpuMicrosPerLabel", round(cpuMicros));
            result.put("format", ndjson ? "ndjson" : "json");
            result.put("batch", batch);
            result.put("clients", clients);
            result.put("requestP50Ms", round(lat[lat.length / 2] / 1e6));
            result.put("requestP99Ms", round(lat[(int) (lat.length * 0.99)] / 1e6));
            result.put("topologyRunning", topology);
            if (topology) {
                // How long until the validation topology has passed every label (end-to-end, from the first POST).
                long deadline = System.nanoTime() + Duration.ofMinutes(5).toNanos();
                while (meters.counter("warm.ingest.topology.passed").count() - passedBefore < accepted && System.nanoTime() < deadline) {
                    Thread.sleep(50);
                }
                double e2e = (System.nanoTime() - t0) / 1e9;
                result.put("validatedLabelsPerSec", round((meters.counter("warm.ingest.topology.passed").count() - passedBefore) / e2e));
            }
        }
        return result;
    }

    /** Posts every body from {@code clients} threads; returns the number of labels accepted. */
    private static int post(HttpClient client, URI uri, String type, List<byte[]> bodies, int clients,
                            ConcurrentLinkedQueue<Long> latencies) throws Exception {
        AtomicInteger next = new AtomicInteger();
        AtomicLong accepted = new AtomicLong();
        AtomicReference<String> failure = new AtomicReference<>();
        List<Thread> threads = new ArrayList<>();
        for (int c = 0; c < clients; c++) {
            Thread t = new Thread(() -> {
                int i;
                while ((i = next.getAndIncrement()) < bodies.size() && failure.get() == null) {
                    try {
                        long s = System.nanoTime();
                        HttpResponse<String> r = client.send(HttpRequest.newBuilder(uri).header("Content-Type", type)
                                .POST(HttpRequest.BodyPublishers.ofByteArray(bodies.get(i))).build(), HttpResponse.BodyHandlers.ofString());
                        latencies.add(System.nanoTime() - s);
                        if (r.statusCode() != 202 || !r.body().contains("\"rejected\":[]")) {
                            failure.compareAndSet(null, r.statusCode() + " " + r.body().substring(0, Math.min(500, r.body().length())));
                        } else {
                            accepted.addAndGet(countIds(r.body()));
                        }
                    } catch (IOException | InterruptedException e) {
                        failure.compareAndSet(null, e.toString());
                    }
                }
            }, "bench-client-" + c);
            threads.add(t);
            t.start();
        }
        for (Thread t : threads) t.join();
        if (failure.get() != null) throw new IllegalStateException("HTTP benchmark request failed: " + failure.get());
        return (int) accepted.get();
    }

    private static int countIds(String reply) {
        int start = reply.indexOf("\"accepted\":[");
        int end = reply.indexOf(']', start);
        int n = 0;
        for (int i = start; i < end; i++) if (reply.charAt(i) == ',') n++;
        return end > start + 12 ? n + 1 : 0;
    }
}
