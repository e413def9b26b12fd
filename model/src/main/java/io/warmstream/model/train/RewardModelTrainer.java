package io.warmstream.model.train;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.nn.Activation;
import ai.djl.nn.Parameter;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import io.warmstream.model.BaseModel;
import io.warmstream.model.FrozenPrefixCache;
import io.warmstream.model.PreferencePair;
import io.warmstream.model.RewardHead;
import io.warmstream.model.RewardModel;
import io.warmstream.model.text.PairTokenizer;
import io.warmstream.model.text.TokenizedBatch;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CancellationException;
import java.util.function.BooleanSupplier;

/**
 * Fine-tunes reward models on preference pairs with the Bradley-Terry loss -log sigmoid(r_chosen - r_rejected)
 * (plus an optional reward-centering term), AdamW, global-norm clipping, linear warm-up and decay, and frozen lower
 * layers. Also fits the shared head of LP-FT ({@link #fitHead}).
 *
 * <p>Determinism: the data order comes from {@code seed}; before each step the engine's generator (dropout) is
 * re-seeded from (seed, step), so a run does not depend on what else the JVM did before. On CPU, same seed and same
 * data give bit-identical weights.
 *
 * <p>Concurrency: DJL's PyTorch engine allows one gradient recording per JVM at a time, so concurrent trainings in
 * one JVM take turns step by step (they stay correct and deterministic, just not parallel).
 *
 * <p>Memory: every step's arrays live in an {@link NDScope} and a sub-manager closed at the end of the step; only
 * weights, gradients and AdamW moments persist.
 *
 * <p>Longer than most classes because the step, the schedule and the head fit share the determinism and one-recording-per-JVM rules above.
 */
public final class RewardModelTrainer {

    private static final Object ENGINE_STEP_LOCK = new Object();

    /** Trains a reward model from {@code base} on {@code train}; the caller closes the result. */
    public TrainedModel train(BaseModel base, List<PreferencePair> train, TrainingConfig cfg, TrainingListener listener) {
        return train(base, train, cfg, listener, null);
    }

    /**
     * As {@link #train(BaseModel, List, TrainingConfig, TrainingListener)}, with the frozen bottom's output taken
     * from {@code prefix} (null: the whole network runs): each step runs only the trainable top layers, forward and
     * backward. The cache must hold {@code base}'s bottom, exactly the layers {@code cfg} freezes, at
     * {@code cfg.maxLength()} tokens. The bottom then runs without dropout (see {@link FrozenPrefixCache}).
     */
    public TrainedModel train(BaseModel base, List<PreferencePair> train, TrainingConfig cfg, TrainingListener listener,
                              FrozenPrefixCache prefix) {
        if (train.isEmpty()) {
            throw new IllegalArgumentException("no training pairs");
        }
        TrainingListener l = listener == null ? TrainingListener.NONE : listener;
        int totalSteps = cfg.totalSteps(train.size());
        long started = System.nanoTime();
        List<Double> losses = new ArrayList<>();
        int skipped = 0;
        long pairsDone = 0;
        Map<String, Object> facts = new LinkedHashMap<>(base.facts());
        try (RewardModel model = RewardModel.create(base.withDropout(cfg.dropout()), cfg.compute(), cfg.maxLength());
                PairTokenizer tokenizer = new PairTokenizer(base.tokenizerFile(), cfg.maxLength(), false)) {
            Map<String, Parameter> trainable = TrainableParameters.select(model.network(), cfg.trainableTopLayers());
            checkPrefix(prefix, model, cfg);
            LossScaler scaler = new LossScaler(cfg.compute().precision() == io.warmstream.model.Precision.FP16);
            try (AdamW adamW = new AdamW(model.manager(), trainable, TrainableParameters.decayMask(trainable),
                    cfg.adamBeta1(), cfg.adamBeta2(), cfg.adamEps(), cfg.weightDecay())) {
                BatchOrder order = new BatchOrder(train.size(), cfg.batchSize(), cfg.seed());
                for (int step = 1; step <= totalSteps; step++) {
                    if (Thread.currentThread().isInterrupted()) {
                        throw new CancellationException("training interrupted at step " + step + " of " + totalSteps);
                    }
                    int[] indices = order.next();
                    Sequences batch = Sequences.of(train, indices);
                    double lr = cfg.learningRateAt(step, totalSteps);
                    StepResult r;
                    synchronized (ENGINE_STEP_LOCK) {
                        r = step(model, batch, tokenizer, prefix, cfg, step, trainable.values(), scaler, adamW, lr);
                    }
                    if (r.skipped()) {
                        skipped++;
                    }
                    losses.add(r.loss());
                    pairsDone += indices.length;
                    double seconds = (System.nanoTime() - started) / 1e9;
                    l.onStep(new TrainingProgress(step, totalSteps, r.loss(), pairsDone / seconds, lr, r.gradNorm(),
                            r.skipped()));
                }
            } finally {
                TrainableParameters.freezeAll(model.network());
            }
            double seconds = (System.nanoTime() - started) / 1e9;
            facts.put("training", cfg.toFacts());
            if (prefix != null) {
                facts.put("frozen_prefix_cache", Map.of("frozen_layers", prefix.frozenLayers(),
                        "bottom_dropout", false));
            }
            facts.put("train_pairs", train.size());
            facts.put("steps", totalSteps);
            facts.put("skipped_steps", skipped);
            facts.put("trainable_parameters", trainable.values().stream().mapToLong(p -> p.getArray().size()).sum());
            facts.put("seconds", seconds);
            facts.put("pairs_per_second", pairsDone / seconds);
            facts.put("final_loss", tailMean(losses, 10));
            // A fresh model: no gradients, no dropout overrides, nothing left of the optimizer.
            RewardModel trained = RewardModel.copyOf(model, cfg.compute());
            return new TrainedModel(trained, facts);
        }
    }

    private record StepResult(double loss, double gradNorm, boolean skipped) {}

    private static StepResult step(RewardModel model, Sequences batch, PairTokenizer tokenizer,
                                   FrozenPrefixCache prefix, TrainingConfig cfg, int step,
                                   java.util.Collection<Parameter> trainable, LossScaler scaler, AdamW adamW, double lr) {
        // Outside the gradient recording: the cache may have to compute new entries with its own model.
        TokenizedBatch tokens = prefix == null ? tokenizer.encodePairs(batch.firsts(), batch.seconds()) : null;
        Engine.getInstance().setRandomSeed(stepSeed(cfg.seed(), step));
        double loss;
        try (NDScope scope = new NDScope(); NDManager stepManager = model.manager().newSubManager()) {
            NDList cached = prefix == null ? null : prefix.hiddenStates(stepManager, batch.firsts(), batch.seconds());
            try (GradientCollector collector = Engine.getInstance().newGradientCollector()) {
                ParameterStore ps = new ParameterStore(stepManager, false);
                NDArray rewards = prefix == null
                        ? model.network().forward(ps, tokens.toNDList(stepManager), true).singletonOrThrow()
                        : model.network().rewardsFrom(ps, cached.get(0), cached.get(1), prefix.frozenLayers(), true);
                NDArray lossArray = bradleyTerry(rewards, batch.firsts().size() / 2, cfg.rewardCenteringWeight());
                collector.backward(scaler.scale() == 1.0 ? lossArray : lossArray.mul((float) scaler.scale()));
                loss = lossArray.getFloat();
            }
        }
        double norm = Gradients.globalNorm(trainable) / scaler.scale();
        boolean apply = scaler.update(Double.isFinite(norm));
        if (apply) {
            double clip = cfg.maxGradNorm() > 0 && norm > cfg.maxGradNorm() ? cfg.maxGradNorm() / (norm + 1e-6) : 1.0;
            adamW.step(lr, clip / scaler.scale());
        }
        Gradients.zero(trainable);
        return new StepResult(loss, apply ? norm : Double.NaN, !apply);
    }

    /**
     * Rewards [2B] (B chosen then B rejected) -> mean softplus(-(r_c - r_r)) + w * mean((r_c + r_r)^2).
     * softplus(-x) = -log sigmoid(x), computed stably.
     */
    static NDArray bradleyTerry(NDArray rewards, int pairs, double centeringWeight) {
        NDArray chosen = rewards.get(new NDIndex("0:" + pairs));
        NDArray rejected = rewards.get(new NDIndex(pairs + ":"));
        NDArray loss = Activation.softPlus(chosen.sub(rejected).neg()).mean();
        if (centeringWeight > 0) {
            loss = loss.add(chosen.add(rejected).square().mean().mul((float) centeringWeight));
        }
        return loss;
    }

    /**
     * LP of LP-FT: fits the classifier on the frozen features of {@code base} (pooler outputs, no dropout) by
     * L2-regularised logistic regression on pair differences. The bias centres the rewards of the fitting pairs on 0.
     * Save the head and give it to every member of one average with {@link BaseModel#withHead}.
     */
    public RewardHead fitHead(BaseModel base, List<PreferencePair> pairs, TrainingConfig cfg) {
        return fitHead(base, pairs, cfg, null);
    }

    /** {@link #fitHead(BaseModel, List, TrainingConfig)} with the features computed from a prefix cache of base. */
    public RewardHead fitHead(BaseModel base, List<PreferencePair> pairs, TrainingConfig cfg,
                              FrozenPrefixCache prefix) {
        return fitHead(base, pairs, cfg, prefix, () -> false);
    }

    /**
     * As {@link #fitHead(BaseModel, List, TrainingConfig, FrozenPrefixCache)}, stopping with a
     * {@link CancellationException} between feature batches once {@code cancelled} says so: a head on many labels
     * takes minutes on a CPU, and a worker that is stopping or losing its job should not wait for it.
     */
    public RewardHead fitHead(BaseModel base, List<PreferencePair> pairs, TrainingConfig cfg,
                              FrozenPrefixCache prefix, BooleanSupplier cancelled) {
        if (pairs.isEmpty()) {
            throw new IllegalArgumentException("no pairs to fit the head on");
        }
        List<String> prompts = pairs.stream().map(PreferencePair::prompt).toList();
        float[][] chosen;
        float[][] rejected;
        try (RewardModel model = RewardModel.create(base, cfg.compute(), cfg.maxLength())) {
            List<String> c = pairs.stream().map(PreferencePair::chosen).toList();
            List<String> r = pairs.stream().map(PreferencePair::rejected).toList();
            if (prefix == null) {
                chosen = model.features(prompts, c, cancelled);
                rejected = model.features(prompts, r, cancelled);
            } else {
                if (prefix.maxLength() != cfg.maxLength()) {
                    throw new IllegalArgumentException("the prefix cache holds " + prefix.maxLength()
                            + "-token sequences, the head is fitted at " + cfg.maxLength());
                }
                int h = model.config().hiddenSize();
                chosen = rows(prefix.features(model, prompts, c, cancelled), h);
                rejected = rows(prefix.features(model, prompts, r, cancelled), h);
            }
        }
        if (cancelled.getAsBoolean()) {
            throw new CancellationException("stopped before cross-validating the head");
        }
        // Unless the recipe sets a penalty (the paper checks fix theirs), cross-validation on these pairs chooses it.
        ProbeCrossValidation.Choice cv = !cfg.crossValidatesProbe() ? null : ProbeCrossValidation.choose(chosen,
                rejected, ProbeCrossValidation.DEFAULT_GRID, ProbeCrossValidation.DEFAULT_FOLDS);
        double l2 = cv != null ? cv.l2() : cfg.crossValidatesProbe() ? TrainingConfig.PROBE_L2_FALLBACK : cfg.probeL2();
        LinearProbe.Fit fit = LinearProbe.fit(chosen, rejected, l2);
        double meanReward = 0;
        for (int i = 0; i < chosen.length; i++) {
            meanReward += dot(fit.weight(), chosen[i]) + dot(fit.weight(), rejected[i]);
        }
        meanReward /= 2.0 * chosen.length;
        float[] w = new float[fit.weight().length];
        for (int i = 0; i < w.length; i++) {
            w[i] = (float) fit.weight()[i];
        }
        Map<String, Object> facts = new LinkedHashMap<>();
        facts.put("method", "linear-probe");
        facts.put("pairs", pairs.size());
        facts.put("l2", l2);
        facts.put("l2_source", cv != null ? "cross-validation"
                : cfg.crossValidatesProbe() ? "fallback (too few pairs to cross-validate)" : "configured");
        if (cv != null) {
            facts.put("cv_folds", cv.folds());
            facts.put("cv_accuracy", cv.accuracy());
            facts.put("cv_loss", cv.loss());
        }
        facts.put("max_length", cfg.maxLength());
        facts.put("probe_accuracy", fit.accuracy());
        facts.put("probe_loss", fit.loss());
        facts.put("newton_iterations", fit.iterations());
        return new RewardHead(base.lineage().id(), w, (float) -meanReward, facts);
    }

    private static float[][] rows(float[] flat, int width) {
        float[][] out = new float[flat.length / width][];
        for (int i = 0; i < out.length; i++) {
            out[i] = java.util.Arrays.copyOfRange(flat, i * width, (i + 1) * width);
        }
        return out;
    }

    private static double dot(double[] w, float[] f) {
        double s = 0;
        for (int i = 0; i < w.length; i++) {
            s += w[i] * f[i];
        }
        return s;
    }

    private static void checkPrefix(FrozenPrefixCache prefix, RewardModel model, TrainingConfig cfg) {
        if (prefix == null) {
            return;
        }
        int layers = model.config().numLayers();
        int frozen = cfg.trainableTopLayers() < 0 ? 0 : Math.max(0, layers - cfg.trainableTopLayers());
        if (cfg.trainableTopLayers() < 0 || prefix.frozenLayers() != frozen) {
            throw new IllegalArgumentException("the prefix cache holds " + prefix.frozenLayers()
                    + " frozen layers, this training freezes " + (cfg.trainableTopLayers() < 0 ? "none (embeddings "
                    + "train too)" : frozen + " layers"));
        }
        if (prefix.maxLength() != cfg.maxLength()) {
            throw new IllegalArgumentException("the prefix cache holds " + prefix.maxLength()
                    + "-token sequences, training uses " + cfg.maxLength());
        }
        if (!prefix.matches(model)) {
            throw new IllegalArgumentException("the prefix cache was computed from other bottom weights than the base's");
        }
    }

    /** A step's sequences: the chosen responses of its pairs, then the rejected ones. */
    private record Sequences(List<String> firsts, List<String> seconds) {
        static Sequences of(List<PreferencePair> data, int[] indices) {
            List<String> firsts = new ArrayList<>(2 * indices.length);
            List<String> seconds = new ArrayList<>(2 * indices.length);
            for (int i : indices) {
                firsts.add(data.get(i).prompt());
                seconds.add(data.get(i).chosen());
            }
            for (int i : indices) {
                firsts.add(data.get(i).prompt());
                seconds.add(data.get(i).rejected());
            }
            return new Sequences(firsts, seconds);
        }
    }

    /** splitmix64 of (seed, step), as the engine's non-negative int seed: independent dropout streams per step. */
    static int stepSeed(long seed, int step) {
        long z = seed + (long) step * 0x9E3779B97F4A7C15L;
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return (int) ((z ^ (z >>> 31)) >>> 33);
    }

    private static double tailMean(List<Double> values, int n) {
        return values.subList(Math.max(0, values.size() - n), values.size()).stream()
                .mapToDouble(Double::doubleValue).average().orElse(Double.NaN);
    }

    /** Shuffled pass after pass over the data, in batches; deterministic in the seed. */
    private static final class BatchOrder {
        private final int size;
        private final int batchSize;
        private final Random random;
        private final List<Integer> order = new ArrayList<>();
        private int position;

        BatchOrder(int size, int batchSize, long seed) {
            this.size = size;
            this.batchSize = batchSize;
            this.random = new Random(seed);
            reshuffle();
        }

        int[] next() {
            if (position >= size) {
                reshuffle();
            }
            int end = Math.min(size, position + batchSize);
            int[] out = new int[end - position];
            for (int i = 0; i < out.length; i++) {
                out[i] = order.get(position + i);
            }
            position = end;
            return out;
        }

        private void reshuffle() {
            order.clear();
            for (int i = 0; i < size; i++) {
                order.add(i);
            }
            java.util.Collections.shuffle(order, random);
            position = 0;
        }
    }
}
