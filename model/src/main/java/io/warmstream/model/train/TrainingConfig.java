package io.warmstream.model.train;

import io.warmstream.model.Compute;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Hyperparameters of one reward-model fine-tuning run. Build with {@link #builder()}; every field has a default.
 *
 * @param seed seeds data order, dropout and anything random: same seed + same data => same weights (on CPU)
 * @param learningRate peak AdamW learning rate (WARM draws members' from {1e-5, 4e-5, 1e-4})
 * @param weightDecay decoupled AdamW weight decay; not applied to biases and LayerNorm weights
 * @param epochs passes over the training pairs (ignored when {@code maxSteps > 0})
 * @param maxSteps if &gt; 0, exactly this many optimizer steps, cycling through the data
 * @param batchSize preference pairs per step (2x as many sequences)
 * @param maxLength tokens per (prompt, response) sequence, special tokens included
 * @param trainableTopLayers how many top encoder layers train (plus pooler and classifier); lower layers and
 *        embeddings stay frozen. -1 (or &ge; the layer count) trains everything including embeddings; 0 trains
 *        the head only
 * @param dropout hidden and attention dropout during training (WARM draws from {0.05, 0.1})
 * @param warmupRatio fraction of steps with linear learning-rate warm-up; linear decay to 0 afterwards
 * @param maxGradNorm clip the global gradient norm to this (&le; 0 disables)
 * @param rewardCenteringWeight weight of the auxiliary term mean((r_chosen + r_rejected)^2) that keeps rewards
 *        centred on 0 (0 disables)
 * @param adamBeta1 AdamW beta1
 * @param adamBeta2 AdamW beta2
 * @param adamEps AdamW epsilon
 * @param probeL2 L2 penalty of the linear probe in {@code fitHead}; 0 (the default): chosen by cross-validation on
 *        the pairs ({@link #PROBE_L2_FALLBACK} when they are too few)
 * @param compute device and precision
 */
public record TrainingConfig(
        long seed,
        double learningRate,
        double weightDecay,
        int epochs,
        int maxSteps,
        int batchSize,
        int maxLength,
        int trainableTopLayers,
        double dropout,
        double warmupRatio,
        double maxGradNorm,
        double rewardCenteringWeight,
        double adamBeta1,
        double adamBeta2,
        double adamEps,
        double probeL2,
        Compute compute) {

    public TrainingConfig {
        require(learningRate > 0 && Double.isFinite(learningRate), "learningRate must be > 0");
        require(weightDecay >= 0, "weightDecay must be >= 0");
        require(epochs >= 1, "epochs must be >= 1");
        require(maxSteps >= 0, "maxSteps must be >= 0");
        require(batchSize >= 1, "batchSize must be >= 1");
        require(maxLength >= 4, "maxLength must be >= 4");
        require(trainableTopLayers >= -1, "trainableTopLayers must be >= -1");
        require(dropout >= 0 && dropout < 1, "dropout must be in [0, 1)");
        require(warmupRatio >= 0 && warmupRatio < 1, "warmupRatio must be in [0, 1)");
        require(rewardCenteringWeight >= 0, "rewardCenteringWeight must be >= 0");
        require(adamBeta1 >= 0 && adamBeta1 < 1, "adamBeta1 must be in [0, 1)");
        require(adamBeta2 >= 0 && adamBeta2 < 1, "adamBeta2 must be in [0, 1)");
        require(adamEps > 0, "adamEps must be > 0");
        require(probeL2 >= 0 && Double.isFinite(probeL2), "probeL2 must be >= 0 (0: cross-validated)");
        require(compute != null, "compute must be set");
    }

    /** The probe's penalty when it is to be cross-validated but the pairs are too few to do it. */
    public static final double PROBE_L2_FALLBACK = 1e-3;

    /** True when the probe's penalty is chosen by cross-validation rather than set. */
    public boolean crossValidatesProbe() {
        return probeL2 == 0;
    }

    public static Builder builder() {
        return new Builder();
    }

    public Builder toBuilder() {
        Builder b = new Builder();
        b.seed = seed;
        b.learningRate = learningRate;
        b.weightDecay = weightDecay;
        b.epochs = epochs;
        b.maxSteps = maxSteps;
        b.batchSize = batchSize;
        b.maxLength = maxLength;
        b.trainableTopLayers = trainableTopLayers;
        b.dropout = dropout;
        b.warmupRatio = warmupRatio;
        b.maxGradNorm = maxGradNorm;
        b.rewardCenteringWeight = rewardCenteringWeight;
        b.adamBeta1 = adamBeta1;
        b.adamBeta2 = adamBeta2;
        b.adamEps = adamEps;
        b.probeL2 = probeL2;
        b.compute = compute;
        return b;
    }

    /** Optimizer steps for {@code pairs} training pairs. */
    public int totalSteps(int pairs) {
        return maxSteps > 0 ? maxSteps : epochs * ((pairs + batchSize - 1) / batchSize);
    }

    /** Linear warm-up to {@link #learningRate()}, then linear decay to 0 at {@code totalSteps}; step is 1-based. */
    public double learningRateAt(int step, int totalSteps) {
        int warmup = (int) Math.ceil(warmupRatio * totalSteps);
        if (step <= warmup) {
            return learningRate * step / warmup;
        }
        return learningRate * Math.max(0.0, (double) (totalSteps - step + 1) / (totalSteps - warmup));
    }

    /** The hyperparameters as JSON-friendly facts for {@code warmstream.json}. */
    public Map<String, Object> toFacts() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("seed", seed);
        m.put("learning_rate", learningRate);
        m.put("weight_decay", weightDecay);
        m.put("epochs", epochs);
        m.put("max_steps", maxSteps);
        m.put("batch_size", batchSize);
        m.put("max_length", maxLength);
        m.put("trainable_top_layers", trainableTopLayers);
        m.put("dropout", dropout);
        m.put("warmup_ratio", warmupRatio);
        m.put("max_grad_norm", maxGradNorm);
        m.put("reward_centering_weight", rewardCenteringWeight);
        m.put("adam_betas", java.util.List.of(adamBeta1, adamBeta2));
        m.put("adam_eps", adamEps);
        m.put("device", compute.deviceName());
        m.put("precision", compute.precision().name().toLowerCase(java.util.Locale.ROOT));
        return m;
    }

    private static void require(boolean ok, String message) {
        if (!ok) {
            throw new IllegalArgumentException(message);
        }
    }

    /** Mutable builder with the defaults. */
    public static final class Builder {
        private long seed = 0;
        private double learningRate = 4e-5;
        private double weightDecay = 0.01;
        private int epochs = 1;
        private int maxSteps = 0;
        private int batchSize = 16;
        private int maxLength = 128;
        private int trainableTopLayers = -1;
        private double dropout = 0.1;
        private double warmupRatio = 0.1;
        private double maxGradNorm = 1.0;
        private double rewardCenteringWeight = 0.0;
        private double adamBeta1 = 0.9;
        private double adamBeta2 = 0.999;
        private double adamEps = 1e-8;
        private double probeL2 = 0;
        private Compute compute;

        public Builder seed(long v) { seed = v; return this; }
        public Builder learningRate(double v) { learningRate = v; return this; }
        public Builder weightDecay(double v) { weightDecay = v; return this; }
        public Builder epochs(int v) { epochs = v; return this; }
        public Builder maxSteps(int v) { maxSteps = v; return this; }
        public Builder batchSize(int v) { batchSize = v; return this; }
        public Builder maxLength(int v) { maxLength = v; return this; }
        public Builder trainableTopLayers(int v) { trainableTopLayers = v; return this; }
        public Builder dropout(double v) { dropout = v; return this; }
        public Builder warmupRatio(double v) { warmupRatio = v; return this; }
        public Builder maxGradNorm(double v) { maxGradNorm = v; return this; }
        public Builder rewardCenteringWeight(double v) { rewardCenteringWeight = v; return this; }
        public Builder adamBetas(double b1, double b2) { adamBeta1 = b1; adamBeta2 = b2; return this; }
        public Builder adamEps(double v) { adamEps = v; return this; }
        public Builder probeL2(double v) { probeL2 = v; return this; }
        public Builder compute(Compute v) { compute = v; return this; }

        public TrainingConfig build() {
            return new TrainingConfig(seed, learningRate, weightDecay, epochs, maxSteps, batchSize, maxLength,
                    trainableTopLayers, dropout, warmupRatio, maxGradNorm, rewardCenteringWeight, adamBeta1, adamBeta2,
                    adamEps, probeL2, compute == null ? Compute.auto() : compute);
        }
    }
}
