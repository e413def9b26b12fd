package io.warmstream.local.bench.model;

import ai.djl.engine.Engine;
import io.warmstream.local.bench.measure.BenchProperties;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.warmstream.model.BaseModel;
import io.warmstream.model.BaseModels;
import io.warmstream.model.Compute;
import io.warmstream.model.PreferencePair;
import io.warmstream.model.RewardModel;
import io.warmstream.model.train.RewardModelTrainer;
import io.warmstream.model.train.TrainedModel;
import io.warmstream.model.train.TrainingConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Forward and training throughput of a reward model at a fixed sequence length, printed as JSON on stdout.
 * Defaults: MiniLM-L6 at 128 tokens, 16 pairs per batch on CPU and 256 on GPU, FP32, the device DJL picks.
 *
 * <pre>
 * ./warm bench --only model      (or this main alone on ./warm's classpath, with -Dbench.* properties, e.g.
 *                                 -Dbench.precision=fp16 -Dbench.batchPairs=256 -Dbench.trainableLayers=all,2)
 * </pre>
 * System properties: bench.model (minilm-l6 | bge-small | tiny | dir), bench.seqLen, bench.batchPairs,
 * bench.forwardBatches, bench.trainSteps, bench.warmupSteps, bench.device (auto | cpu | gpu[:N]),
 * bench.precision (fp32 | fp16), bench.trainableLayers (comma list; "all" or a number of top layers).
 * Every sequence is exactly seqLen tokens (texts are long enough to be truncated).
 */
public final class ModelBenchmark {

    private static final String[] WORDS = ("the reward model reads a prompt and a response and says how good the "
            + "response is for people who asked the question while the policy tries to find answers that score well "
            + "so the reward has to stay robust when outputs drift away from the data it was trained on").split(" ");

    private ModelBenchmark() {}

    public static void main(String[] args) throws Exception {
        Compute compute = Compute.of(BenchProperties.get("bench.device", "auto"), BenchProperties.get("bench.precision", "fp32"));
        boolean gpu = compute.device().isGpu();
        String modelName = BenchProperties.get("bench.model", BaseModels.MINILM);
        int seqLen = Integer.parseInt(BenchProperties.get("bench.seqLen", "128"));
        int batchPairs = Integer.parseInt(BenchProperties.get("bench.batchPairs", gpu ? "256" : "16"));
        int forwardBatches = Integer.parseInt(BenchProperties.get("bench.forwardBatches", gpu ? "20" : "3"));
        int trainSteps = Integer.parseInt(BenchProperties.get("bench.trainSteps", gpu ? "20" : "3"));
        int warmupSteps = Integer.parseInt(BenchProperties.get("bench.warmupSteps", gpu ? "3" : "1"));
        String[] layerSettings = BenchProperties.get("bench.trainableLayers", "all").split(",");

        BaseModel base = RandomArchitectures.fromSystemProperties(modelName);
        List<PreferencePair> pairs = pairs(batchPairs * Math.max(forwardBatches, 1), 1);
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("benchmark", "reward-model-throughput");
        out.put("model", base.name());
        out.put("architecture", base.config().architectureId());
        out.put("device", compute.deviceName());
        out.put("gpu_count", Engine.getInstance().getGpuCount());
        out.put("precision", compute.precision().name().toLowerCase());
        out.put("engine", Engine.getInstance().getEngineName() + " " + Engine.getInstance().getVersion());
        out.put("cpu_cores", Runtime.getRuntime().availableProcessors());
        out.put("load_average_at_start", BenchTexts.loadAverage()); // the machine may be shared: read figures with this
        out.put("seq_len", seqLen);
        out.put("batch_pairs", batchPairs);

        long createStart = System.nanoTime();
        try (RewardModel model = RewardModel.create(base, compute, seqLen)) {
            out.put("create_seconds", (System.nanoTime() - createStart) / 1e9); // weights parsed + moved to the device
            out.put("parameters", model.tensors().stream().mapToLong(t -> t.data().length).sum());
            out.put("forward", forward(model, pairs, batchPairs, forwardBatches));
        }
        List<Object> training = new ArrayList<>();
        for (String layers : layerSettings) {
            training.add(train(base, pairs, compute, seqLen, batchPairs, warmupSteps, trainSteps, layers.trim()));
        }
        out.put("train", training);
        out.put("load_average_at_end", BenchTexts.loadAverage());
        out.put("peak_rss_mb", peakRssMb());
        System.out.println(new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsString(out));
    }

    private static Map<String, Object> forward(RewardModel model, List<PreferencePair> pairs, int batchPairs, int batches) {
        List<PreferencePair> warm = pairs.subList(0, batchPairs);
        scoreBatch(model, warm); // warm-up: allocator, kernels
        long start = System.nanoTime();
        for (int b = 0; b < batches; b++) {
            scoreBatch(model, pairs.subList(b * batchPairs, (b + 1) * batchPairs));
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("pairs_per_second", batches * batchPairs / seconds);
        m.put("sequences_per_second", 2.0 * batches * batchPairs / seconds);
        m.put("seconds_per_batch", seconds / batches);
        m.put("batches", batches);
        return m;
    }

    /** A pair costs two sequences: chosen and rejected. */
    private static void scoreBatch(RewardModel model, List<PreferencePair> batch) {
        List<String> prompts = new ArrayList<>();
        List<String> responses = new ArrayList<>();
        for (PreferencePair p : batch) {
            prompts.add(p.prompt());
            responses.add(p.chosen());
        }
        for (PreferencePair p : batch) {
            prompts.add(p.prompt());
            responses.add(p.rejected());
        }
        model.score(prompts, responses);
    }

    private static Map<String, Object> train(BaseModel base, List<PreferencePair> pairs, Compute compute, int seqLen,
                                             int batchPairs, int warmupSteps, int steps, String layers) {
        int topLayers = layers.equals("all") ? -1 : Integer.parseInt(layers);
        TrainingConfig cfg = TrainingConfig.builder().seed(1).batchSize(batchPairs).maxLength(seqLen)
                .maxSteps(warmupSteps + steps).trainableTopLayers(topLayers).compute(compute).build();
        long[] measuredStart = {0};
        long[] end = {0};
        try (TrainedModel m = new RewardModelTrainer().train(base, pairs, cfg, p -> {
            if (p.step() == warmupSteps) {
                measuredStart[0] = System.nanoTime();
            }
            end[0] = System.nanoTime();
        })) {
            double seconds = (end[0] - measuredStart[0]) / 1e9;
            Map<String, Object> r = new LinkedHashMap<>();
            r.put("trainable_layers", layers);
            r.put("trainable_parameters", m.facts().get("trainable_parameters"));
            r.put("pairs_per_second", steps * batchPairs / seconds);
            r.put("seconds_per_step", seconds / steps);
            r.put("measured_steps", steps);
            r.put("warmup_steps", warmupSteps);
            return r;
        }
    }

    static List<PreferencePair> pairs(int n, long seed) {
        return BenchTexts.pairs(WORDS, n, seed, 60, 150);
    }

    private static long peakRssMb() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith("VmHWM:")) {
                    return Long.parseLong(line.replaceAll("[^0-9]", "")) / 1024;
                }
            }
        } catch (Exception e) {
            // not Linux: no figure
        }
        return -1;
    }

}
