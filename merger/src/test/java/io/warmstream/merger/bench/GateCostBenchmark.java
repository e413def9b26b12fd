package io.warmstream.merger.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.warmstream.merger.guard.PairRanker;
import io.warmstream.model.BaseModel;
import io.warmstream.model.BaseModels;
import io.warmstream.model.Compute;
import io.warmstream.model.PreferencePair;
import io.warmstream.model.weights.ModelDirectory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * What the quality gate adds when it must score the served version itself (after a restart, or on labels that
 * arrived since its results were remembered): loading the model (hash-verified) plus two forward passes per held-out
 * label, exactly what {@link PairRanker#rewardModels} does for the gate. Measured on the tiny test model (2 layers,
 * hidden 32) with label texts like MergerBenchmark's (prompt 20 words, responses 30), on the CPU. Prints JSON: the
 * fastest and the median wall time and process CPU time of {@code REPS} runs per label count, and the load time and
 * per-label time fitted to the fastest (least squares): on a shared machine the fastest run is the one least
 * disturbed by other work.
 * <pre>
 * ./mvnw -B -q -o -pl merger -am test -Dtest=GateCostBenchmark -Dsurefire.failIfNoSpecifiedTests=false -Dwarm.bench.gate=true
 * </pre>
 * (the JSON is in merger/target/surefire-reports/io.warmstream.merger.bench.GateCostBenchmark-output.txt)
 */
@EnabledIfSystemProperty(named = "warm.bench.gate", matches = "true")
class GateCostBenchmark {

    private static final int[] LABELS = {1, 64, 128, 256, 512};
    private static final int REPS = 9;

    @Test
    void servedVersionScoringCost() throws Exception {
        BaseModel tiny = BaseModels.tiny(7);
        Path dir = Files.createTempDirectory("gate-cost").resolve("model");
        ModelDirectory.write(dir, tiny.tensors(), tiny.config().toHuggingFaceConfig(), tiny.tokenizerFile(),
                tiny.lineage(), Map.of("bench", "gate"));
        List<PreferencePair> pairs = pairs(LABELS[LABELS.length - 1]);
        PairRanker scorer = PairRanker.rewardModels(Compute.cpu());
        scorer.rankedRight(dir, pairs.subList(0, 8)); // warm-up: engine start, first-call allocation

        com.sun.management.OperatingSystemMXBean os =
                (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
        Map<String, Object> wallMedians = new LinkedHashMap<>();
        Map<String, Object> cpuMedians = new LinkedHashMap<>();
        Map<String, Object> wallFastest = new LinkedHashMap<>();
        Map<String, Object> cpuFastest = new LinkedHashMap<>();
        double[] x = new double[LABELS.length];
        double[] wall = new double[LABELS.length];
        double[] cpu = new double[LABELS.length];
        for (int i = 0; i < LABELS.length; i++) {
            List<Double> wallMs = new ArrayList<>();
            List<Double> cpuMs = new ArrayList<>();
            for (int r = 0; r < REPS; r++) {
                long t0 = System.nanoTime();
                long c0 = os.getProcessCpuTime();
                scorer.rankedRight(dir, pairs.subList(0, LABELS[i]));
                cpuMs.add((os.getProcessCpuTime() - c0) / 1e6);
                wallMs.add((System.nanoTime() - t0) / 1e6);
            }
            x[i] = LABELS[i];
            wall[i] = min(wallMs);
            cpu[i] = min(cpuMs);
            wallFastest.put(String.valueOf(LABELS[i]), round(wall[i]));
            cpuFastest.put(String.valueOf(LABELS[i]), round(cpu[i]));
            wallMedians.put(String.valueOf(LABELS[i]), round(median(wallMs)));
            cpuMedians.put(String.valueOf(LABELS[i]), round(median(cpuMs)));
        }
        double[] wallFit = fit(x, wall);
        double[] cpuFit = fit(x, cpu);
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("benchmark", "quality gate: load the served version and score it on n held-out labels (tiny model, CPU)");
        out.put("model", "tiny: 2 layers, hidden 32, " + tiny.tensors().stream().mapToLong(t -> t.data().length).sum()
                + " parameters");
        out.put("labelText", "prompt 20 words, chosen and rejected 30 words each");
        out.put("availableProcessors", Runtime.getRuntime().availableProcessors());
        out.put("loadAverageAtStart", ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
        out.put("fastestWallMillisByLabels", wallFastest);
        out.put("fastestCpuMillisByLabels", cpuFastest);
        out.put("medianWallMillisByLabels", wallMedians);
        out.put("medianCpuMillisByLabels", cpuMedians);
        out.put("fittedLoadWallMillis", round(wallFit[0]));
        out.put("fittedWallMillisPerLabel", round(wallFit[1]));
        out.put("fittedLoadCpuMillis", round(cpuFit[0]));
        out.put("fittedCpuMillisPerLabel", round(cpuFit[1]));
        out.put("loadAverageAtEnd", ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
        System.out.println(new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsString(out));
    }

    private static List<PreferencePair> pairs(int n) {
        SplittableRandom r = new SplittableRandom(5);
        String[] words = {"the", "answer", "explains", "clearly", "why", "model", "reward", "summary", "is", "short",
            "and", "accurate", "but", "misses", "one", "detail", "about", "policy", "training", "data"};
        List<PreferencePair> out = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            out.add(new PreferencePair(text(r, words, 20), text(r, words, 30), text(r, words, 30)));
        }
        return out;
    }

    private static String text(SplittableRandom r, String[] words, int n) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < n; i++) {
            sb.append(i == 0 ? "" : " ").append(words[r.nextInt(words.length)]);
        }
        return sb.toString();
    }

    private static double min(List<Double> v) {
        return v.stream().mapToDouble(Double::doubleValue).min().orElseThrow();
    }

    private static double median(List<Double> v) {
        List<Double> sorted = new ArrayList<>(v);
        sorted.sort(Double::compare);
        return sorted.get(sorted.size() / 2);
    }

    /** Least squares y = a + b x: {a, b}. */
    private static double[] fit(double[] x, double[] y) {
        double mx = mean(x);
        double my = mean(y);
        double sxy = 0;
        double sxx = 0;
        for (int i = 0; i < x.length; i++) {
            sxy += (x[i] - mx) * (y[i] - my);
            sxx += (x[i] - mx) * (x[i] - mx);
        }
        double b = sxy / sxx;
        return new double[]{my - b * mx, b};
    }

    private static double mean(double[] v) {
        double s = 0;
        for (double d : v) {
            s += d;
        }
        return s / v.length;
    }

    private static double round(double d) {
        return Math.round(d * 100) / 100.0;
    }
}
