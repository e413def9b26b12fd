package io.warmstream.trainer.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.micronaut.runtime.server.EmbeddedServer;
import io.warmstream.embedded.EmbeddedKafka;
import io.warmstream.embedded.EmbeddedRegistry;
import io.warmstream.events.PreferenceLabel;
import io.warmstream.events.RewardModelCheckpoint;
import io.warmstream.events.TrainingRunEvent;
import io.warmstream.model.store.CheckpointStore;
import io.warmstream.model.weights.ModelDirectory;
import io.warmstream.trainer.TrainerApplication;
import io.warmstream.trainer.TrainerTestKit;
import io.warmstream.trainer.work.RunEvents;
import org.apache.kafka.clients.consumer.ConsumerRecord;

import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * Seconds per job and training pairs/s of the MiniLM reward model at 128 tokens through the real trainer: labels
 * produced to the embedded broker, the planner cuts jobs, the worker reads them back, fits the shared head (first
 * job only), fine-tunes, evaluates, writes and stores the model, and publishes the checkpoint. Prints JSON.
 *
 * <pre>
 * ./mvnw -B -q -o -pl trainer test-compile exec:java
 * ./mvnw -B -q -o -pl trainer test-compile exec:java -Dbench.pairs=64 -Dbench.jobs=3 -Dbench.device=gpu -Dbench.precision=fp16 -Dbench.batch=256
 * </pre>
 * System properties: bench.model (minilm-l6 | bge-small | tiny), bench.pairs (labels per job, 128; 2048 on a GPU),
 * bench.jobs (2), bench.batch (pairs per step, 16; 256 on a GPU), bench.seqLen (128), bench.trainableLayers (2; -1 = all), bench.epochs (1),
 * bench.device (auto | cpu | gpu[:N]), bench.precision (fp32 | fp16). Texts are long enough that every sequence
 * is truncated to exactly seqLen tokens. Each job trains on its own labels (newest-window selection, one trigger).
 */
public final class TrainerBenchmark {

    private static final String[] WORDS = ("the reward model reads a prompt and a response and says how good the "
            + "response is for people who asked the question while the policy tries to find answers that score well "
            + "so the reward has to stay robust when outputs drift away from the data it was trained on and every "
            + "member of the average starts from one shared pretrained encoder").split(" ");

    private TrainerBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        String model = prop("bench.model", "minilm-l6");
        // A GPU gets the batch the peers were measured with (STACK.md: 256 pairs) and jobs of 8 such steps.
        boolean gpu = io.warmstream.model.Compute.of(prop("bench.device", "auto"), "fp32").device().isGpu();
        int pairs = Integer.parseInt(prop("bench.pairs", gpu ? "2048" : "128"));
        int jobs = Integer.parseInt(prop("bench.jobs", "2"));
        int batch = Integer.parseInt(prop("bench.batch", gpu ? "256" : "16"));
        int seqLen = Integer.parseInt(prop("bench.seqLen", "128"));
        int layers = Integer.parseInt(prop("bench.trainableLayers", "2"));
        int epochs = Integer.parseInt(prop("bench.epochs", "1"));
        Map<String, Object> out = new LinkedHashMap<>();
        try (EmbeddedKafka kafka = EmbeddedKafka.start(null); EmbeddedRegistry registry = EmbeddedRegistry.start()) {
            TrainerTestKit kit = new TrainerTestKit("bench", kafka, registry);
            Map<String, Object> p = new HashMap<>();
            p.put("warm.trainer.worker.id", "bench-worker");
            p.put("warm.trainer.worker.device", prop("bench.device", "auto"));
            p.put("warm.trainer.worker.precision", prop("bench.precision", "fp32"));
            p.put("warm.trainer.worker.progress-every", 1);
            p.put("warm.trainer.worker.data-timeout", "60s");
            p.put("warm.trainer.provision-topics", false);
            p.put("micronaut.security.enabled", false); // benchmarks measure the pipeline, not authentication
            p.put("warm.holdout.salt", "bench");
            p.put("warm.trainer.planner.base-model", model);
            p.put("warm.trainer.planner.labels-per-job", pairs);
            p.put("warm.trainer.planner.min-labels", Integer.MAX_VALUE);
            p.put("warm.trainer.planner.data-selection", "NEWEST_WINDOW");
            p.put("warm.trainer.planner.window-triggers", 1);
            // Every job is measured: the labels arrive at once, so the planner must not hold triggers back.
            p.put("warm.trainer.planner.capacity.max-pending-per-worker", 0);
            p.put("warm.trainer.planner.grid.learning-rates", "4e-5");
            p.put("warm.trainer.planner.hyperparameters.batch-size", batch);
            p.put("warm.trainer.planner.hyperparameters.max-sequence-length", seqLen);
            p.put("warm.trainer.planner.hyperparameters.trainable-layers", layers);
            p.put("warm.trainer.planner.hyperparameters.epochs", epochs);
            p.put("warm.trainer.planner.hyperparameters.max-steps", "none");
            EmbeddedServer server = TrainerApplication.start(kit.properties(p));
            try {
                double loadBefore = java.lang.management.ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
                long cpuBefore = processCpuNanos();
                long started = System.nanoTime();
                kit.produceLabels(labels(pairs * jobs, 1));
                List<RewardModelCheckpoint> checkpoints = kit.readUntil(kit.checkpoints,
                                kit.kafka.serdes().valueDeserializer(RewardModelCheckpoint.class),
                                seen -> seen.size() >= jobs, Duration.ofMinutes(30))
                        .stream().map(ConsumerRecord::value).sorted(Comparator.comparing(RewardModelCheckpoint::getJobId))
                        .toList();
                double wall = (System.nanoTime() - started) / 1e9;
                double cpu = (processCpuNanos() - cpuBefore) / 1e9;
                double loadAfter = java.lang.management.ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
                List<TrainingRunEvent> events = kit.readAll(kit.runs,
                        kit.kafka.serdes().valueDeserializer(TrainingRunEvent.class)).stream().map(ConsumerRecord::value).toList();
                CheckpointStore store = CheckpointStore.open(kit.store.toString());
                List<Map<String, Object>> perJob = new ArrayList<>();
                double seconds = 0;
                double trainPairsPerSecond = 0;
                for (RewardModelCheckpoint cp : checkpoints) {
                    Map<String, Object> facts = ModelDirectory.readManifest(store.fetch(URI.create(cp.getUri()))).facts();
                    Map<String, Object> j = new LinkedHashMap<>();
                    j.put("jobId", cp.getJobId());
                    j.put("secondsPerJob", round(cp.getDurationMs() / 1e3));
                    j.put("trainSeconds", round(((Number) facts.get("seconds")).doubleValue()));
                    j.put("steps", facts.get("steps"));
                    j.put("trainPairs", cp.getTrainCount());
                    j.put("trainPairsPerSecond", round(((Number) facts.get("pairs_per_second")).doubleValue()));
                    j.put("validationCount", cp.getValidationCount());
                    j.put("validationAccuracy", round(cp.getValidationAccuracy()));
                    j.put("progressEvents", events.stream().filter(e -> e.getJobId().equals(cp.getJobId())
                            && e.getType().equals(RunEvents.PROGRESS)).count());
                    perJob.add(j);
                    seconds += cp.getDurationMs() / 1e3;
                    trainPairsPerSecond += ((Number) facts.get("pairs_per_second")).doubleValue();
                }
                RewardModelCheckpoint first = checkpoints.get(0);
                out.put("benchmark", "trainer-job");
                out.put("model", model);
                out.put("device", first.getDevice());
                out.put("precision", first.getPrecision());
                out.put("seqLen", seqLen);
                out.put("batchPairs", batch);
                out.put("trainableLayers", layers);
                out.put("epochs", epochs);
                out.put("pairsPerJob", pairs);
                out.put("jobs", perJob);
                out.put("meanSecondsPerJob", round(seconds / checkpoints.size()));
                out.put("meanTrainPairsPerSecond", round(trainPairsPerSecond / checkpoints.size()));
                out.put("firstJobFitsTheSharedHead", true);
                out.put("wallSecondsLabelsToLastCheckpoint", round(wall));
                // CPU time of this process (worker, planner, broker) is less sensitive to other load on the machine.
                out.put("processCpuSecondsPerJob", round(cpu / checkpoints.size()));
                out.put("cpus", Runtime.getRuntime().availableProcessors());
                out.put("loadAverage", List.of(round(loadBefore), round(loadAfter)));
                out.put("time", Instant.now().toString());
            } finally {
                server.getApplicationContext().close();
                kit.close();
            }
        }
        System.out.println(new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsString(out));
        System.exit(0);
    }

    private static List<PreferenceLabel> labels(int n, long seed) {
        Random r = new Random(seed);
        List<PreferenceLabel> out = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            out.add(PreferenceLabel.newBuilder().setId("bench-" + seed + "-" + i).setPrompt(text(r, 60))
                    .setChosen(text(r, 90)).setRejected(text(r, 90)).setLabeller("bench").setSource("bench")
                    .setConfidence(null).setCreatedAt(Instant.ofEpochMilli(1_700_000_000_000L + i)).setMetadata(null)
                    .build());
        }
        return out;
    }

    private static String text(Random r, int words) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < words; i++) {
            sb.append(i == 0 ? "" : " ").append(WORDS[r.nextInt(WORDS.length)]);
        }
        return sb.toString();
    }

    private static long processCpuNanos() {
        return ((com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory.getOperatingSystemMXBean())
                .getProcessCpuTime();
    }

    private static double round(double v) {
        return Math.round(v * 1000) / 1000.0;
    }

    private static String prop(String key, String fallback) {
        String v = System.getProperty(key);
        return v == null || v.isBlank() ? fallback : v.trim();
    }
}
