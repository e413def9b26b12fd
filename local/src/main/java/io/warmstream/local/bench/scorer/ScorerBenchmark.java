package io.warmstream.local.bench.scorer;

import ai.djl.engine.Engine;
import io.warmstream.local.bench.measure.BenchProperties;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.micronaut.runtime.server.EmbeddedServer;
import io.warmstream.embedded.EmbeddedKafka;
import io.warmstream.embedded.EmbeddedRegistry;
import io.warmstream.events.Member;
import io.warmstream.events.WarmModelPublished;
import io.warmstream.model.BaseModel;
import io.warmstream.model.BaseModels;
import io.warmstream.model.Compute;
import io.warmstream.model.RewardHead;
import io.warmstream.model.RewardModel;
import io.warmstream.local.bench.model.RandomArchitectures;
import io.warmstream.model.bert.BertConfig;
import io.warmstream.model.store.FileSystemCheckpointStore;
import io.warmstream.model.weights.ModelDirectory;
import io.warmstream.platform.KafkaSettings;
import io.warmstream.schemas.Topics;
import io.warmstream.scorer.ScorerApplication;
import io.warmstream.scorer.batching.DynamicBatcher;
import io.warmstream.scorer.onnx.OnnxRewardFunction;
import io.warmstream.scorer.serving.HotSwappedModel;
import io.warmstream.scorer.serving.Origin;
import io.warmstream.scorer.serving.RewardFunction;
import io.warmstream.scorer.serving.ScoreMode;
import io.warmstream.scorer.serving.ScoredBatch;
import io.warmstream.scorer.serving.ScoringBackend;
import io.warmstream.scorer.serving.ServingListener;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Scoring throughput and latency of the scorer, printed as JSON on stdout: MiniLM-L6 reward model (untrained, random
 * head), about 128 tokens per (prompt, response), on the device present.
 * <ul>
 *   <li>{@code yardstick} (CPU): onnxruntime running the shipped MiniLM encoder ONNX file, tokenization included, at
 *       batch 1, batch 32 and with {@code bench.clients} threads each sending batch 1; same intra-op threads as the
 *       scorer;</li>
 *   <li>{@code backend}: the scorer's model runtime called directly (no HTTP), batch 1 and 32; {@code djl}: DJL/PyTorch
 *       for comparison;</li>
 *   <li>{@code http_warm} / {@code http_ens}: {@code POST /v1/rewards} (mode warm or ens, M = {@code bench.members})
 *       through the whole service, 1 item per request, from 1 client and from {@code bench.clients} clients (the
 *       dynamic batcher gathers them); {@code service_batcher_batch1}: the service's batcher and model called in
 *       process, without HTTP; {@code http_no_model}: the same requests refused before scoring (bad mode),
 *       what HTTP alone costs.</li>
 * </ul>
 * Every workload runs {@code bench.rounds} times, interleaved; each is reported by its median round and comparisons are
 * medians of per-round ratios ({@link BenchmarkReport}), so load from other processes hits both sides alike;
 * {@code cpu_ms_per_reward} (this process's CPU time, HTTP clients and the embedded broker included) is less
 * sensitive to it.
 *
 * <pre>
 * ./warm bench --only scorer      (or this main alone on ./warm's classpath, with -Dbench.* properties)
 * </pre>
 * Properties: bench.seconds (5), bench.rounds (2), bench.clients (16), bench.members (6), bench.runtime (auto|djl|onnx),
 * bench.modelThreads (2), bench.intraThreads (0 = cores), bench.spinning (false), bench.maxWait (auto),
 * bench.maxBatch (0 = device default), bench.djl (true), bench.ens (true), bench.device (auto), bench.precision (fp32),
 * bench.concurrentItems (0 = 1 on CPU, 32 on GPU), bench.only (workload names).
 *
 * <p>Longer than most classes because the arms of one comparison (onnxruntime, the runtime, HTTP WARM and ENS) live together so they run in one process under the same conditions.
 */
public final class ScorerBenchmark {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String[] WORDS = ("the reward model reads a prompt and a response and says how good the answer "
            + "is for people who asked the question while the policy tries to find answers that score well so the reward "
            + "has to stay robust when outputs drift away from the data it was trained on every day new labels arrive").split(" ");

    private final double seconds = Double.parseDouble(BenchProperties.get("bench.seconds", "5"));
    private final int rounds = Integer.parseInt(BenchProperties.get("bench.rounds", "2"));
    private final int clients = Integer.parseInt(BenchProperties.get("bench.clients", "16"));
    private final int members = Integer.parseInt(BenchProperties.get("bench.members", "6"));
    private final String runtime = BenchProperties.get("bench.runtime", "auto");
    private final int modelThreads = Integer.parseInt(BenchProperties.get("bench.modelThreads", "2"));
    private final int intraThreads = Integer.parseInt(BenchProperties.get("bench.intraThreads", "0"));
    private final boolean spinning = Boolean.parseBoolean(BenchProperties.get("bench.spinning", "false"));
    private final String maxWait = BenchProperties.get("bench.maxWait", "auto");
    private final int maxBatch = Integer.parseInt(BenchProperties.get("bench.maxBatch", "0"));
    private final boolean withDjl = Boolean.parseBoolean(BenchProperties.get("bench.djl", "true"));
    private final boolean withEns = Boolean.parseBoolean(BenchProperties.get("bench.ens", "true"));
    /** Items per request in the concurrent HTTP runs (0: 1 on CPU, 32 on GPU, where one item per request would
     *  measure the HTTP stack rather than the model). */
    private final int concurrentItems = Integer.parseInt(BenchProperties.get("bench.concurrentItems", "0"));
    private int itemsPerRequest = 1;
    /** The large in-process batch: 32 on CPU (the scorer's max batch there), 256 on GPU. */
    private int bigBatch = 32;

    private final List<String> prompts = new ArrayList<>();
    private final List<String> responses = new ArrayList<>();
    private final List<String> bodies = new ArrayList<>();
    private final BenchmarkReport report = new BenchmarkReport();
    private int round;
    private final AtomicLong batches = new AtomicLong();
    private final AtomicLong batchItems = new AtomicLong();
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    private String url;
    private DynamicBatcher batcher;

    public static void main(String[] args) throws Exception {
        new ScorerBenchmark().run();
        System.exit(0); // the registry process and non-daemon client threads must not keep the JVM alive
    }

    private void run() throws Exception {
        Compute compute = Compute.of(BenchProperties.get("bench.device", "auto"), BenchProperties.get("bench.precision", "fp32"));
        boolean cpu = !compute.device().isGpu();
        int cores = Runtime.getRuntime().availableProcessors();
        int intra = intraThreads > 0 ? intraThreads : cores;
        itemsPerRequest = concurrentItems > 0 ? concurrentItems : cpu ? 1 : 32;
        bigBatch = cpu ? 32 : 256;
        texts(512);
        Path tmp = Files.createTempDirectory("scorer-bench");
        FileSystemCheckpointStore store = new FileSystemCheckpointStore(tmp.resolve("store"));
        BaseModel base = withRandomHead(RandomArchitectures.fromSystemProperties(BaseModels.MINILM), 1);
        Path dir = tmp.resolve("model");
        try (RewardModel m = RewardModel.create(base, Compute.cpu())) {
            m.save(dir, Map.of("bench", true));
        }
        String sha = ModelDirectory.readManifest(dir).weightsSha256();
        URI average = store.put("averages/bench/v1", dir);
        List<Member> ms = new ArrayList<>();
        for (int i = 0; i < members; i++) {
            URI u = store.put("checkpoints/bench/m" + i, dir); // same weights: ENS costs the same whatever they are
            ms.add(Member.newBuilder().setJobId("m" + i).setUri(u.toString()).setSha256(sha).setValidationAccuracy(0.6)
                    .setWeight(1.0 / members).build());
        }

        Map<String, Object> out = new LinkedHashMap<>();
        out.put("benchmark", "scorer");
        out.put("model", base.name() + " reward model (untrained, random head)");
        out.put("architecture", base.config().architectureId());
        out.put("device", compute.deviceName());
        out.put("precision", compute.precision().name().toLowerCase());
        out.put("engine", Engine.getInstance().getEngineName() + " " + Engine.getInstance().getVersion());
        out.put("cpu_cores", cores);
        out.put("load_average_at_start", loadAverage());

        EmbeddedKafka kafka = EmbeddedKafka.start(null);
        EmbeddedRegistry registry = EmbeddedRegistry.start();
        EmbeddedServer server = null;
        Yardstick yardstick = null;
        RewardFunction backend = null;
        RewardModel djl = null;
        try {
            server = startScorer(kafka, registry, store, compute);
            url = server.getURL().toString();
            HotSwappedModel hot = server.getApplicationContext().getBean(HotSwappedModel.class);
            batcher = server.getApplicationContext().getBean(DynamicBatcher.class);
            hot.addListener(new ServingListener() {
                @Override
                public void onBatchScored(ScoredBatch b) {
                    batches.incrementAndGet();
                    batchItems.addAndGet(b.size());
                }
            });
            publish(kafka, registry, WarmModelPublished.newBuilder().setAverage("bench").setVersion(1)
                    .setUri(average.toString()).setSha256(sha).setLineage(base.lineage().id()).setStrategy("UNIFORM")
                    .setMembers(ms).setMemberCount(members).setPublishedAt(Instant.now()).build());
            JsonNode current = awaitServing(withEns);
            out.put("runtime", server.getApplicationContext().getBean(ScoringBackend.class).name());
            out.put("settings", settings(intra, compute));
            // The shipped ONNX file has MiniLM-L6's shapes: a yardstick for that shape only (speed does not depend
            // on the weights' values, so it also stands beside randomly initialised MiniLM-L6 weights).
            if (cpu && base.config().architectureId().equals(BertConfig.miniLmL6().architectureId())) {
                yardstick = new Yardstick(base.tokenizerFile(), intra, spinning);
                out.put("mean_tokens_per_item", Measurement.round(yardstick.meanTokens(prompts, responses)));
            }
            backend = ScoringBackend.of(runtime, compute, new OnnxRewardFunction.Settings(intra, spinning, 64)).open(dir);
            if (withDjl && cpu && !out.get("runtime").toString().startsWith("djl")) {
                djl = RewardModel.load(dir, compute);
            }
            warmUp(yardstick, backend, djl);
            for (round = 0; round < rounds; round++) {
                round(round, yardstick, backend, djl);
            }
            out.put("loaded_version", current.get("version").asLong());
        } finally {
            if (server != null) server.getApplicationContext().close();
            if (yardstick != null) yardstick.close();
            if (backend != null) backend.close();
            if (djl != null) djl.close();
            kafka.close();
            registry.close();
        }
        out.put("results", report.results());
        out.put("comparisons", comparisons(cpu));
        out.put("load_average_at_end", loadAverage());
        System.out.println(JSON.copy().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsString(out));
    }

    private EmbeddedServer startScorer(EmbeddedKafka kafka, EmbeddedRegistry registry, FileSystemCheckpointStore store,
                                       Compute compute) throws Exception {
        Map<String, Object> p = new HashMap<>();
        p.put("warm.kafka.bootstrap-servers", kafka.bootstrapServers());
        p.put("warm.registry.url", registry.ccompatUrl());
        p.put("warm.store.location", store.root().toString());
        p.put("warm.scorer.average", "bench");
        p.put("micronaut.security.enabled", false); // benchmarks measure the pipeline, not authentication
        p.put("warm.holdout.salt", "bench");
        p.put("warm.scorer.runtime", runtime);
        p.put("warm.scorer.device", BenchProperties.get("bench.device", "auto"));
        p.put("warm.scorer.precision", BenchProperties.get("bench.precision", "fp32"));
        p.put("warm.scorer.onnx.threads", intraThreads);
        p.put("warm.scorer.onnx.spinning", spinning);
        p.put("warm.scorer.batching.threads", modelThreads);
        p.put("warm.scorer.batching.max-wait", maxWait);
        p.put("warm.scorer.batching.max-batch", maxBatch);
        p.put("warm.scorer.ens.enabled", withEns);
        p.put("warm.scorer.ens.max-members", Math.max(8, members));
        p.put("warm.scorer.stream.enabled", false);
        p.put("warm.scorer.export.cache-dir", Files.createTempDirectory("scorer-bench-exports").toString());
        return ScorerApplication.start(p);
    }

    private void round(int r, Yardstick y, RewardFunction backend, RewardModel djl) throws Exception {
        if (y != null) {
            measure("yardstick_batch1", 1, 1, (t, i) -> y.run(one(prompts, i), one(responses, i)));
        }
        measure("backend_batch1", 1, 1, (t, i) -> backend.score(one(prompts, i), one(responses, i)));
        if (djl != null) {
            measure("djl_batch1", 1, 1, (t, i) -> djl.score(one(prompts, i), one(responses, i)));
        }
        measure("service_batcher_batch1", 1, 1,
                (t, i) -> batcher.submit(ScoreMode.WARM, Origin.HTTP, one(prompts, i), one(responses, i)).get());
        httpNoop();
        http("http_warm_batch1", 1, 1, ScoreMode.WARM);
        if (withEns) {
            http("http_ens_batch1", 1, 1, ScoreMode.ENS);
        }
        int n = bigBatch;
        if (y != null) {
            measure("yardstick_batch" + n, 1, n, (t, i) -> y.run(slice(prompts, i, n), slice(responses, i, n)));
        }
        measure("backend_batch" + n, 1, n, (t, i) -> backend.score(slice(prompts, i, n), slice(responses, i, n)));
        if (djl != null) {
            measure("djl_batch" + n, 1, n, (t, i) -> djl.score(slice(prompts, i, n), slice(responses, i, n)));
        }
        if (y != null) {
            measure("yardstick_concurrent", clients, 1, (t, i) -> y.run(one(prompts, t * 997L + i), one(responses, t * 997L + i)));
        }
        http("http_warm_concurrent", clients, itemsPerRequest, ScoreMode.WARM);
        if (withEns) {
            http("http_ens_concurrent", clients, itemsPerRequest, ScoreMode.ENS);
        }
        System.err.println("round " + (r + 1) + " of " + rounds + " done");
    }

    private void measure(String name, int threads, int items, LoadRun.Request request) throws Exception {
        if (wanted(name)) {
            record(LoadRun.run(name, threads, items, seconds, request));
        }
    }

    private void http(String name, int threads, int items, ScoreMode mode) throws Exception {
        if (!wanted(name)) {
            return;
        }
        long b0 = batches.get();
        long i0 = batchItems.get();
        String path = url + "/v1/rewards" + (mode == ScoreMode.ENS ? "?mode=ens" : "");
        Measurement m = LoadRun.run(name, threads, items, seconds, (t, i) -> {
            String body = body(t * 997L + i, items);
            HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(path)).timeout(Duration.ofMinutes(5))
                    .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body)).build(),
                    HttpResponse.BodyHandlers.ofString());
            if (r.statusCode() != 200) {
                throw new IllegalStateException("HTTP " + r.statusCode() + ": " + r.body());
            }
        });
        Thread.sleep(300); // listener events are asynchronous
        report.batches(name, batches.get() - b0, batchItems.get() - i0);
        record(m);
    }

    /**
     * The HTTP path without the model: a request refused after reading its body (unknown mode), to separate what
     * HTTP, routing and JSON cost from what the forward pass costs.
     */
    private void httpNoop() throws Exception {
        if (!wanted("http_no_model")) {
            return;
        }
        String path = url + "/v1/rewards?mode=none";
        record(LoadRun.run("http_no_model", 1, 1, Math.min(seconds, 2), (t, i) -> {
            String body = bodies.get((int) Math.floorMod(i, (long) bodies.size()));
            HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(path)).timeout(Duration.ofMinutes(1))
                    .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body)).build(),
                    HttpResponse.BodyHandlers.ofString());
            if (r.statusCode() != 400) {
                throw new IllegalStateException("expected 400, got " + r.statusCode());
            }
        }));
    }

    private String body(long i, int items) {
        if (items == 1) {
            return bodies.get((int) Math.floorMod(i, (long) bodies.size()));
        }
        ObjectNode body = JSON.createObjectNode();
        var array = body.putArray("items");
        for (int k = 0; k < items; k++) {
            int j = (int) Math.floorMod(i * items + k, (long) prompts.size());
            array.addObject().put("prompt", prompts.get(j)).put("response", responses.get(j));
        }
        return body.toString();
    }

    private void warmUp(Yardstick y, RewardFunction backend, RewardModel djl) throws Exception {
        for (int i = 0; i < 3; i++) {
            if (y != null) y.run(slice(prompts, i, 32), slice(responses, i, 32));
            backend.score(slice(prompts, i, 32), slice(responses, i, 32));
            if (djl != null) djl.score(slice(prompts, i, 8), slice(responses, i, 8));
        }
        // The HTTP stack (Netty, Micronaut, the JDK client) needs a few hundred requests before the JIT has compiled
        // it; measured before that, its compilation shows up as CPU time per request.
        for (int i = 0; i < 2400; i++) {
            String path = url + "/v1/rewards" + (i % 8 == 0 ? "" : "?mode=none");
            http.send(HttpRequest.newBuilder(URI.create(path)).header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(bodies.get(i % bodies.size()))).build(), HttpResponse.BodyHandlers.ofString());
        }
    }

    /** With bench.only (comma-separated workload names), the others are skipped: for profiling one workload. */
    private boolean wanted(String name) {
        String only = System.getProperty("bench.only", "");
        return only.isBlank() || java.util.Arrays.asList(only.split(",")).contains(name);
    }

    private void record(Measurement m) {
        report.add(round, m);
        System.err.printf("  %-22s %8.1f rewards/s  p50 %7.1f ms  p99 %7.1f ms  %6.2f cpu-ms/reward%n",
                m.name(), m.rewardsPerSecond(), m.p50Ms(), m.p99Ms(), m.cpuMsPerItem());
    }

    private Map<String, Object> comparisons(boolean cpu) {
        Map<String, Object> c = new LinkedHashMap<>();
        if (withEns) {
            c.put("warm_over_ens_concurrent", report.ratio("http_warm_concurrent", "http_ens_concurrent"));
            c.put("warm_over_ens_batch1", report.ratio("http_warm_batch1", "http_ens_batch1"));
            c.put("warm_over_ens_cpu_time_concurrent", report.cpuRatio("http_warm_concurrent", "http_ens_concurrent"));
            c.put("warm_over_ens_target", 5.0);
        }
        if (cpu) {
            c.put("backend_over_yardstick_batch1", report.ratio("backend_batch1", "yardstick_batch1"));
            c.put("backend_over_yardstick_batch32", report.ratio("backend_batch32", "yardstick_batch32"));
            c.put("backend_over_yardstick_cpu_time_batch1", report.cpuRatio("backend_batch1", "yardstick_batch1"));
            c.put("backend_over_yardstick_cpu_time_batch32", report.cpuRatio("backend_batch32", "yardstick_batch32"));
            c.put("http_over_yardstick_batch1", report.ratio("http_warm_batch1", "yardstick_batch1"));
            c.put("http_over_yardstick_cpu_time_batch1", report.cpuRatio("http_warm_batch1", "yardstick_batch1"));
            c.put("http_concurrent_over_best_yardstick", report.ratioToBest("http_warm_concurrent", "yardstick_batch32", "yardstick_concurrent"));
            c.put("http_concurrent_over_yardstick_cpu_time", report.cpuRatio("http_warm_concurrent", "yardstick_concurrent"));
            c.put("djl_over_yardstick_batch32", report.ratio("djl_batch32", "yardstick_batch32"));
            c.put("djl_over_yardstick_cpu_time_batch32", report.cpuRatio("djl_batch32", "yardstick_batch32"));
            c.put("cpu_target", 1.0);
        } else {
            c.put("gpu_target_seq_per_s_fp32", 12_426);
            c.put("gpu_target_seq_per_s_bf16", 48_344);
            c.put("gpu_target_latency_ms", "7-9");
        }
        return c;
    }

    private Map<String, Object> settings(int intra, Compute compute) {
        Map<String, Object> s = new LinkedHashMap<>();
        s.put("seconds_per_run", seconds);
        s.put("rounds", rounds);
        s.put("clients", clients);
        s.put("items_per_request_concurrent", itemsPerRequest);
        s.put("ens_members", members);
        s.put("model_threads", modelThreads);
        s.put("intra_op_threads", intra);
        s.put("onnx_spinning", spinning);
        s.put("max_wait", maxWait);
        s.put("max_batch", maxBatch > 0 ? maxBatch : compute.device().isGpu() ? 256 : 32);
        return s;
    }

    private JsonNode awaitServing(boolean ens) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(5);
        while (System.nanoTime() < deadline) {
            HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(url + "/v1/models/current")).GET().build(),
                    HttpResponse.BodyHandlers.ofString());
            JsonNode n = JSON.readTree(r.body());
            if (r.statusCode() == 200 && (!ens || n.path("ensemble").path("state").asText().equals("ready"))) {
                return n;
            }
            Thread.sleep(200);
        }
        throw new IllegalStateException("the scorer did not serve the benchmark model within 5 minutes");
    }

    private static void publish(EmbeddedKafka kafka, EmbeddedRegistry registry, WarmModelPublished e) throws Exception {
        KafkaSettings s = KafkaSettings.of(kafka.bootstrapServers(), registry.ccompatUrl());
        try (KafkaProducer<String, byte[]> p = new KafkaProducer<>(s.producerConfig("bench", Map.of()))) {
            p.send(new ProducerRecord<>(Topics.MODELS, e.getAverage(),
                    s.serdes().valueSerializer(WarmModelPublished.class).serialize(Topics.MODELS, e))).get(60, TimeUnit.SECONDS);
        }
    }

    /** Prompts of 40 words and responses of 80: about 128 tokens a pair, as in STACK.md's figures. */
    private void texts(int n) {
        Random r = new Random(7);
        for (int i = 0; i < n; i++) {
            String p = words(r, 40);
            String resp = words(r, 80);
            prompts.add(p);
            responses.add(resp);
            ObjectNode body = JSON.createObjectNode();
            body.putArray("items").addObject().put("prompt", p).put("response", resp);
            bodies.add(body.toString());
        }
    }

    private static String words(Random r, int n) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < n; i++) {
            if (i > 0) sb.append(' ');
            sb.append(WORDS[r.nextInt(WORDS.length)]);
        }
        return sb.toString();
    }

    /** An untrained model has a zero classifier (the same reward for every input); a random head tells inputs apart. */
    private static BaseModel withRandomHead(BaseModel base, long seed) {
        Random r = new Random(seed);
        float[] w = new float[base.config().hiddenSize()];
        for (int i = 0; i < w.length; i++) {
            w[i] = (float) r.nextGaussian();
        }
        return base.withHead(new RewardHead(base.lineage().id(), w, (float) r.nextGaussian(), Map.of("bench", "random head")));
    }

    private static List<String> one(List<String> xs, long i) {
        int k = (int) Math.floorMod(i, (long) xs.size());
        return xs.subList(k, k + 1);
    }

    private static List<String> slice(List<String> xs, long i, int n) {
        int k = (int) Math.floorMod(i * n, (long) (xs.size() - n));
        return xs.subList(k, k + n);
    }

    private static double loadAverage() {
        return Measurement.round(java.lang.management.ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
    }
}
