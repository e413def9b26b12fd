package io.warmstream.local.bench.trainer;

import ai.djl.engine.Engine;
import io.warmstream.local.bench.measure.BenchProperties;
import io.warmstream.local.bench.measure.ProcessCpu;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.warmstream.model.BaseModel;
import io.warmstream.model.BaseModels;
import io.warmstream.model.Compute;
import io.warmstream.model.FrozenPrefixCache;
import io.warmstream.model.PreferencePair;
import io.warmstream.model.RewardModel;
import io.warmstream.local.bench.model.BenchTexts;
import io.warmstream.local.bench.model.RandomArchitectures;
import io.warmstream.model.train.RewardModelTrainer;
import io.warmstream.model.train.TrainedModel;
import io.warmstream.model.train.TrainingConfig;
import io.warmstream.trainer.work.FeatureCacheSettings;
import io.warmstream.trainer.work.FeatureCaches;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Trainer pairs/s with and without the frozen-bottom feature cache, on the same labels, config and seed: MiniLM-L6
 * at 2 trainable layers, 16 pairs x 128 tokens per step, several epochs. The cache comes from the worker's own
 * {@link FeatureCaches}; the first epoch fills it, later epochs (and later jobs on the same labels) read it. Also the
 * largest |reward| difference between scoring the cache-trained model from the cache and through its whole
 * network. Prints one JSON object.
 *
 * <pre>
 * ./mvnw -B -q -o -pl trainer -am test-compile dependency:build-classpath -Dmdep.outputFile=/tmp/trainer.cp
 * java -cp trainer/target/test-classes:trainer/target/classes:$(cat /tmp/trainer.cp) \
 *     io.warmstream.local.bench.trainer.FeatureCacheBenchmark
 * </pre>
 * System properties: bench.model (minilm-l6), bench.pairs (64), bench.epochs (4), bench.batch (16), bench.seqLen
 * (128), bench.trainableLayers (2), bench.dropout (0.1), bench.rounds (2: uncached then cached, twice), bench.device
 * (auto | cpu | gpu[:N]). Pairs/s of the first epoch include creating the model (both runs). Every sequence is
 * truncated to exactly seqLen tokens (about 100 words per side).
 */
public final class FeatureCacheBenchmark {

    private static final String[] WORDS = ("the reward model reads a prompt and a response and says how good the "
            + "response is for people who asked the question while the policy tries to find answers that score well "
            + "so the reward has to stay robust when outputs drift away from the data it was trained on and every "
            + "member of the average starts from one shared pretrained encoder").split(" ");

    private FeatureCacheBenchmark() {
    }

    /** How far cached rewards are from the whole network's, beside the whole network's own batching noise. */
    /**
     * {@code topPathVsWhole}: the same model through the cached path's top-layer code on every layer (a cache of the
     * embeddings only), against the whole network: what the top path's arithmetic alone (length-sorted batches, the
     * last layer for [CLS] only) contributes, with no cached bottom in it.
     */
    private record Parity(double cachedVsWhole, double wholeBatchedVsOneByOne, double maxAbsReward,
                          double topPathVsWhole) {
        static final Parity NONE = new Parity(Double.NaN, Double.NaN, Double.NaN, Double.NaN);
    }

    /**
     * Step end times of one training, the process CPU it used, and (trained from a cache) how far the trained model's
     * rewards from the cache are from its whole network's.
     */
    private record Run(long start, List<Long> stepEnds, double cpuSeconds, Map<String, Object> facts,
                       Parity parity) {
        Map<String, Object> summary(int stepsPerEpoch, int batch) {
            Map<String, Object> m = new LinkedHashMap<>();
            long firstEpochEnd = stepEnds.get(stepsPerEpoch - 1);
            long last = stepEnds.get(stepEnds.size() - 1);
            int laterSteps = stepEnds.size() - stepsPerEpoch;
            m.put("pairsPerSecond", round(stepEnds.size() * batch / ((last - start) / 1e9)));
            m.put("firstEpochPairsPerSecond", round(stepsPerEpoch * batch / ((firstEpochEnd - start) / 1e9)));
            m.put("laterEpochsPairsPerSecond", round(laterSteps * batch / ((last - firstEpochEnd) / 1e9)));
            m.put("seconds", round((last - start) / 1e9));
            m.put("processCpuSeconds", round(cpuSeconds));
            m.put("finalLoss", round(((Number) facts.get("final_loss")).doubleValue()));
            return m;
        }

        double laterEpochsSeconds(int stepsPerEpoch) {
            return (stepEnds.get(stepEnds.size() - 1) - stepEnds.get(stepsPerEpoch - 1)) / 1e9;
        }

        double firstEpochSeconds(int stepsPerEpoch) {
            return (stepEnds.get(stepsPerEpoch - 1) - start) / 1e9;
        }
    }

    public static void main(String[] args) throws Exception {
        // stdout carries the JSON alone: logs (the test logback config writes to System.out) go to stderr.
        java.io.PrintStream json = System.out;
        System.setOut(System.err);
        String modelName = BenchProperties.get("bench.model", BaseModels.MINILM);
        int pairs = Integer.parseInt(BenchProperties.get("bench.pairs", "64"));
        int epochs = Integer.parseInt(BenchProperties.get("bench.epochs", "4"));
        int batch = Integer.parseInt(BenchProperties.get("bench.batch", "16"));
        int seqLen = Integer.parseInt(BenchProperties.get("bench.seqLen", "128"));
        int layers = Integer.parseInt(BenchProperties.get("bench.trainableLayers", "2"));
        double dropout = Double.parseDouble(BenchProperties.get("bench.dropout", "0.1"));
        int rounds = Integer.parseInt(BenchProperties.get("bench.rounds", "2"));
        Compute compute = Compute.of(BenchProperties.get("bench.device", "auto"), "fp32");
        BaseModel pretrained = RandomArchitectures.fromSystemProperties(modelName);
        List<PreferencePair> train = pairs(pairs, 1);
        List<PreferencePair> probe = pairs(32, 2);
        int stepsPerEpoch = (pairs + batch - 1) / batch;
        TrainingConfig cfg = TrainingConfig.builder().seed(7).learningRate(4e-5).dropout(dropout).batchSize(batch)
                .maxLength(seqLen).trainableTopLayers(layers).epochs(epochs).maxSteps(epochs * stepsPerEpoch)
                .compute(compute).build();
        RewardModelTrainer trainer = new RewardModelTrainer();
        // The service's LP-FT start: a head fitted on the frozen features (the classifier starts at zero otherwise,
        // and the rewards of a few steps would stay too close to 0 to compare). Fitted without a cache, so that the
        // cached run below starts with an empty one.
        BaseModel base = pretrained.withHead(trainer.fitHead(pretrained, train, cfg));
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("benchmark", "trainer-feature-cache");
        out.put("model", base.name());
        out.put("architecture", base.config().architectureId());
        out.put("randomWeights", RandomArchitectures.randomWeights());
        out.put("sharedHead", "fitted (LP-FT)");
        out.put("device", compute.deviceName());
        out.put("precision", "fp32");
        out.put("engine", Engine.getInstance().getEngineName() + " " + Engine.getInstance().getVersion());
        out.put("javaVersion", System.getProperty("java.version"));
        out.put("cores", Runtime.getRuntime().availableProcessors());
        out.put("loadAverageAtStart", BenchTexts.loadAverage());
        out.put("seqLen", seqLen);
        out.put("batchPairs", batch);
        out.put("trainableLayers", layers);
        out.put("dropout", dropout);
        out.put("trainPairs", pairs);
        out.put("epochs", epochs);
        out.put("stepsPerEpoch", stepsPerEpoch);

        // Warm-up (JIT, allocator, kernels), not measured.
        try (TrainedModel ignored = trainer.train(base, train.subList(0, batch),
                cfg.toBuilder().maxSteps(1).build(), null)) {
            out.put("warmupSteps", 1);
        }
        // Rounds alternate uncached and cached runs, each cached run on a new (empty) cache, so that load from
        // elsewhere on a shared machine falls on both alike.
        List<Run> uncached = new ArrayList<>();
        List<Run> cached = new ArrayList<>();
        Object lookups = null;
        for (int round = 0; round < rounds; round++) {
            uncached.add(train(trainer, base, train, cfg, null, probe));
            long openStart = System.nanoTime();
            try (FeatureCaches caches = new FeatureCaches(new FeatureCacheSettings(true, 1L << 30, null, 1L << 30),
                    compute)) {
                FeatureCaches.Choice choice = caches.forJob(base, base, false, cfg);
                if (!choice.used()) {
                    throw new IllegalStateException("no feature cache: " + choice.reason());
                }
                out.put("cacheOpenSeconds", round((System.nanoTime() - openStart) / 1e9));
                cached.add(train(trainer, base, train, cfg, choice.cache(), probe));
                lookups = caches.facts(choice).get("lookups");
            }
        }
        out.put("rounds", rounds);
        out.put("uncached", uncached.stream().map(r -> r.summary(stepsPerEpoch, batch)).toList());
        out.put("cached", cached.stream().map(r -> r.summary(stepsPerEpoch, batch)).toList());
        double laterUncached = uncached.stream().mapToDouble(r -> r.laterEpochsSeconds(stepsPerEpoch)).sum();
        double laterCached = cached.stream().mapToDouble(r -> r.laterEpochsSeconds(stepsPerEpoch)).sum();
        double firstUncached = uncached.stream().mapToDouble(r -> r.firstEpochSeconds(stepsPerEpoch)).sum();
        double firstCached = cached.stream().mapToDouble(r -> r.firstEpochSeconds(stepsPerEpoch)).sum();
        int laterPairs = rounds * (epochs - 1) * stepsPerEpoch * batch;
        int firstPairs = rounds * stepsPerEpoch * batch;
        out.put("uncachedPairsPerSecond", round((laterPairs + firstPairs) / (laterUncached + firstUncached)));
        // Whole jobs (first epoch filling the cache included), and the later epochs alone, for both sides.
        out.put("cachedPairsPerSecond", round((laterPairs + firstPairs) / (laterCached + firstCached)));
        out.put("uncachedLaterEpochsPairsPerSecond", round(laterPairs / laterUncached));
        out.put("cachedFirstEpochPairsPerSecond", round(firstPairs / firstCached));
        out.put("cachedLaterEpochsPairsPerSecond", round(laterPairs / laterCached));
        out.put("ratioLaterEpochs", round(laterUncached / laterCached));
        out.put("ratioFirstEpoch", round(firstUncached / firstCached));
        out.put("ratioProcessCpu", round(uncached.stream().mapToDouble(Run::cpuSeconds).sum()
                / cached.stream().mapToDouble(Run::cpuSeconds).sum()));
        out.put("maxAbsRewardDiffCachedVsWholeNetworkScoring",
                cached.stream().mapToDouble(r -> r.parity().cachedVsWhole()).max().orElseThrow());
        // The yardstick for that difference: the whole network against itself, the same sequences scored in one
        // padded batch and one at a time. Float32 sums in another order differ by about this much.
        out.put("maxAbsRewardDiffWholeNetworkBatchedVsOneByOne",
                cached.stream().mapToDouble(r -> r.parity().wholeBatchedVsOneByOne()).max().orElseThrow());
        out.put("maxAbsRewardOnProbe", cached.stream().mapToDouble(r -> r.parity().maxAbsReward()).max().orElseThrow());
        out.put("maxAbsRewardDiffTopPathOnEveryLayerVsWholeNetwork",
                cached.stream().mapToDouble(r -> r.parity().topPathVsWhole()).max().orElseThrow());
        out.put("probeSequences", 2 * probe.size());
        out.put("cacheLookupsLastRoundTrainingAndProbe", lookups);
        out.put("loadAverageAtEnd", BenchTexts.loadAverage());
        out.put("time", Instant.now().toString());
        json.println(new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsString(out));
        json.flush();
        System.exit(0);
    }

    private static Run train(RewardModelTrainer trainer, BaseModel base, List<PreferencePair> train,
                             TrainingConfig cfg, FrozenPrefixCache cache, List<PreferencePair> probe) {
        List<Long> ends = new ArrayList<>();
        long cpu = ProcessCpu.nanos();
        long start = System.nanoTime();
        try (TrainedModel m = trainer.train(base, train, cfg, p -> ends.add(System.nanoTime()), cache)) {
            double cpuSeconds = (ProcessCpu.nanos() - cpu) / 1e9;
            Parity parity = cache == null ? Parity.NONE : parity(m.model(), base, cache, probe, cfg);
            return new Run(start, ends, cpuSeconds, m.facts(), parity);
        }
    }

    /**
     * Max |reward from the cache - reward through the whole network| of {@code model} on the probe's sequences, and
     * max |whole network in one batch - whole network one sequence at a time|.
     */
    private static Parity parity(RewardModel model, BaseModel base, FrozenPrefixCache cache,
                                 List<PreferencePair> probe, TrainingConfig cfg) {
        List<String> prompts = new ArrayList<>();
        List<String> responses = new ArrayList<>();
        for (PreferencePair p : probe) {
            prompts.add(p.prompt());
            responses.add(p.chosen());
            prompts.add(p.prompt());
            responses.add(p.rejected());
        }
        float[] fromCache = cache.score(model, prompts, responses);
        float[] topPath;
        try (FrozenPrefixCache embeddingsOnly = FrozenPrefixCache.create(base, cfg.compute(), cfg.maxLength(), 0)) {
            topPath = embeddingsOnly.score(model, prompts, responses);
        }
        float[] whole;
        float[] oneByOne = new float[prompts.size()];
        try (RewardModel atLength = RewardModel.copyOf(model, cfg.compute(), cfg.maxLength())) {
            whole = atLength.score(prompts, responses);
            for (int i = 0; i < oneByOne.length; i++) {
                oneByOne[i] = atLength.score(List.of(prompts.get(i)), List.of(responses.get(i)))[0];
            }
        }
        double max = 0;
        double batching = 0;
        double magnitude = 0;
        double top = 0;
        for (int i = 0; i < whole.length; i++) {
            top = Math.max(top, Math.abs(topPath[i] - whole[i]));
            max = Math.max(max, Math.abs(fromCache[i] - whole[i]));
            batching = Math.max(batching, Math.abs(whole[i] - oneByOne[i]));
            magnitude = Math.max(magnitude, Math.abs(whole[i]));
        }
        return new Parity(max, batching, magnitude, top);
    }

    private static List<PreferencePair> pairs(int n, long seed) {
        return BenchTexts.pairs(WORDS, n, seed, 40, 100);
    }


    private static double round(double v) {
        return Math.round(v * 1000) / 1000.0;
    }

}
