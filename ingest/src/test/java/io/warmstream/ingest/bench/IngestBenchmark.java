package io.warmstream.ingest.bench;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import io.micrometer.core.instrument.MeterRegistry;
import io.micronaut.runtime.server.EmbeddedServer;
import io.warmstream.embedded.EmbeddedKafka;
import io.warmstream.embedded.EmbeddedRegistry;
import io.warmstream.events.PreferenceLabel;
import io.warmstream.ingest.IngestApplication;
import io.warmstream.ingest.kafka.LabelProducer;
import io.warmstream.schemas.EventSerdes;
import io.warmstream.schemas.TopicProvisioner;
import io.warmstream.schemas.TopicSpec;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.producer.Callback;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.Serializer;
import org.apache.kafka.common.serialization.StringSerializer;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.StringWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

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
 * at start and end. System properties: {@code bench.only} (all|direct|http|topology), {@code bench.labels} (100000),
 * {@code bench.rounds} (6), {@code bench.httpLabels} (100000), {@code bench.batch} (500), {@code bench.clients} (4),
 * {@code bench.format} (json|ndjson), {@code bench.topology} (true), {@code bench.topologyLabels} (100000),
 * {@code bench.producer.*} (producer overrides for every phase), {@code bench.streams.*} (Streams overrides for the
 * topology phase), {@code bench.micronaut.*} (server settings for the HTTP phase).
 * <p>
 * Run: {@code ./mvnw -q -o -pl ingest test-compile exec:java} (add e.g. {@code -Dbench.only=direct}).
 */
public final class IngestBenchmark {

    private static final String AVRO_TOPIC = "bench.avro";
    private static final String BYTES_TOPIC = "bench.bytes";
    private static final String[] WORDS = ("the a model answer reward preference human policy label summary reddit post "
            + "because however therefore kind helpful honest harmless concise detailed explain why which reply better worse "
            + "user assistant question context long short safe unsafe response chosen rejected average weight fine tune "
            + "encoder shared stream kafka data drift hacking robust noise example").split(" ");

    public static void main(String[] args) throws Exception {
        int labels = Integer.getInteger("bench.labels", 100_000);
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
        out.put("loadAverageAtStart", loadAverage());
        try (EmbeddedKafka kafka = EmbeddedKafka.start(null); EmbeddedRegistry registry = EmbeddedRegistry.start()) {
            if (only.equals("all") || only.equals("direct")) direct(kafka, registry, labels, rounds, overrides, out);
            if (only.equals("all") || only.equals("http")) {
                out.put("http", runHttp(kafka, registry, httpLabels, batch, clients, ndjson, topology, overrides));
            }
            if (only.equals("all") || only.equals("topology")) {
                out.put("topology", runTopology(kafka, registry, Integer.getInteger("bench.topologyLabels", 100_000), overrides));
            }
        }
        out.put("loadAverageAtEnd", loadAverage());
        System.out.println(toJson(out));
    }

    /** The 1-minute load average: other work on the machine skews every figure, so it is reported with them. */
    private static double loadAverage() {
        return java.lang.management.ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
    }

    private static void direct(EmbeddedKafka kafka, EmbeddedRegistry registry, int labels, int rounds,
                               Map<String, Object> overrides, Map<String, Object> out) throws Exception {
        {
            try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers()))) {
                TopicProvisioner.provision(admin, List.of(new TopicSpec(AVRO_TOPIC, 3, Map.of(), PreferenceLabel.class),
                        new TopicSpec(BYTES_TOPIC, 3, Map.of(), null)), (short) 1);
            }
            Map<String, Object> producerConfig = LabelProducer.producerConfigs(kafka.bootstrapServers(), overrides);
            EventSerdes serdes = EventSerdes.forRegistry(registry.ccompatUrl());
            Serializer<PreferenceLabel> avro = serdes.valueSerializer(PreferenceLabel.class);

            List<PreferenceLabel> sample = generate(labels, new Random(42), "d");
            // Baseline payloads: random bytes, each exactly as long as that label's Avro encoding (framing included).
            Random random = new Random(7);
            List<byte[]> keys = new ArrayList<>(labels);
            List<byte[]> payloads = new ArrayList<>(labels);
            long avroBytes = 0, chars = 0;
            for (PreferenceLabel l : sample) {
                int size = avro.serialize(AVRO_TOPIC, l).length;
                avroBytes += size;
                chars += l.getPrompt().length() + l.getChosen().length() + l.getRejected().length();
                byte[] p = new byte[size];
                random.nextBytes(p);
                payloads.add(p);
                keys.add(l.getId().getBytes(StandardCharsets.UTF_8));
            }
            out.put("labels", labels);
            out.put("avgTextChars", chars / labels);
            out.put("avgAvroBytes", avroBytes / labels);

            // Warm-up: two full passes each (JIT, registry cache, page cache); the Avro path needs more than a slice
            // to be compiled, and an unwarmed first round would understate it.
            for (int w = 0; w < 2; w++) {
                runBytes(producerConfig, keys, payloads);
                runAvro(producerConfig, avro, sample);
            }
            // Short alternating rounds (order flipped every round), so load from other processes on the machine hits
            // both sides alike; the median of the per-round ratios is the figure to read.
            List<Run> direct = new ArrayList<>(), baseline = new ArrayList<>();
            List<Double> ratios = new ArrayList<>(), cpuRatios = new ArrayList<>();
            for (int r = 0; r < rounds; r++) {
                Run c, b;
                if (r % 2 == 0) {
                    c = runBytes(producerConfig, keys, payloads);
                    b = runAvro(producerConfig, avro, sample);
                } else {
                    b = runAvro(producerConfig, avro, sample);
                    c = runBytes(producerConfig, keys, payloads);
                }
                baseline.add(c);
                direct.add(b);
                ratios.add(b.labelsPerSec() / c.labelsPerSec());
                cpuRatios.add(c.cpuMicrosPerLabel() / b.cpuMicrosPerLabel());
            }
            out.put("rawBaseline", figures(baseline, avroBytes / labels));
            out.put("directAvro", figures(direct, avroBytes / labels));
            out.put("directOverBaseline", Math.round(median(ratios) * 1000) / 1000.0);
            out.put("directOverBaselineRounds", rounded3(ratios));
            out.put("directOverBaselineByCpu", Math.round(median(cpuRatios) * 1000) / 1000.0);
            Map<String, Object> shown = new LinkedHashMap<>(producerConfig);
            shown.remove("bootstrap.servers");
            out.put("producerConfig", shown);
        }
    }

    // ------------------------------------------------------------------ direct production

    private static double median(List<Double> v) {
        double[] a = v.stream().mapToDouble(d -> d).sorted().toArray();
        return a.length == 0 ? 0 : a.length % 2 == 1 ? a[a.length / 2] : (a[a.length / 2 - 1] + a[a.length / 2]) / 2;
    }

    private static List<Double> rounded3(List<Double> v) {
        return v.stream().map(d -> Math.round(d * 1000) / 1000.0).toList();
    }

    private static double best(List<Run> runs) {
        return runs.stream().mapToDouble(Run::labelsPerSec).max().orElse(0);
    }

    private static Map<String, Object> figures(List<Run> runs, long bytesPerLabel) {
        Map<String, Object> m = new LinkedHashMap<>();
        double median = median(runs.stream().map(Run::labelsPerSec).toList());
        m.put("labelsPerSecMedian", round(median));
        m.put("labelsPerSecBest", round(best(runs)));
        m.put("mbPerSecMedian", round(median * bytesPerLabel / 1e6));
        m.put("runs", rounded(runs.stream().map(Run::labelsPerSec).toList()));
        m.put("cpuMicrosPerLabel", rounded(runs.stream().map(Run::cpuMicrosPerLabel).toList()));
        return m;
    }

    /** One measured run: labels per second (wall clock) and this process's CPU time per label (broker included). */
    private record Run(double labelsPerSec, double cpuMicrosPerLabel) {
    }

    private static Run runAvro(Map<String, Object> config, Serializer<PreferenceLabel> avro, List<PreferenceLabel> labels) throws Exception {
        try (KafkaProducer<String, PreferenceLabel> p = new KafkaProducer<>(config, new StringSerializer(), avro)) {
            p.partitionsFor(AVRO_TOPIC);
            Acks acks = new Acks(labels.size());
            long t0 = System.nanoTime(), c0 = cpuNanos();
            for (PreferenceLabel l : labels) p.send(new ProducerRecord<>(AVRO_TOPIC, l.getId(), l), acks);
            acks.await();
            return new Run(labels.size() / ((System.nanoTime() - t0) / 1e9), (cpuNanos() - c0) / 1e3 / labels.size());
        }
    }

    private static Run runBytes(Map<String, Object> config, List<byte[]> keys, List<byte[]> payloads) throws Exception {
        try (KafkaProducer<byte[], byte[]> p = new KafkaProducer<>(config, new ByteArraySerializer(), new ByteArraySerializer())) {
            p.partitionsFor(BYTES_TOPIC);
            Acks acks = new Acks(payloads.size());
            long t0 = System.nanoTime(), c0 = cpuNanos();
            for (int i = 0; i < payloads.size(); i++) p.send(new ProducerRecord<>(BYTES_TOPIC, keys.get(i), payloads.get(i)), acks);
            acks.await();
            return new Run(payloads.size() / ((System.nanoTime() - t0) / 1e9), (cpuNanos() - c0) / 1e3 / payloads.size());
        }
    }

    /** CPU time of this whole process: the broker runs in it too, so this is the full cost of a label here. */
    private static long cpuNanos() {
        return ((com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory.getOperatingSystemMXBean()).getProcessCpuTime();
    }

    /** Counts acknowledgements; any failure fails the run. */
    private static final class Acks implements Callback {
        private final CountDownLatch left;
        private final AtomicReference<Exception> error = new AtomicReference<>();

        Acks(int n) {
            left = new CountDownLatch(n);
        }

        @Override
        public void onCompletion(org.apache.kafka.clients.producer.RecordMetadata metadata, Exception e) {
            if (e != null) error.compareAndSet(null, e);
            left.countDown();
        }

        void await() throws Exception {
            left.await();
            if (error.get() != null) throw error.get();
        }
    }

    // ------------------------------------------------------------------ HTTP

    private static Map<String, Object> runHttp(EmbeddedKafka kafka, EmbeddedRegistry registry, int n, int batch, int clients,
                                               boolean ndjson, boolean topology, Map<String, Object> overrides) throws Exception {
        Map<String, Object> props = new HashMap<>();
        props.put("warm.kafka.bootstrap-servers", kafka.bootstrapServers());
        props.put("warm.registry.url", registry.ccompatUrl());
        props.put("warm.ingest.topology.enabled", topology);
        props.put("warm.ingest.topology.state-dir", Files.createTempDirectory("bench-ingest-state").toString());
        overrides.forEach((k, v) -> props.put("warm.ingest.producer." + k, v));
        System.getProperties().forEach((k, v) -> {
            if (k.toString().startsWith("bench.micronaut.")) props.put(k.toString().substring("bench.".length()), v);
        });
        List<byte[]> warmBodies = bodies(generate(Math.min(20_000, n), new Random(1), "w"), batch, ndjson);
        List<byte[]> bodies = bodies(generate(n, new Random(2), "h"), batch, ndjson);
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

    /**
     * The validation topology alone: a backlog of labels is written to the raw topic first, then the service starts
     * (HTTP idle) and the time until the topology has passed them all is measured.
     */
    private static Map<String, Object> runTopology(EmbeddedKafka kafka, EmbeddedRegistry registry, int n,
                                                   Map<String, Object> overrides) throws Exception {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers()))) {
            TopicProvisioner.provision(admin, List.of(io.warmstream.schemas.Topics.spec(io.warmstream.schemas.Topics.PREFERENCES_RAW)), (short) 1);
        }
        Map<String, Object> producerConfig = LabelProducer.producerConfigs(kafka.bootstrapServers(), overrides);
        Serializer<PreferenceLabel> avro = EventSerdes.forRegistry(registry.ccompatUrl()).valueSerializer(PreferenceLabel.class);
        try (KafkaProducer<String, PreferenceLabel> p = new KafkaProducer<>(producerConfig, new StringSerializer(), avro)) {
            List<PreferenceLabel> backlog = generate(n, new Random(3), "t");
            Acks acks = new Acks(n);
            for (PreferenceLabel l : backlog) p.send(new ProducerRecord<>(io.warmstream.schemas.Topics.PREFERENCES_RAW, l.getId(), l), acks);
            acks.await();
        }
        Map<String, Object> props = new HashMap<>();
        props.put("warm.kafka.bootstrap-servers", kafka.bootstrapServers());
        props.put("warm.registry.url", registry.ccompatUrl());
        props.put("warm.ingest.topology.application-id", "bench-topology-" + System.nanoTime());
        props.put("warm.ingest.topology.state-dir", Files.createTempDirectory("bench-topology-state").toString());
        System.getProperties().forEach((k, v) -> {
            if (k.toString().startsWith("bench.streams.")) props.put("warm.ingest.topology.streams." + k.toString().substring("bench.streams.".length()), v);
        });
        Map<String, Object> result = new LinkedHashMap<>();
        try (EmbeddedServer server = IngestApplication.start(props)) {
            MeterRegistry meters = server.getApplicationContext().getBean(MeterRegistry.class);
            long t0 = 0, c0 = 0;
            long deadline = System.nanoTime() + Duration.ofMinutes(10).toNanos();
            double passed;
            while ((passed = meters.counter("warm.ingest.topology.passed").count()) < n && System.nanoTime() < deadline) {
                if (t0 == 0 && passed > 0) {
                    t0 = System.nanoTime(); // from the first label processed: excludes start-up and the first rebalance
                    c0 = cpuNanos();
                }
                Thread.sleep(5);
            }
            double seconds = (System.nanoTime() - t0) / 1e9;
            result.put("labels", n);
            result.put("labelsPerSec", round(passed / seconds));
            result.put("cpuMicrosPerLabel", round((cpuNanos() - c0) / 1e3 / passed));
            result.put("streamsOverrides", props.entrySet().stream().filter(e -> e.getKey().startsWith("warm.ingest.topology.streams."))
                    .collect(java.util.stream.Collectors.toMap(e -> e.getKey().substring("warm.ingest.topology.streams.".length()), e -> String.valueOf(e.getValue()))));
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

    private static List<byte[]> bodies(List<PreferenceLabel> labels, int batch, boolean ndjson) throws IOException {
        JsonFactory json = new JsonFactory();
        List<byte[]> bodies = new ArrayList<>();
        for (int from = 0; from < labels.size(); from += batch) {
            ByteArrayOutputStream buf = new ByteArrayOutputStream();
            List<PreferenceLabel> slice = labels.subList(from, Math.min(labels.size(), from + batch));
            if (!ndjson) buf.write('[');
            for (int i = 0; i < slice.size(); i++) {
                if (i > 0) buf.write(ndjson ? '\n' : ',');
                StringWriter w = new StringWriter();
                try (JsonGenerator g = json.createGenerator(w)) {
                    PreferenceLabel l = slice.get(i);
                    g.writeStartObject();
                    g.writeStringField("id", l.getId());
                    g.writeStringField("prompt", l.getPrompt());
                    g.writeStringField("chosen", l.getChosen());
                    g.writeStringField("rejected", l.getRejected());
                    g.writeStringField("labeller", l.getLabeller());
                    g.writeStringField("source", l.getSource());
                    g.writeNumberField("confidence", l.getConfidence());
                    g.writeStringField("createdAt", l.getCreatedAt().toString());
                    g.writeEndObject();
                }
                buf.write(w.toString().getBytes(StandardCharsets.UTF_8));
            }
            if (!ndjson) buf.write(']');
            bodies.add(buf.toByteArray());
        }
        return bodies;
    }

    /** Labels with realistic text: prompt 200-500 characters, responses 150-400 each. */
    static List<PreferenceLabel> generate(int n, Random random, String prefix) {
        List<PreferenceLabel> out = new ArrayList<>(n);
        Instant t = Instant.parse("2024-05-01T12:00:00Z");
        for (int i = 0; i < n; i++) {
            out.add(new PreferenceLabel(prefix + "-" + i + "-" + Long.toHexString(random.nextLong()),
                    text(random, 200 + random.nextInt(300)), text(random, 150 + random.nextInt(250)),
                    text(random, 150 + random.nextInt(250)), "labeller-" + random.nextInt(50), "bench",
                    random.nextDouble(), t.plusMillis(i), null));
        }
        return out;
    }

    private static String text(Random random, int chars) {
        StringBuilder b = new StringBuilder(chars + 16);
        while (b.length() < chars) b.append(WORDS[random.nextInt(WORDS.length)]).append(' ');
        b.setLength(chars);
        return b.toString();
    }

    // ------------------------------------------------------------------ output

    private static double round(double v) {
        return Math.round(v * 10) / 10.0;
    }

    private static List<Double> rounded(List<Double> v) {
        return v.stream().map(IngestBenchmark::round).toList();
    }

    private static String toJson(Map<String, Object> map) throws IOException {
        StringWriter w = new StringWriter();
        try (JsonGenerator g = new JsonFactory().createGenerator(w)) {
            write(g, map);
        }
        return w.toString();
    }

    private static void write(JsonGenerator g, Object v) throws IOException {
        if (v instanceof Map<?, ?> m) {
            g.writeStartObject();
            for (Map.Entry<?, ?> e : m.entrySet()) {
                g.writeFieldName(e.getKey().toString());
                write(g, e.getValue());
            }
            g.writeEndObject();
        } else if (v instanceof List<?> l) {
            g.writeStartArray();
            for (Object o : l) write(g, o);
            g.writeEndArray();
        } else if (v instanceof Number num) {
            if (num instanceof Double || num instanceof Float) g.writeNumber(num.doubleValue());
            else g.writeNumber(num.longValue());
        } else if (v instanceof Boolean b) {
            g.writeBoolean(b);
        } else {
            g.writeString(String.valueOf(v));
        }
    }

}
