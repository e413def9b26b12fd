package io.warmstream.local.bench.merger;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.micronaut.runtime.server.EmbeddedServer;
import io.warmstream.embedded.EmbeddedKafka;
import io.warmstream.embedded.EmbeddedRegistry;
import io.warmstream.events.Hyperparameters;
import io.warmstream.events.PreferenceLabel;
import io.warmstream.events.RewardModelCheckpoint;
import io.warmstream.events.WarmModelPublished;
import io.warmstream.merger.MergerApplication;
import io.warmstream.model.BaseModels;
import io.warmstream.model.bert.BertConfig;
import io.warmstream.local.bench.fold.MiniLmShapes;
import io.warmstream.local.bench.fold.RandomWeightModels;
import io.warmstream.model.store.DirectoryTree;
import io.warmstream.model.store.FileSystemCheckpointStore;
import io.warmstream.model.weights.Lineage;
import io.warmstream.model.weights.ModelDirectory;
import io.warmstream.model.weights.ModelManifest;
import io.warmstream.model.weights.TensorSpec;
import io.warmstream.platform.KafkaSettings;
import io.warmstream.platform.ModelArrivals;
import io.warmstream.schemas.Topics;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.Serializer;

import java.lang.management.ManagementFactory;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The merger's speed on MiniLM-sized reward models (105 tensors, 22.7M fp32 parameters, ~91 MB each), with the real
 * embedded broker and registry, the filesystem store and the service as it runs in production. Prints one JSON
 * object:
 * <ul>
 *   <li>{@code latency}: checkpoints sent one at a time; from sending the checkpoint event to its
 *       {@code WarmModelPublished} being readable (read_committed) on {@code warm.models}: fetch, vet, fold, write
 *       to the store, transaction. Guard off.</li>
 *   <li>{@code throughput}: all checkpoints sent at once to a fresh average; folds per second end to end.</li>
 *   <li>{@code guard}: latency with the LMC guard on, scoring the candidate and the new member on held-out labels
 *       (MiniLM forward passes on whatever device DJL has).</li>
 * </ul>
 * <pre>
 * ./warm bench --only merger      (or this main alone on ./warm's classpath: --checkpoints 8 --guard-checkpoints 3 --guard-labels 64)
 * </pre>
 * Models are random (uniform in [-0.05, 0.05]) with MiniLM's shapes, config and tokenizer; the numbers do not depend
 * on the values.
 *
 * <p>Longer than most classes because its three measurements share one broker, registry, store and merger set-up, so they run under the same conditions.
 */
public final class MergerBenchmark {

    private static final Lineage LINEAGE = new Lineage("sha256:merger-benchmark-random-base", "BertForSequenceClassification/MiniLM-L6");
    private static final Duration WAIT = Duration.ofMinutes(10);

    private final KafkaSettings settings;
    private final EmbeddedKafka kafka;
    private final EmbeddedRegistry registry;
    private final FileSystemCheckpointStore store;
    private final Path work;
    private final Producer<String, byte[]> producer;
    private final Serializer<RewardModelCheckpoint> checkpoints;
    private final HttpClient http = HttpClient.newHttpClient();
    private ModelArrivals arrivals;

    private MergerBenchmark(EmbeddedKafka kafka, EmbeddedRegistry registry, Path work) {
        this.kafka = kafka;
        this.registry = registry;
        this.work = work;
        this.settings = KafkaSettings.of(kafka.bootstrapServers(), registry.ccompatUrl());
        this.store = new FileSystemCheckpointStore(work.resolve("store"));
        this.producer = new KafkaProducer<>(settings.producerConfig("merger-bench", Map.of()));
        this.checkpoints = settings.serdes().valueSerializer(RewardModelCheckpoint.class);
    }

    public static void main(String[] args) throws Exception {
        int n = 8;
        int guardCheckpoints = 3;
        int guardLabels = 64;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--checkpoints" -> n = Integer.parseInt(args[++i]);
                case "--guard-checkpoints" -> guardCheckpoints = Integer.parseInt(args[++i]);
                case "--guard-labels" -> guardLabels = Integer.parseInt(args[++i]);
                default -> throw new IllegalArgumentException("unknown option " + args[i]
                        + "; use --checkpoints N, --guard-checkpoints G (0 skips), --guard-labels L");
            }
        }
        Path work = Files.createTempDirectory("merger-benchmark");
        Map<String, Object> out;
        try (EmbeddedKafka kafka = EmbeddedKafka.start(null); EmbeddedRegistry registry = EmbeddedRegistry.start()) {
            MergerBenchmark b = new MergerBenchmark(kafka, registry, work);
            try {
                out = b.run(n, guardCheckpoints, guardLabels);
            } finally {
                b.close();
            }
        } finally {
            DirectoryTree.delete(work);
        }
        System.out.println(new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsString(out));
        System.exit(0); // the JVM would otherwise wait for lingering non-daemon threads of the clients
    }

    private Map<String, Object> run(int n, int guardCheckpoints, int guardLabels) throws Exception {
        try (Admin admin = settings.admin("merger-bench-admin")) {
            settings.provision(admin, Topics.all());
        }
        arrivals = ModelArrivals.watch(settings, "merger-bench-watch");

        Path tokenizer = BaseModels.miniLm().tokenizerFile();
        long genStart = System.nanoTime();
        List<String> uris = new ArrayList<>();
        for (int i = 1; i <= Math.max(n, guardCheckpoints); i++) {
            uris.add(randomModel(store.root().resolve("checkpoints/bench/job-" + i), tokenizer, i).toUri().toString());
        }
        double genSeconds = (System.nanoTime() - genStart) / 1e9;

        Map<String, Object> out = new LinkedHashMap<>();
        out.put("benchmark", "merger: MiniLM-L6-sized checkpoint event -> vetted, folded, stored, published (embedded Kafka + Apicurio, filesystem store)");
        out.put("parameters", MiniLmShapes.specs().stream().mapToLong(TensorSpec::elementCount).sum());
        out.put("weightsFileBytes", Files.size(ModelDirectory.weightsFile(Path.of(URI.create(uris.get(0))))));
        out.put("availableProcessors", Runtime.getRuntime().availableProcessors());
        out.put("java", System.getProperty("java.version"));
        out.put("loadAverageAtStart", ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
        out.put("secondsToWriteInputModels", round(genSeconds));

        // 1. One checkpoint at a time: latency without a backlog.
        String avg = "latency";
        EmbeddedServer server = startMerger(avg, Map.of());
        List<Double> latencies = new ArrayList<>();
        for (int i = 1; i <= n; i++) {
            latencies.add(sendAndAwait(avg, i, uris.get(i - 1)));
        }
        Map<String, Object> latency = stats(latencies.subList(Math.min(1, latencies.size() - 1), latencies.size()));
        latency.put("firstVersionSeconds", round(latencies.get(0)));
        latency.put("note", "first version (a copy of the first member) not in the statistics");
        latency.put("meanFoldSeconds", round(meanFoldSeconds(server)));
        out.put("latency", latency);
        server.getApplicationContext().close();

        // 2. A backlog: all checkpoints at once into a fresh average.
        avg = "throughput";
        server = startMerger(avg, Map.of());
        long t0 = System.nanoTime();
        for (int i = 1; i <= n; i++) {
            send(avg, "job-" + i, uris.get(i - 1));
        }
        arrivals.await(avg, n, WAIT);
        double seconds = (System.nanoTime() - t0) / 1e9;
        Map<String, Object> throughput = new LinkedHashMap<>();
        throughput.put("checkpoints", n);
        throughput.put("seconds", round(seconds));
        throughput.put("foldsPerSecond", round(n / seconds));
        throughput.put("meanFoldSeconds", round(meanFoldSeconds(server)));
        out.put("throughput", throughput);
        server.getApplicationContext().close();

        // 3. With the LMC guard scoring every candidate on held-out labels.
        if (guardCheckpoints > 0) {
            produceLabels(guardLabels);
            avg = "guard";
            server = startMerger(avg, Map.of("warm.merger.guard.enabled", true, "warm.merger.guard.min-labels",
                    Math.min(guardLabels, 16), "warm.merger.holdout.fraction", 0.999,
                    "warm.merger.holdout.salt", "bench", "warm.merger.guard.margin", 1.0));
            List<Double> guarded = new ArrayList<>();
            for (int i = 1; i <= guardCheckpoints; i++) {
                guarded.add(sendAndAwait(avg, i, uris.get(i - 1)));
            }
            Map<String, Object> guard = stats(guarded);
            guard.put("heldOutLabels", guardLabels);
            guard.put("note", "each version scores the candidate and the new member (2 x labels x 2 sequences); "
                    + "margin 1.0 so random models are never refused");
            guard.put("device", io.warmstream.model.Compute.auto().deviceName());
            out.put("guard", guard);
            server.getApplicationContext().close();
        }
        out.put("loadAverageAtEnd", ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
        return out;
    }

    private EmbeddedServer startMerger(String average, Map<String, Object> extra) throws Exception {
        Map<String, Object> p = new HashMap<>();
        p.put("warm.kafka.bootstrap-servers", kafka.bootstrapServers());
        p.put("warm.registry.url", registry.ccompatUrl());
        p.put("warm.store.location", store.root().toString());
        p.put("warm.merger.average", average);
        p.put("micronaut.security.enabled", false); // benchmarks measure the pipeline, not authentication
        p.put("warm.holdout.salt", "bench");
        p.put("warm.merger.work-dir", work.resolve("merger-work").toString());
        p.put("warm.merger.guard.enabled", false);
        // Measured without the quality gate (its cost: GateCostBenchmark and merger/README.md).
        p.put("warm.merger.gate.enabled", false);
        p.put("warm.merger.poll-timeout", "50ms");
        p.put("warm.merger.lineage", LINEAGE.id());
        p.putAll(extra);
        EmbeddedServer server = MergerApplication.start(p);
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (!http.send(HttpRequest.newBuilder(URI.create(server.getURL() + "/v1/merger/state")).build(),
                HttpResponse.BodyHandlers.ofString()).body().contains("\"role\":\"ACTIVE\"")) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("merger of " + average + " never became active");
            }
            Thread.sleep(50);
        }
        return server;
    }

    private double sendAndAwait(String average, int i, String uri) throws Exception {
        long t0 = System.nanoTime();
        send(average, "job-" + i, uri);
        long arrived = arrivals.await(average, i, WAIT);
        return (arrived - t0) / 1e9;
    }

    private void send(String average, String job, String uri) throws Exception {
        ModelManifest m = ModelDirectory.readManifest(Path.of(URI.create(uri)));
        RewardModelCheckpoint cp = RewardModelCheckpoint.newBuilder()
                .setJobId(job).setAverage(average).setUri(uri).setSha256(m.weightsSha256()).setLineage(m.lineage().id())
                .setBaseModel("random-minilm").setSeed(0)
                .setHyperparameters(Hyperparameters.newBuilder().setLearningRate(4e-5).setDropout(0.1).setBatchSize(16)
                        .setMaxSequenceLength(128).setTrainableLayers(-1).build())
                .setValidationAccuracy(0.9).setValidationLoss(0.3).setValidationCount(100).setTrainCount(1000)
                .setRanges(List.of()).setDevice("cpu").setDurationMs(0).setWorker("bench").setCreatedAt(Instant.now())
                .build();
        producer.send(new ProducerRecord<>(Topics.CHECKPOINTS, average, checkpoints.serialize(Topics.CHECKPOINTS, cp))).get();
    }

    private void produceLabels(int count) {
        Serializer<PreferenceLabel> ser = settings.serdes().valueSerializer(PreferenceLabel.class);
        SplittableRandom r = new SplittableRandom(5);
        String[] words = {"the", "answer", "explains", "clearly", "why", "model", "reward", "summary", "is", "short",
            "and", "accurate", "but", "misses", "one", "detail", "about", "policy", "training", "data"};
        for (int i = 0; i < count; i++) {
            PreferenceLabel l = PreferenceLabel.newBuilder().setId("bench-" + i).setPrompt(text(r, words, 20))
                    .setChosen(text(r, words, 30)).setRejected(text(r, words, 30)).setLabeller("bench")
                    .setSource("bench").setCreatedAt(Instant.now()).build();
            producer.send(new ProducerRecord<>(Topics.PREFERENCES, l.getId(), ser.serialize(Topics.PREFERENCES, l)));
        }
        producer.flush();
    }

    private static String text(SplittableRandom r, String[] words, int n) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < n; i++) {
            sb.append(i == 0 ? "" : " ").append(words[r.nextInt(words.length)]);
        }
        return sb.toString();
    }

    private double meanFoldSeconds(EmbeddedServer server) throws Exception {
        String metrics = http.send(HttpRequest.newBuilder(URI.create(server.getURL() + "/prometheus")).build(),
                HttpResponse.BodyHandlers.ofString()).body();
        return metric(metrics, "warm_merger_fold_seconds_sum") / metric(metrics, "warm_merger_fold_seconds_count");
    }

    private static double metric(String text, String name) {
        Matcher m = Pattern.compile("(?m)^" + name + "(\\{[^}]*\\})? ([0-9.eE+-]+)$").matcher(text);
        return m.find() ? Double.parseDouble(m.group(2)) : Double.NaN;
    }

    /** A MiniLM-shaped reward model with random weights, written one 1 MiB chunk at a time. */
    private static Path randomModel(Path dir, Path tokenizer, long seed) {
        return RandomWeightModels.write(dir, MiniLmShapes.specs(), BertConfig.miniLmL6().toHuggingFaceConfig(), tokenizer,
                LINEAGE, seed);
    }

    private static Map<String, Object> stats(List<Double> seconds) {
        double[] s = seconds.stream().mapToDouble(Double::doubleValue).sorted().toArray();
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("samples", s.length);
        m.put("medianSeconds", round(s[s.length / 2]));
        m.put("minSeconds", round(s[0]));
        m.put("maxSeconds", round(s[s.length - 1]));
        m.put("allSeconds", seconds.stream().map(MergerBenchmark::round).toList());
        return m;
    }

    private static double round(double v) {
        return Math.round(v * 10_000) / 10_000.0;
    }

    private void close() {
        if (arrivals != null) {
            arrivals.close();
        }
        producer.close(Duration.ofSeconds(5));
    }
}
