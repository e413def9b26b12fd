package io.warmstream.local.bench.ingest;

import io.warmstream.embedded.EmbeddedKafka;
import io.warmstream.embedded.EmbeddedRegistry;

import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Labels per second into the embedded broker, in one run on one broker (everything but the registry in this JVM):
 * <ol>
 *   <li>{@code rawBaseline}: {@code ProducerPerformance}-style raw bytes, keyed like the labels, each value exactly as
 *       long as the matching label's Avro record, same producer settings;</li>
 *   <li>{@code directAvro}: the same labels as Avro {@link PreferenceLabel}s through {@link EventSerdes}' registry
 *       serializer with the service's producer settings ({@code acks=all}, idempotent), keyed by id.
 *       {@code directOverBaseline} is the median of per-round ratios; rounds alternate order so that load from other
 *       processes hits both alike. {@code cpuMicrosPerLabel} is this process's CPU time per label (broker included),
 *       a figure less sensitive to such load;</li>
 *   <li>{@code http}: {@code POST /v1/preferences} with JSON arrays (or NDJSON) of {@code bench.batch} labels from
 *       {@code bench.clients} concurrent clients through the whole service (parse, rules, Avro, producer, with the
 *       validation topology running unless {@code bench.topology=false});</li>
 *   <li>{@code topology}: the validation topology alone, working off a backlog on the raw topic.</li>
 * </ol>
 * Labels have 200-500 characters of prompt and 150-400 per response. Prints one JSON object, with the load average
 * at start and end. System properties: {@code bench.only} (all|direct|http|topology), {@code bench.labels} (300000: shorter runs last a fraction of a second and measure warm-up),
 * {@code bench.rounds} (6), {@code bench.httpLabels} (100000), {@code bench.batch} (500), {@code bench.clients} (4),
 * {@code bench.format} (json|ndjson), {@code bench.topology} (true), {@code bench.topologyLabels} (100000),
 * {@code bench.producer.*} (producer overrides for every phase), {@code bench.streams.*} (Streams overrides for the
 * topology phase), {@code bench.micronaut.*} (server settings for the HTTP phase).
 * <p>
 * Run: {@code ./warm bench --only ingest}, or this main alone on ./warm's classpath (add e.g. {@code -Dbench.only=direct}).
 */
public final class IngestBenchmark {

    private IngestBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        int labels = Integer.getInteger("bench.labels", 300_000);
        int httpLabels = Integer.getInteger("bench.httpLabels", 100_000);
        int batch = Integer.getInteger("bench.batch", 500);
        int clients = Integer.getInteger("bench.clients", 4);
        int rounds = Integer.getInteger("bench.rounds", 6);
        boolean ndjson = "ndjson".equalsIgnoreCase(System.getProperty("bench.format", "json"));
        boolean topology = Boolean.parseBoolean(System.getProperty("bench.topology", "true"));
        Map<String, Object> overrides = new HashMap<>();
        System.getProperties().forEach((k, v) -> {
            if (k.toString().startsWith("bench.producer.")) overrides.put(k.toString().substring("bench.producer.".length()), v);
        });

        String only = System.getProperty("bench.only", "all");
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("cores", Runtime.getRuntime().availableProcessors());
        out.put("loadAverageAtStart", BenchStats.loadAverage());
        try (EmbeddedKafka kafka = EmbeddedKafka.start(null); EmbeddedRegistry registry = EmbeddedRegistry.start()) {
            if (only.equals("all") || only.equals("direct")) ProducerRuns.compare(kafka, registry, labels, rounds, overrides, out);
            if (only.equals("all") || only.equals("http")) {
                out.put("http", HttpRun.run(kafka, registry, httpLabels, batch, clients, ndjson, topology, overrides));
            }
            if (only.equals("all") || only.equals("topology")) {
                out.put("topology", TopologyRun.run(kafka, registry, Integer.getInteger("bench.topologyLabels", 100_000), overrides));
            }
        }
        out.put("loadAverageAtEnd", BenchStats.loadAverage());
        System.out.println(BenchStats.toJson(out));
    }
}
