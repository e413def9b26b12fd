package io.warmstream.eval.paper;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Everything one paper check depends on. The run is a pure function of these settings (and, on a GPU, of the
 * hardware's float rounding): start from a preset ({@link #cpu()}, {@link #gpu()}, {@link #tiny()}) and override.
 *
 * @param preset             name of the preset these settings started from
 * @param baseModel          base for every member: "minilm-l6", "bge-small", "tiny:SEED" or a model directory
 * @param members            M, the number of reward models per noise level (ENS and WARM go from 1 to M)
 * @param flipFractions      share of flipped training labels, one experiment each (the paper: 0 and 0.25)
 * @param trainPairs         training labels, the same pairs for every member and noise level
 * @param validationPairs    in-distribution held-out pairs
 * @param oodPairs           out-of-distribution held-out pairs (unseen topics, shifted policy)
 * @param selectionPairs     in-distribution labelled pairs, separate from the validation pairs, on which the best
 *                           single member is chosen (choosing and scoring it on the same pairs flatters it)
 * @param bestOfNTasks       prompts for best-of-N, each with {@code maxN} candidates
 * @param maxN               largest N of best-of-N (N goes 1, 2, 4, ... up to it; a power of two)
 * @param bestOfNSplit       "validation" (in-distribution policy) or "ood" (shifted policy) prompts for best-of-N
 * @param steps              optimizer steps per member
 * @param batchSize          pairs per step
 * @param maxLength          tokens per (prompt, response) sequence, in training and in scoring
 * @param trainableTopLayers top encoder layers fine-tuned (-1 = all, embeddings included)
 * @param learningRates      the grid members draw their learning rate from
 * @param dropouts           the grid members draw their dropout from
 * @param warmupRatio        linear warm-up share of the steps
 * @param interpolationSteps the interpolation curve has this many intervals (10: lambda = 0, 0.1, ..., 1)
 * @param interpolationPairs validation pairs the interpolation curve is measured on (the first ones)
 * @param probeL2            L2 penalty of the shared LP head's logistic regression
 * @param costSequences      sequences scored to measure the cost of ENS against WARM
 * @param rlKl               KL (nats, from the base policy) at which the RL stand-in's policies are compared; must be
 *                           below log(maxN), the largest KL a pool of maxN candidates allows
 * @param subsetDraws        M-scaling: distinct random subsets of each size m = 2..M-1 averaged and scored
 * @param diversity          "recipes" (every member starts at the LP-FT initialisation) or "baklava" (member i starts
 *                           from checkpoint i of one shared fine-tuning run; see {@code Baklava})
 * @param shiftedBestOfNTasks best-of-N (and RL stand-in) prompts drawn from unseen topics and the shifted policy (the
 *                           OOD split), besides the in-distribution ones; 0: none
 * @param shiftLevels        policy shifts (in [0, 1]) of the shift sweep, each on seen and on unseen topics
 * @param shiftPairs         pairs per shift set (gold margins matched to the seen-topic, unshifted set); 0: no sweep
 * @param labellerTemperature noise of the simulated labeller (Bradley-Terry temperature in gold-reward units)
 * @param seed               world seed and root of every member seed
 * @param seeds              training seeds: the whole experiment (members, averages, measures) is repeated with
 *                           this many sets of member seeds on the same data, and the claims' standard errors cover
 *                           training runs as well as test items; each seed costs one more full run
 * @param device             "auto", "cpu", "gpu" or "gpu:N"
 * @param precision          "fp32" or "fp16"
 * @param outDir             where the report goes
 * @param keepModels         keep the members' and averages' model directories under {@code outDir/models}
 */
public record EvalSettings(String preset, String baseModel, int members, List<Double> flipFractions, int trainPairs,
                           int validationPairs, int oodPairs, int selectionPairs, int bestOfNTasks, int maxN,
                           String bestOfNSplit,
                           int steps, int batchSize, int maxLength, int trainableTopLayers, List<Double> learningRates,
                           List<Double> dropouts, double warmupRatio, int interpolationSteps, int interpolationPairs,
                           double probeL2, int costSequences, double rlKl, int subsetDraws, String diversity,
                           int shiftedBestOfNTasks,
                           List<Double> shiftLevels, int shiftPairs,
                           double labellerTemperature, long seed, int seeds, String device, String precision,
                           Path outDir,
                           boolean keepModels) {

    public EvalSettings {
        require(members >= 1, "members must be >= 1");
        require(flipFractions != null && !flipFractions.isEmpty(), "at least one flip fraction");
        flipFractions = List.copyOf(flipFractions);
        for (double f : flipFractions) {
            require(f >= 0 && f < 0.5, "flip fractions must be in [0, 0.5)");
        }
        require(trainPairs >= 2 && validationPairs >= 2 && oodPairs >= 2, "need at least 2 pairs per split");
        require(selectionPairs >= 2, "selectionPairs must be >= 2");
        require(seeds >= 1, "seeds must be >= 1");
        require(bestOfNTasks >= 1, "bestOfNTasks must be >= 1");
        require(maxN >= 1 && Integer.bitCount(maxN) == 1, "maxN must be a power of two");
        require("validation".equals(bestOfNSplit) || "ood".equals(bestOfNSplit), "bestOfNSplit: validation or ood");
        require(steps >= 1 && batchSize >= 1, "steps and batchSize must be >= 1");
        require(maxLength >= 8, "maxLength must be >= 8");
        require(trainableTopLayers >= -1, "trainableTopLayers must be >= -1");
        require(learningRates != null && !learningRates.isEmpty(), "learning-rate grid must not be empty");
        require(dropouts != null && !dropouts.isEmpty(), "dropout grid must not be empty");
        learningRates = List.copyOf(learningRates);
        dropouts = List.copyOf(dropouts);
        require(interpolationSteps >= 1, "interpolationSteps must be >= 1");
        require(interpolationPairs >= 1, "interpolationPairs must be >= 1");
        require(probeL2 > 0, "probeL2 must be > 0");
        require(costSequences >= 1, "costSequences must be >= 1");
        require(subsetDraws >= 0, "subsetDraws must be >= 0");
        require(shiftedBestOfNTasks >= 0, "shiftedBestOfNTasks must be >= 0");
        require("recipes".equals(diversity) || "baklava".equals(diversity), "diversity: recipes or baklava");
        require(shiftLevels != null && shiftLevels.stream().allMatch(x -> x >= 0 && x <= 1),
                "shiftLevels must be in [0, 1]");
        shiftLevels = List.copyOf(shiftLevels);
        require(shiftPairs >= 0, "shiftPairs must be >= 0");
        require(rlKl > 0 && rlKl < Math.log(maxN), "rlKl must be in (0, log(maxN))");
        require(labellerTemperature >= 0, "labellerTemperature must be >= 0");
        require(outDir != null, "outDir must be set");
    }

    /**
     * The 2-core CPU preset: the real pretrained MiniLM-L6 with the top 2 layers fine-tuned on sequences of up to 192
     * tokens (at 96, 52% of the in-distribution pairs and 95% of the OOD pairs were cut, the post's last fact, the
     * outcome, first; at 192, 0.3% of the OOD pairs and none of the others: the world's pairs are 97-124 tokens long at
     * the median, 139-172 at the 99th percentile; sequences are scored at their real length, so the cost rises by
     * their real length, ~15%, not by the budget);
     * 256 shared training pairs seen 3.5 times (56 steps of 16); 320 held-out pairs per split; best-of-N up to 64 on
     * 24 prompts (12 more from the shifted policy). Best-of-N and RL-stand-in errors are over prompts, so prompts buy
     * precision and candidates mostly buy range: 16 prompts x 256 candidates (with 2 subset draws per size and 10
     * interpolation points) took 29 minutes, 63% of it scoring candidates and subsets, against a 20-minute budget.
     * Learning rates: members should reach similar training losses and differ by seed, data order and dropout, not
     * by how far they moved (issue #17): at {2.5e-5, 1e-4, 2.5e-4} their final losses spread from 0.21 to 0.63,
     * ordered by rate; the grid is now a factor of 2 wide around 1.4e-4 (the paper's grid, 10x wide, is for 10k
     * steps; these members take 56). The LP head's L2 (0.03) keeps the
     * shared head from fitting the flipped labels on frozen features: with 384 features and 256 pairs the probe can
     * nearly interpolate (at L2 0.001 it agreed with 83% of the flipped labels, at 0.03 with 57%, the floor).
     * The embeddings and bottom 4 layers are frozen, so they are identical in every member, average and
     * interpolation: their output is computed once per sequence ({@code FrozenPrefixCache}) and training and scoring
     * run only the top 2 layers, the last one for [CLS] alone (about 5x less scoring work, ~2x less per training
     * step). The bottom then trains without dropout (frozen feature extractor); dropout stays in the trainable top.
     */
    public static EvalSettings cpu() {
        return new EvalSettings("cpu", "minilm-l6", 6, List.of(0.0, 0.25), 256, 320, 320, 320, 24, 64, "validation",
                56, 16, 192, 2, List.of(1e-4, 1.4e-4, 2e-4), List.of(0.05, 0.1), 0.1, 7, 160, 0.03, 160, 2.0, 1,
                "recipes", 12, List.of(0.0, 0.5, 1.0), 96, 0.15, 7L, 1,
                "auto", "fp32", Path.of("warm-eval"), false);
    }

    /**
     * Full-size training for a GPU: every layer fine-tuned at up to 192 tokens (fewer than 1% of pairs cut), 8192
     * training pairs seen ~16 times (2000 steps of 64, about the paper's number of epochs), the paper's learning-rate
     * grid, 3 training seeds, 2000 held-out pairs per split and 64 best-of-256 prompts. The run prints its projected
     * time on the device it finds before it starts ({@code Projection}).
     */
    public static EvalSettings gpu() {
        return new EvalSettings("gpu", "minilm-l6", 6, List.of(0.0, 0.25), 8192, 2000, 2000, 2000, 64, 256, "validation",
                2000, 64, 192, -1, List.of(1e-5, 4e-5, 1e-4), List.of(0.05, 0.1), 0.1, 10, 2000, 0.01, 4096, 2.0, 4,
                "recipes", 32, List.of(0.0, 0.25, 0.5, 0.75, 1.0), 1000, 0.15, 7L, 3,
                "auto", "fp32", Path.of("warm-eval"), false);
    }

    /**
     * Seconds on a CPU: a random tiny encoder (2 layers), for tests of the harness (its numbers mean nothing). Its
     * top layer trains, as in the CPU preset, so the frozen-bottom cache is exercised.
     */
    public static EvalSettings tiny() {
        return new EvalSettings("tiny", "tiny:3", 3, List.of(0.0, 0.25), 32, 16, 16, 16, 2, 8, "validation", 4, 8, 48, 1,
                List.of(1e-4, 1e-3), List.of(0.05, 0.1), 0.1, 2, 16, 1e-3, 8, 1.0, 1, "recipes", 2, List.of(0.0, 1.0), 8,
                0.15, 7L, 1, "cpu", "fp32",
                Path.of("warm-eval"), false);
    }

    public static EvalSettings preset(String name) {
        return switch (name.toLowerCase(Locale.ROOT)) {
            case "cpu" -> cpu();
            case "gpu" -> gpu();
            case "tiny" -> tiny();
            default -> throw new IllegalArgumentException("unknown preset '" + name + "' (cpu, gpu or tiny)");
        };
    }

    /** N = 1, 2, 4, ..., maxN. */
    public List<Integer> bestOfNs() {
        List<Integer> out = new java.util.ArrayList<>();
        for (int n = 1; n <= maxN; n *= 2) {
            out.add(n);
        }
        return out;
    }

    public EvalSettings withOutDir(Path dir) {
        Map<String, Object> m = toMap();
        m.put("outDir", dir);
        return fromMap(m);
    }

    public EvalSettings withSeed(long value) {
        Map<String, Object> m = toMap();
        m.put("seed", value);
        return fromMap(m);
    }

    /** Overrides one setting by its command-line name (e.g. "steps", "members", "learning-rates"). */
    public EvalSettings with(String name, String value) {
        Map<String, Object> m = toMap();
        String key = camel(name);
        if (!m.containsKey(key) || key.equals("preset")) {
            throw new IllegalArgumentException("unknown setting --" + name);
        }
        try {
            Object current = m.get(key);
            Object parsed;
            if (current instanceof List<?>) {
                parsed = java.util.Arrays.stream(value.split(",")).map(String::trim).map(Double::parseDouble).toList();
            } else if (current instanceof Integer) {
                parsed = Integer.parseInt(value);
            } else if (current instanceof Long) {
                parsed = Long.parseLong(value);
            } else if (current instanceof Double) {
                parsed = Double.parseDouble(value);
            } else if (current instanceof Boolean) {
                parsed = Boolean.parseBoolean(value);
            } else if (key.equals("outDir")) {
                parsed = Path.of(value);
            } else {
                parsed = value;
            }
            m.put(key, parsed);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("--" + name + ": not a number: " + value);
        }
        return fromMap(m);
    }

    /** Every setting by name, for the report's reproduction section. */
    public Map<String, Object> toMap() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("preset", preset);
        m.put("baseModel", baseModel);
        m.put("members", members);
        m.put("flipFractions", flipFractions);
        m.put("trainPairs", trainPairs);
        m.put("validationPairs", validationPairs);
        m.put("oodPairs", oodPairs);
        m.put("selectionPairs", selectionPairs);
        m.put("bestOfNTasks", bestOfNTasks);
        m.put("maxN", maxN);
        m.put("bestOfNSplit", bestOfNSplit);
        m.put("steps", steps);
        m.put("batchSize", batchSize);
        m.put("maxLength", maxLength);
        m.put("trainableTopLayers", trainableTopLayers);
        m.put("learningRates", learningRates);
        m.put("dropouts", dropouts);
        m.put("warmupRatio", warmupRatio);
        m.put("interpolationSteps", interpolationSteps);
        m.put("interpolationPairs", interpolationPairs);
        m.put("probeL2", probeL2);
        m.put("costSequences", costSequences);
        m.put("rlKl", rlKl);
        m.put("subsetDraws", subsetDraws);
        m.put("diversity", diversity);
        m.put("shiftedBestOfNTasks", shiftedBestOfNTasks);
        m.put("shiftLevels", shiftLevels);
        m.put("shiftPairs", shiftPairs);
        m.put("labellerTemperature", labellerTemperature);
        m.put("seed", seed);
        m.put("seeds", seeds);
        m.put("device", device);
        m.put("precision", precision);
        m.put("outDir", outDir);
        m.put("keepModels", keepModels);
        return m;
    }

    @SuppressWarnings("unchecked")
    private static EvalSettings fromMap(Map<String, Object> m) {
        return new EvalSettings((String) m.get("preset"), (String) m.get("baseModel"), (Integer) m.get("members"),
                (List<Double>) m.get("flipFractions"), (Integer) m.get("trainPairs"),
                (Integer) m.get("validationPairs"), (Integer) m.get("oodPairs"), (Integer) m.get("selectionPairs"),
                (Integer) m.get("bestOfNTasks"),
                (Integer) m.get("maxN"), (String) m.get("bestOfNSplit"), (Integer) m.get("steps"),
                (Integer) m.get("batchSize"), (Integer) m.get("maxLength"), (Integer) m.get("trainableTopLayers"),
                (List<Double>) m.get("learningRates"), (List<Double>) m.get("dropouts"),
                (Double) m.get("warmupRatio"), (Integer) m.get("interpolationSteps"),
                (Integer) m.get("interpolationPairs"), (Double) m.get("probeL2"),
                (Integer) m.get("costSequences"), (Double) m.get("rlKl"), (Integer) m.get("subsetDraws"), (String) m.get("diversity"),
                (Integer) m.get("shiftedBestOfNTasks"),
                (List<Double>) m.get("shiftLevels"), (Integer) m.get("shiftPairs"), (Double) m.get("labellerTemperature"), (Long) m.get("seed"),
                (Integer) m.get("seeds"), (String) m.get("device"), (String) m.get("precision"), (Path) m.get("outDir"),
                (Boolean) m.get("keepModels"));
    }

    /** "learning-rates" -> "learningRates". */
    static String camel(String option) {
        StringBuilder b = new StringBuilder();
        boolean up = false;
        for (char c : option.toCharArray()) {
            if (c == '-' || c == '_') {
                up = true;
            } else {
                b.append(up ? Character.toUpperCase(c) : c);
                up = false;
            }
        }
        return b.toString();
    }

    private static void require(boolean ok, String message) {
        if (!ok) {
            throw new IllegalArgumentException(message);
        }
    }
}
