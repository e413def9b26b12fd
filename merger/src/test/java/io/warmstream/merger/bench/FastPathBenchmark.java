package io.warmstream.merger.bench;

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
import io.warmstream.model.BaseModel;
import io.warmstream.model.BaseModels;
import io.warmstream.model.Compute;
import io.warmstream.model.PreferencePair;
import io.warmstream.model.store.FileSystemCheckpointStore;
import io.warmstream.model.train.RewardModelTrainer;
import io.warmstream.model.train.TrainingConfig;
import io.warmstream.model.train.TrainingListener;
import io.warmstream.model.weights.ModelDirectory;
import io.warmstream.model.weights.NamedTensor;
import io.warmstream.platform.KafkaSettings;
import io.warmstream.platform.ModelArrivals;
import io.warmstream.schemas.Topics;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.Serializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.junit.jupiter.api.io.TempDir;

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

/**
 * Checkpoint to published with the LMC guard and the quality gate on as configured by default (512 held-out labels,
 * both scoring), the held-out feature cache off and on, while a trainer trains on the same machine (a MiniLM
 * reward model, top 2 layers, 16 pairs x 128 tokens per step, in a loop on its own thread). Members are the pretrained
 * MiniLM-L6 with their top 2 layers, pooler and classifier perturbed, as CPU-default training leaves them. Each
 * checkpoint is sent and the time until its version is readable on {@code warm.models} (read_committed) is taken.
 * Prints JSON, and writes it to {@code -Dwarm.bench.out} if set.
 * <pre>
 * ./mvnw -o -q -pl merger -am test -Dtest=FastPathBenchmark -Dsurefire.failIfNoSpecifiedTests=false \
 *   -Dwarm.bench.fastpath=true -Dwarm.bench.out=$PWD/merger/bench-results-fastpath.json
 * </pre>
 * Options: {@code warm.bench.checkpoints} (per mode, default 5), {@code warm.bench.labels} (512),
 * {@code warm.bench.trainer} (true), {@code warm.bench.modes} (whole,cached).
 */
@EnabledIfSystemProperty(named = "warm.bench.fastpath", matches = "true")
class FastPathBenchmark {

    private static final Duration WAIT = Duration.ofMinutes(15);
    private static final String[] WORDS = ("the answer explains clearly why a reward model trained on fresh labels "
            + "should rank the helpful response above the evasive one but it misses a detail about the policy data "
            + "and the summary is short accurate polite vague wrong").split(" ");

    @TempDir
    Path work;
    private KafkaSettings settings;
    private Producer<String, byte[]> producer;
    private final HttpClient http = HttpClient.newHttpClient();
    private volatile boolean running = true;
    private ModelArrivals arrivals;

    @Test
    void checkpointToPublished() throws Exception {
        int checkpoints = Integer.getInteger("warm.bench.checkpoints", 5);
        int labels = Integer.getInteger("warm.bench.labels", 512);
        boolean trainer = Boolean.parseBoolean(System.getProperty("warm.bench.trainer", "true"));
        String[] modes = System.getProperty("warm.bench.modes", "whole,cached").split(",");
        BaseModel base = BaseModels.miniLm();
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("benchmark", "merger: checkpoint event -> WarmModelPublished readable, LMC guard + quality gate on "
                + "(defaults), held-out feature cache off (whole) and on (cached)");
        out.put("model", "pretrained " + base.name() + " (6 layers, hidden 384); members: top 2 layers, pooler and "
                + "classifier perturbed (as CPU-default training leaves them)");
        out.put("machine", machine("AtStart"));
        try (EmbeddedKafka kafka = EmbeddedKafka.start(null); EmbeddedRegistry registry = EmbeddedRegistry.start()) {
            settings = KafkaSettings.of(kafka.bootstrapServers(), registry.ccompatUrl());
            producer = new KafkaProducer<>(settings.producerConfig("fastpath-bench", Map.of()));
            try (Admin admin = settings.admin("fastpath-bench-admin")) {
                settings.provision(admin, Topics.all());
            }
            FileSystemCheckpointStore store = new FileSystemCheckpointStore(work.resolve("store"));
            List<Path> members = new ArrayList<>();
            for (int i = 1; i <= checkpoints; i++) {
                members.add(member(base, store.root().resolve("checkpoints/bench/job-" + i), i));
            }
            List<PreferencePair> sample = produceLabels(labels);
            out.put("heldOutLabels", Map.of("count", labels, "prompt", "30 words", "responses", "40 words each",
                    "tokensPerSequenceAbout", 74));
            arrivals = ModelArrivals.watch(settings, "fastpath-bench-watch");
            Thread load = trainer ? startTrainer(base, sample) : null;
            out.put("trainerTrainingMeanwhile", trainer);
            Map<String, Object> byMode = new LinkedHashMap<>();
            for (String mode : modes) {
                byMode.put(mode, runMode(kafka, registry, store, mode.trim(), members));
            }
            out.put("modes", byMode);
            running = false;
            arrivals.close();
            if (load != null) {
                load.join(120_000);
            }
            producer.close(Duration.ofSeconds(5));
        }
        out.put("machineAtEnd", machine("AtEnd"));
        String json = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsString(out);
        System.out.println(json);
        String file = System.getProperty("warm.bench.out");
        if (file != null && !file.isBlank()) {
            Files.writeString(Path.of(file), json + "\n");
        }
    }

    private Map<String, Object> runMode(EmbeddedKafka kafka, EmbeddedRegistry registry, FileSystemCheckpointStore store,
                                        String mode, List<Path> members) throws Exception {
        String average = "bench-" + mode;
        Map<String, Object> p = new HashMap<>();
        p.put("warm.kafka.bootstrap-servers", kafka.bootstrapServers());
        p.put("warm.registry.url", registry.ccompatUrl());
        p.put("warm.store.location", store.root().toString());
        p.put("warm.merger.average", average);
        p.put("micronaut.security.enabled", false); // benchmarks measure the pipeline, not authentication
        p.put("warm.holdout.salt", "bench");
        p.put("warm.merger.work-dir", work.resolve("merger-work").toString());
        p.put("warm.merger.poll-timeout", "50ms");
        // Nearly every label held out (the split's salt and fraction only decide which labels; the guard's cost is the same).
        p.put("warm.merger.holdout.fraction", 0.999);
        p.put("warm.merger.holdout.salt", "bench");
        // Random perturbations are neither better nor worse by design: a wide margin keeps every version published.
        p.put("warm.merger.guard.margin", 1.0);
        p.put("warm.merger.guard.feature-cache.enabled", mode.equals("cached"));
        EmbeddedServer server = MergerApplication.start(p);
        try {
            awaitActive(server);
            List<Double> seconds = new ArrayList<>();
            for (int i = 1; i <= members.size(); i++) {
                long t0 = System.nanoTime();
                send(average, "job-" + i, members.get(i - 1));
                seconds.add((arrivals.await(average, i, WAIT) - t0) / 1e9);
            }
            Map<String, Object> m = new LinkedHashMap<>();
            List<Double> later = seconds.subList(1, seconds.size());
            m.put("firstVersionSeconds", round(seconds.get(0)));
            m.put("laterVersionsMedianSeconds", round(median(later)));
            m.put("allSeconds", seconds.stream().map(FastPathBenchmark::round).toList());
            m.put("note", "version 1 scores one model (candidate = the member) and, when cached, computes the bottom "
                    + "of every held-out sequence first; later versions score the new member and the candidate");
            m.put("heldOutModelsScored", scrape(server, "warm_merger_heldout_models_scored_total"));
            m.put("loadAverageAfter", ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
            return m;
        } finally {
            server.getApplicationContext().close();
        }
    }

    /** The base with its top 2 layers, pooler and classifier perturbed: what CPU-default training changes. */
    private static Path member(BaseModel base, Path dir, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        int layers = base.config().numLayers();
        List<NamedTensor> tensors = new ArrayList<>();
        for (NamedTensor t : base.tensors()) {
            float[] d = t.data();
            boolean trained = t.name().startsWith("bert.pooler.") || t.name().startsWith("classifier.")
                    || t.name().startsWith("bert.encoder.layer." + (layers - 1) + ".")
                    || t.name().startsWith("bert.encoder.layer." + (layers - 2) + ".");
            if (trained) {
                for (int i = 0; i < d.length; i++) {
                    d[i] += (float) ((r.nextDouble() - 0.5) * 0.02);
                }
            }
            tensors.add(new NamedTensor(t.name(), t.shape(), d));
        }
        ModelDirectory.write(dir, tensors, base.config().toHuggingFaceConfig(), base.tokenizerFile(), base.lineage(),
                Map.of("bench", "fast-path", "seed", seed));
        return dir;
    }

    /** A trainer on this machine: top-2-layer MiniLM steps, 16 pairs x 128 tokens, until the benchmark ends. */
    private Thread startTrainer(BaseModel base, List<PreferencePair> pairs) {
        Thread t = new Thread(() -> {
            TrainingConfig cfg = TrainingConfig.builder().batchSize(16).maxLength(128).trainableTopLayers(2)
                    .epochs(1).maxSteps(8).compute(Compute.cpu()).build();
            while (running) {
                new RewardModelTrainer().train(base, pairs.subList(0, Math.min(128, pairs.size())), cfg,
                        TrainingListener.NONE).close();
            }
        }, "fastpath-bench-trainer");
        t.setDaemon(true);
        t.start();
        return t;
    }

    private void send(String average, String job, Path dir) throws Exception {
        Serializer<RewardModelCheckpoint> ser = settings.serdes().valueSerializer(RewardModelCheckpoint.class);
        var m = ModelDirectory.readManifest(dir);
        RewardModelCheckpoint cp = RewardModelCheckpoint.newBuilder()
                .setJobId(job).setAverage(average).setUri(dir.toUri().toString()).setSha256(m.weightsSha256())
                .setLineage(m.lineage().id()).setBaseModel("minilm-l6").setSeed(0)
                .setHyperparameters(Hyperparameters.newBuilder().setLearningRate(4e-5).setDropout(0.1).setBatchSize(16)
                        .setMaxSequenceLength(128).setTrainableLayers(2).build())
                .setValidationAccuracy(0.9).setValidationLoss(0.3).setValidationCount(100).setTrainCount(1000)
                .setRanges(List.of()).setDevice("cpu").setDurationMs(0).setWorker("bench").setCreatedAt(Instant.now())
                .build();
        producer.send(new ProducerRecord<>(Topics.CHECKPOINTS, average, ser.serialize(Topics.CHECKPOINTS, cp))).get();
    }

    private List<PreferencePair> produceLabels(int count) {
        Serializer<PreferenceLabel> ser = settings.serdes().valueSerializer(PreferenceLabel.class);
        SplittableRandom r = new SplittableRandom(5);
        List<PreferencePair> pairs = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            PreferenceLabel l = PreferenceLabel.newBuilder().setId("bench-" + i).setPrompt(text(r, 30))
                    .setChosen(text(r, 40)).setRejected(text(r, 40)).setLabeller("bench")
                    .setSource("bench").setCreatedAt(Instant.now()).build();
            pairs.add(new PreferencePair(l.getPrompt(), l.getChosen(), l.getRejected()));
            producer.send(new ProducerRecord<>(Topics.PREFERENCES, l.getId(), ser.serialize(Topics.PREFERENCES, l)));
        }
        producer.flush();
        return pairs;
    }

    private static String text(SplittableRandom r, int n) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < n; i++) {
            sb.append(i == 0 ? "" : " ").append(WORDS[r.nextInt(WORDS.length)]);
        }
        return sb.toString();
    }

    private void awaitActive(EmbeddedServer server) throws Exception {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (!http.send(HttpRequest.newBuilder(URI.create(server.getURL() + "/v1/merger/state")).build(),
                HttpResponse.BodyHandlers.ofString()).body().contains("\"role\":\"ACTIVE\"")) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("merger never became active");
            }
            Thread.sleep(50);
        }
    }

    private Map<String, Object> scrape(EmbeddedServer server, String metric) throws Exception {
        String text = http.send(HttpRequest.newBuilder(URI.create(server.getURL() + "/prometheus")).build(),
                HttpResponse.BodyHandlers.ofString()).body();
        Map<String, Object> out = new LinkedHashMap<>();
        for (String line : text.split("\n")) {
            if (line.startsWith(metric + "{")) {
                String path = line.replaceAll(".*path=\"([a-z]+)\".*", "$1");
                out.put(path, Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1)));
            }
        }
        return out;
    }

    private static Map<String, Object> machine(String when) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("availableProcessors", Runtime.getRuntime().availableProcessors());
        m.put("loadAverage" + when, ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
        if (when.equals("AtStart")) {
            m.put("java", System.getProperty("java.version"));
            m.put("os", System.getProperty("os.name") + " " + System.getProperty("os.arch"));
            m.put("device", Compute.auto().deviceName());
            m.put("maxHeapMB", Runtime.getRuntime().maxMemory() >> 20);
            m.put("at", Instant.now().toString());
        }
        return m;
    }

    private static double median(List<Double> v) {
        List<Double> s = new ArrayList<>(v);
        s.sort(Double::compare);
        int n = s.size();
        return n % 2 == 1 ? s.get(n / 2) : (s.get(n / 2 - 1) + s.get(n / 2)) / 2;
    }

    private static double round(double v) {
        return Math.round(v * 1000) / 1000.0;
    }
}
