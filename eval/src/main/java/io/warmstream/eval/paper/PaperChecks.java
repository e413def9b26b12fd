package io.warmstream.eval.paper;

import io.warmstream.model.store.DirectoryTree;
import io.warmstream.eval.report.PaperResults;

import io.warmstream.eval.report.PaperResults.Cost;
import io.warmstream.eval.report.PaperResults.NoiseResult;
import io.warmstream.eval.report.ReportWriter;
import io.warmstream.model.BaseModel;
import io.warmstream.model.BaseModels;
import io.warmstream.model.Compute;
import io.warmstream.model.FrozenPrefixCache;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * {@code warm eval}: checks the WARM paper's claims end to end on the preference world. For each label-noise level
 * it fine-tunes M reward models from one pretrained encoder with a shared LP head and paper-style diversity, then
 * compares each member, ENS (mean of predicted rewards) and WARM (weight average) for M = 1..M: memorisation of
 * flipped labels, training, validation and OOD accuracy, best-of-N judged by the gold reward, the interpolation
 * curve between two members, and the inference cost of ENS against WARM. Writes report.md, report.json and PNG
 * plots into the output folder.
 */
public final class PaperChecks {

    public static final String USAGE = """
            Usage: warm eval [--preset cpu|gpu|tiny] [--out DIR] [--seed N] [--SETTING VALUE ...]
              --preset NAME   cpu: pretrained MiniLM, top 2 layers, 96 tokens, sized for 2 cores (default)
                              gpu: every layer, 128 tokens, 8192 pairs, 2000 steps of 64 (same command, device auto)
                              tiny: a random tiny encoder, seconds; for tests (numbers mean nothing)
              --out DIR       report folder (default warm-eval)
              --seed N        world seed and root of every member seed (default 7)
              --seeds N       training seeds: repeat the training N times on the same data (new member seeds and
                              grid order) so the claims' standard errors cover training runs too; each seed costs a
                              whole run (default 1 for cpu and tiny, 3 for gpu)
              --keep-models true   keep the members' and averages' model directories under DIR/models
              Any setting of the report's "settings" table can be overridden the same way, e.g.
              --members 4 --steps 120 --learning-rates 1e-5,4e-5,1e-4 --flip-fractions 0,0.25 --device cpu
            """;

    private PaperChecks() {
    }

    public static void main(String[] args) {
        EvalSettings settings;
        try {
            settings = parse(args);
        } catch (IllegalArgumentException e) {
            System.err.println("error: " + e.getMessage());
            System.err.print(USAGE);
            System.exit(2);
            return;
        }
        if (settings == null) {
            System.out.print(USAGE);
            return;
        }
        PaperResults results = run(settings, System.out);
        System.out.println("report: " + settings.outDir().resolve(ReportWriter.MARKDOWN).toAbsolutePath());
        results.claims().forEach(c -> System.out.println(c.summaryLine()));
    }

    /** Settings from command-line arguments (see {@link #USAGE}); null for --help; IllegalArgumentException if bad. */
    public static EvalSettings parse(String[] args) {
        String preset = "cpu";
        for (int i = 0; i < args.length; i++) {
            if (args[i].equals("--help") || args[i].equals("-h")) {
                return null;
            }
            if (args[i].equals("--preset") && i + 1 < args.length) {
                preset = args[i + 1];
            }
        }
        EvalSettings s = EvalSettings.preset(preset);
        for (int i = 0; i < args.length; i++) {
            String option = args[i];
            if (!option.startsWith("--")) {
                throw new IllegalArgumentException("unexpected argument " + option);
            }
            if (i + 1 >= args.length) {
                throw new IllegalArgumentException("missing value for " + option);
            }
            String value = args[++i];
            switch (option) {
                case "--preset" -> { }
                case "--out" -> s = s.withOutDir(Path.of(value));
                default -> s = s.with(option.substring(2), value);
            }
        }
        return s;
    }

    /**
     * A warning when the gpu preset found no GPU: its projection takes minutes to measure on a CPU and then reads
     * hundreds of hours, so the user hears it first (the stream experiment's gpu preset says the same).
     */
    public static Optional<String> deviceAdvice(String preset, Compute compute) {
        if ("gpu".equals(preset) && !compute.device().isGpu()) {
            return Optional.of("the gpu preset found no GPU (DJL reports none) and runs on the CPU, far "
                    + "slower; --preset cpu is the one sized for a few CPU cores");
        }
        return Optional.empty();
    }

    /** Runs the whole check, prints progress to {@code progress}, writes the report; returns every number. */
    public static PaperResults run(EvalSettings s, PrintStream progress) {
        String loadAtStart = loadAverage();
        Compute compute = Compute.of(s.device(), s.precision());
        BaseModel base = BaseModels.byName(s.baseModel());
        EvalData data = EvalData.build(s);
        Progress p = new Progress(progress, plannedSteps(s), plannedSequences(s, data), 2 * s.batchSize());
        p.phase(String.format(Locale.ROOT, "warm eval, preset %s: %s on %s, %d members x %d noise levels, "
                        + "%d steps of %d pairs, %d tokens; output %s", s.preset(), base.name(), compute,
                s.members(), s.flipFractions().size(), s.steps(), s.batchSize(), s.maxLength(),
                s.outDir().toAbsolutePath()));
        deviceAdvice(s.preset(), compute).ifPresent(p::phase);
        Path models = s.outDir().resolve("models");
        List<NoiseResult> noise = new ArrayList<>();
        List<List<NoiseExperiment.Raw>> runs = new ArrayList<>();
        Cost cost = null;
        Map<String, Object> cacheFacts = null;
        Map<String, Object> projection = null;
        int frozen = frozenLayers(s, base);
        try (FrozenPrefixCache prefix = frozen < 0 ? null
                : FrozenPrefixCache.create(base, compute, s.maxLength(), frozen)) {
            Files.createDirectories(s.outDir());
            if (prefix != null) {
                p.phase("the embeddings and bottom " + frozen + " layers are frozen and the same in every model: "
                        + "their output is computed once per sequence and shared by training and scoring");
            }
            NoiseExperiment experiment = new NoiseExperiment(s, data, base, compute, p, prefix);
            projection = Projection.measure(s, data, base, compute, prefix, experiment.scorer(), s.outDir(),
                    plannedSteps(s), plannedSequences(s, data));
            p.phase(Projection.line(projection));
            for (int k = 0; k < s.seeds(); k++) {
                List<MemberRecipe> seedRecipes = MemberRecipe.draw(s, k);
                List<NoiseExperiment.Raw> perLevel = new ArrayList<>();
                for (int i = 0; i < s.flipFractions().size(); i++) {
                    double flip = s.flipFractions().get(i);
                    Path dir = models.resolve(String.format(Locale.ROOT, "seed-%d/noise-%02d", k + 1,
                            Math.round(flip * 100)));
                    String tag = s.seeds() == 1 ? "" : String.format(Locale.ROOT, "training seed %d/%d, ", k + 1,
                            s.seeds());
                    NoiseExperiment.Raw raw = experiment.run(flip, seedRecipes, dir, k == 0 && i == 0, tag);
                    perLevel.add(raw);
                    if (k == 0) {
                        // The detailed tables and plots show the first training seed; the claims pool every seed.
                        noise.add(NoiseAnalysis.analyse(s, data, raw, seedRecipes));
                    }
                    if (k == 0 && i == s.flipFractions().size() - 1) {
                        p.phase("cost of ENS vs WARM: " + s.costSequences() + " sequences, " + s.members()
                                + " members");
                        cost = CostMeasure.measure(new ModelScorer(compute, s.maxLength(), p), raw.memberDirs(),
                                raw.warmDir(), data.validation(), s.costSequences());
                    }
                    if (!s.keepModels()) {
                        DirectoryTree.delete(dir);
                    }
                }
                runs.add(perLevel);
            }
            if (prefix != null) {
                int[] counts = experiment.scorer().modelsFromCacheAndFull();
                cacheFacts = new LinkedHashMap<>();
                cacheFacts.put("frozenLayers", frozen);
                cacheFacts.put("sequences", prefix.size());
                cacheFacts.put("megabytes", prefix.bytes() / 1e6);
                cacheFacts.put("modelScoringsFromCache", counts[0]);
                cacheFacts.put("modelScoringsWholeNetwork", counts[1]);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            if (!s.keepModels()) {
                DirectoryTree.delete(models);
            }
        }
        Map<String, Object> env = new LinkedHashMap<>();
        env.put("finished", Instant.now().toString());
        env.put("device", compute.toString());
        env.put("cores", Runtime.getRuntime().availableProcessors());
        env.put("java", System.getProperty("java.version"));
        env.put("baseModel", base.name());
        env.put("architecture", base.config().architectureId());
        env.put("wallSeconds", p.elapsedSeconds());
        env.put("processCpuSeconds", p.cpuSeconds());
        env.put("time", p.breakdown());
        if (cacheFacts != null) {
            env.put("frozenPrefixCache", cacheFacts);
        }
        env.put("projection", projection);
        env.put("loadAverageAtStart", loadAtStart);
        env.put("loadAverageAtEnd", loadAverage());
        env.put("command", "warm eval " + String.join(" ", commandLine(s)));
        Map<String, Object> settings = s.toMap();
        settings.put("outDir", s.outDir().toString()); // as typed, not as a file: URI
        PaperResults results = new PaperResults(settings, env, noise, cost, Claims.check(s, data, runs),
                Truncation.measure(base, s.maxLength(), data), RlStandIn.analyse(s, data, runs));
        ReportWriter.write(results, s.outDir());
        p.phase("done in " + Progress.duration(p.elapsedSeconds()) + " (" + Math.round(p.cpuSeconds())
                + " CPU seconds)");
        return results;
    }

    /**
     * Layers below the trainable top, when they are frozen in every model and worth caching (-1: every layer
     * trains, nothing to cache).
     */
    static int frozenLayers(EvalSettings s, BaseModel base) {
        int layers = base.config().numLayers();
        int top = s.trainableTopLayers();
        return top < 0 || top >= layers ? -1 : layers - top;
    }

    static long plannedSteps(EvalSettings s) {
        return (long) s.seeds() * s.flipFractions().size() * s.members() * s.steps();
    }

    static long plannedSequences(EvalSettings s, EvalData data) {
        long pairs = data.validation().size() + data.ood().size() + data.flipSubset().length;
        long perLevel = (1L + 2L * s.members()) * 2 * pairs + (s.members() + 1L) * data.pool().sequences()
                + s.members() * 2L * data.selection().size()
                + (s.interpolationSteps() - 1L) * 2 * (data.interpolationSet(s.interpolationPairs()).size()
                + data.flipSubset().length + data.oodInterpolationSet(s.interpolationPairs()).size())
                + (subsets(s) + 1L) * 2 * pairs
                + (s.members() + 1L) * 2 * data.shifts().stream().mapToLong(x -> x.pairs().size()).sum()
                + (data.shiftedPool() == null ? 0 : (s.members() + 1L) * data.shiftedPool().sequences());
        return (long) s.seeds() * s.flipFractions().size() * perLevel + (s.members() + 1L) * s.costSequences();
    }

    /** Random subsets averaged for M-scaling per noise level (see {@link ControlModels#draw}). */
    static long subsets(EvalSettings s) {
        long total = 0;
        for (int size = 2; size < s.members(); size++) {
            long possible = 1;
            for (int i = 1; i <= size; i++) {
                possible = possible * (s.members() - size + i) / i;
            }
            total += Math.min(s.subsetDraws(), possible);
        }
        return total;
    }

    /** The options that reproduce these settings from their preset. */
    static List<String> commandLine(EvalSettings s) {
        List<String> out = new ArrayList<>(List.of("--preset", s.preset()));
        Map<String, Object> preset = EvalSettings.preset(s.preset()).toMap();
        s.toMap().forEach((k, v) -> {
            if (!k.equals("preset") && !String.valueOf(v).equals(String.valueOf(preset.get(k)))) {
                out.add(k.equals("outDir") ? "--out" : "--" + kebab(k));
                out.add(v instanceof List<?> l ? String.join(",", l.stream().map(String::valueOf).toList())
                        : String.valueOf(v));
            }
        });
        return out;
    }

    private static String kebab(String camel) {
        return camel.replaceAll("([A-Z])", "-$1").toLowerCase(Locale.ROOT);
    }

    private static String loadAverage() {
        try {
            return Files.readString(Path.of("/proc/loadavg")).trim();
        } catch (IOException | RuntimeException e) {
            return String.valueOf(ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
        }
    }
}
