package io.warmstream.eval.world;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Measures label generation speed and prints the shape of the generated data as JSON:
 * {@code WorldBenchmark [count] [flipFraction]} (defaults 100000 and 0.25).
 */
public final class WorldBenchmark {
    private WorldBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        long count = args.length > 0 ? Long.parseLong(args[0]) : 100_000;
        double flip = args.length > 1 ? Double.parseDouble(args[1]) : 0.25;
        PreferenceWorld world = PreferenceWorld.create(WorldConfig.defaults().withFlipFraction(flip));
        world.labels(Split.TRAIN, 2_000).forEach(label -> { }); // warm up the JIT

        java.lang.management.ThreadMXBean threads = java.lang.management.ManagementFactory.getThreadMXBean();
        long cpuStart = threads.getCurrentThreadCpuTime();
        long start = System.nanoTime();
        long checksum = world.labels(Split.TRAIN, count).mapToLong(label -> label.chosen().length()).sum();
        double sequential = (System.nanoTime() - start) / 1e9;
        // CPU time too: on a shared machine, wall time also measures the neighbours.
        double sequentialCpu = (threads.getCurrentThreadCpuTime() - cpuStart) / 1e9;
        start = System.nanoTime();
        long parallelChecksum = world.labels(Split.TRAIN, count).parallel()
                .mapToLong(label -> label.chosen().length()).sum();
        double parallel = (System.nanoTime() - start) / 1e9;
        start = System.nanoTime();
        LabelsJsonl.write(world.labels(Split.TRAIN, count), java.io.Writer.nullWriter());
        double jsonl = (System.nanoTime() - start) / 1e9;
        if (checksum != parallelChecksum) {
            throw new IllegalStateException("parallel generation differs from sequential");
        }

        int sample = (int) Math.min(count, 20_000);
        Map<String, Object> report = new LinkedHashMap<>();
        report.put("labels", count);
        report.put("cores", Runtime.getRuntime().availableProcessors());
        report.put("sequentialSeconds", round(sequential));
        report.put("sequentialLabelsPerSecond", Math.round(count / sequential));
        report.put("sequentialCpuSeconds", round(sequentialCpu));
        report.put("labelsPerCpuSecond", Math.round(count / sequentialCpu));
        report.put("parallelSeconds", round(parallel));
        report.put("generateAndWriteJsonlSeconds", round(jsonl));
        report.put("flipFraction", flip);
        report.put("train", describe(world.labels(Split.TRAIN, sample).toList()));
        report.put("validation", describe(world.labels(Split.VALIDATION_ID, sample).toList()));
        report.put("ood", describe(world.labels(Split.OOD, sample).toList()));
        System.out.println(new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsString(report));
    }

    private static Map<String, Object> describe(List<LabelledPair> labels) {
        int n = labels.size();
        double[] promptWords = new double[n];
        double[] chosenWords = new double[n];
        double[] pairWords = new double[n];
        double[] margin = new double[n];
        double[] gold = new double[2 * n];
        int flipped = 0;
        int agree = 0;
        for (int i = 0; i < n; i++) {
            LabelledPair label = labels.get(i);
            promptWords[i] = Phrasing.words(label.prompt());
            chosenWords[i] = Phrasing.words(label.chosen());
            pairWords[i] = promptWords[i] + Math.max(chosenWords[i], Phrasing.words(label.rejected()));
            double goldMargin = Double.parseDouble(label.metadata().get(LabelledPair.GOLD_MARGIN));
            margin[i] = Math.abs(goldMargin);
            gold[2 * i] = Double.parseDouble(label.metadata().get(LabelledPair.GOLD_CHOSEN));
            gold[2 * i + 1] = Double.parseDouble(label.metadata().get(LabelledPair.GOLD_REJECTED));
            flipped += "true".equals(label.metadata().get(LabelledPair.FLIPPED)) ? 1 : 0;
            agree += goldMargin > 0 ? 1 : 0;
        }
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("count", n);
        out.put("flipped", round((double) flipped / n));
        out.put("chosenHasHigherGold", round((double) agree / n));
        out.put("promptWords", summary(promptWords));
        out.put("chosenWords", summary(chosenWords));
        out.put("promptPlusLongerCandidateWords", summary(pairWords));
        out.put("goldReward", summary(gold));
        out.put("absGoldMargin", summary(margin));
        return out;
    }

    private static Map<String, Object> summary(double[] values) {
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("mean", round(Arrays.stream(values).average().orElse(Double.NaN)));
        out.put("p05", round(sorted[(int) (0.05 * (sorted.length - 1))]));
        out.put("p50", round(sorted[(int) (0.50 * (sorted.length - 1))]));
        out.put("p95", round(sorted[(int) (0.95 * (sorted.length - 1))]));
        out.put("max", round(sorted[sorted.length - 1]));
        return out;
    }

    private static double round(double value) {
        return Math.round(value * 1000) / 1000.0;
    }
}
