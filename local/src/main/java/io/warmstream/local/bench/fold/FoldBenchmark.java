package io.warmstream.local.bench.fold;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.warmstream.local.bench.measure.ProcessCpu;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.warmstream.model.merge.AverageFolder;
import io.warmstream.model.merge.FoldResult;
import io.warmstream.model.merge.MergeSettings;
import io.warmstream.model.merge.MergeStrategy;
import io.warmstream.model.weights.Lineage;
import io.warmstream.model.weights.ModelDirectory;
import io.warmstream.model.weights.TensorSpec;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * Seconds to fold one MiniLM-sized reward model (105 tensors, 22.7M fp32 parameters, ~91 MB) into an average,
 * file I/O included: read the average and the new model, write and fsync the new average directory, verify the
 * inputs' SHA-256. Prints one JSON object.
 *
 * <pre>
 * ./warm bench --only fold       (or this main alone on ./warm's classpath: -Xmx96m ... --folds 7)
 * </pre>
 * Options: --folds N (timed folds per strategy, default 7), --dir PATH (work directory kept afterwards; its models
 * are reused by the next run, its averages rewritten; default a temp dir that is deleted). Models are generated tensor by tensor, so the whole run fits in a heap smaller than one model.
 * The inputs were just written, so their reads hit the page cache, as they would in a merger that just received them.
 */
public final class FoldBenchmark {

    private static final Lineage LINEAGE = new Lineage("sha256:benchmark-random-base", "BertForSequenceClassification/MiniLM-L6");

    private FoldBenchmark() {
    }

    public static void main(String[] args) throws IOException {
        int folds = 7;
        Path dir = null;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--folds" -> folds = Integer.parseInt(args[++i]);
                case "--dir" -> dir = Path.of(args[++i]);
                default -> throw new IllegalArgumentException("unknown option " + args[i] + "; use --folds N, --dir PATH");
            }
        }
        boolean temporary = dir == null;
        Path work = temporary ? Files.createTempDirectory("fold-benchmark") : Files.createDirectories(dir);
        try {
            System.out.println(new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT)
                    .writeValueAsString(run(work, folds)));
        } finally {
            if (temporary) {
                deleteTree(work);
            }
        }
    }

    static Map<String, Object> run(Path work, int folds) throws IOException {
        List<TensorSpec> specs = MiniLmShapes.specs();
        Path tokenizer = work.resolve("tokenizer.json");
        Files.writeString(tokenizer, "{\"model\":{\"type\":\"WordPiece\"}}");
        deleteTree(work.resolve("uniform"));
        deleteTree(work.resolve("slerp-liti"));
        Path init = randomModel(work.resolve("init"), specs, tokenizer, 0);
        int members = folds + 2; // two untimed folds warm the JIT up
        List<Path> models = new ArrayList<>();
        for (int m = 1; m <= members; m++) {
            models.add(randomModel(work.resolve("member-" + m), specs, tokenizer, m));
        }

        Map<String, Object> out = new LinkedHashMap<>();
        out.put("benchmark", "fold one MiniLM-L6-sized reward model into a running average, file I/O and fsync included");
        out.put("tensors", specs.size());
        out.put("parameters", specs.stream().mapToLong(TensorSpec::elementCount).sum());
        out.put("weightsFileBytes", Files.size(ModelDirectory.weightsFile(models.get(0))));
        out.put("timedFolds", folds);
        out.put("availableProcessors", Runtime.getRuntime().availableProcessors());
        out.put("java", System.getProperty("java.version"));
        out.put("maxHeapBytes", Runtime.getRuntime().maxMemory());
        out.put("loadAverageAtStart", ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
        resetHeapPeaks();
        out.put("uniform", foldSeries(new AverageFolder(MergeSettings.of(MergeStrategy.UNIFORM)), models,
                work.resolve("uniform")));
        out.put("uniformPeakHeapBytes", heapPeak());
        resetHeapPeaks();
        out.put("slerpLiti", foldSeries(new AverageFolder(MergeSettings.of(MergeStrategy.SLERP_LITI).withInitModel(init)),
                models, work.resolve("slerp-liti")));
        out.put("slerpLitiPeakHeapBytes", heapPeak());
        out.put("copyAndFsync", copySeries(models, work.resolve("copies")));
        out.put("loadAverageAtEnd", ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
        out.put("targetSeconds", 0.3);
        return out;
    }

    /** Folds every model in turn; the first two folds (a copy and a first merge) are not timed. */
    private static Map<String, Object> foldSeries(AverageFolder folder, List<Path> models, Path dir) {
        Path average = null;
        List<Double> seconds = new ArrayList<>();
        List<Double> cpuSeconds = new ArrayList<>();
        for (int m = 0; m < models.size(); m++) {
            long cpu = ProcessCpu.nanos();
            FoldResult r = folder.fold(average, models.get(m), "job-" + m, dir.resolve("v" + m));
            if (m >= 2) {
                seconds.add(r.seconds());
                cpuSeconds.add((ProcessCpu.nanos() - cpu) / 1e9);
            }
            average = r.directory();
        }
        Map<String, Object> stats = new LinkedHashMap<>();
        stats.put("medianSeconds", round(median(seconds)));
        stats.put("minSeconds", round(seconds.stream().mapToDouble(Double::doubleValue).min().orElseThrow()));
        stats.put("maxSeconds", round(seconds.stream().mapToDouble(Double::doubleValue).max().orElseThrow()));
        stats.put("allSeconds", seconds.stream().map(FoldBenchmark::round).toList());
        // CPU seconds of the whole process (both fold threads, GC): what the fold costs when the cores are shared
        stats.put("medianCpuSeconds", round(median(cpuSeconds)));
        return stats;
    }

    /**
     * The yardstick: copying one member's weights file and forcing it to disk, as many times as there are timed
     * folds. A fold reads two such files and writes one, so it cannot beat this by much.
     */
    private static Map<String, Object> copySeries(List<Path> models, Path dir) throws IOException {
        Files.createDirectories(dir);
        List<Double> seconds = new ArrayList<>();
        for (int m = 2; m < models.size(); m++) {
            Path target = dir.resolve("copy-" + m);
            long start = System.nanoTime();
            Files.copy(ModelDirectory.weightsFile(models.get(m)), target);
            try (FileChannel ch = FileChannel.open(target, StandardOpenOption.WRITE)) {
                ch.force(true);
            }
            seconds.add((System.nanoTime() - start) / 1e9);
            Files.delete(target);
        }
        Map<String, Object> stats = new LinkedHashMap<>();
        stats.put("medianSeconds", round(median(seconds)));
        stats.put("allSeconds", seconds.stream().map(FoldBenchmark::round).toList());
        return stats;
    }

    /** A model with uniform random weights, generated and written one 1 MiB chunk at a time. */
    private static Path randomModel(Path dir, List<TensorSpec> specs, Path tokenizer, long seed) {
        if (Files.isDirectory(dir)) {
            ModelDirectory.verify(dir); // kept from an earlier run with --dir
            return dir;
        }
        return RandomWeightModels.write(dir, specs, Map.of("model_type", "bert", "num_labels", 1), tokenizer, LINEAGE, seed);
    }

    private static double median(List<Double> values) {
        double[] sorted = values.stream().mapToDouble(Double::doubleValue).sorted().toArray();
        return sorted[sorted.length / 2];
    }


    private static void resetHeapPeaks() {
        System.gc();
        heapPools().forEach(MemoryPoolMXBean::resetPeakUsage);
    }

    /** Sum of the heap pools' peaks: an upper bound of the heap in use at any one time. */
    private static long heapPeak() {
        return heapPools().stream().mapToLong(p -> p.getPeakUsage().getUsed()).sum();
    }

    private static List<MemoryPoolMXBean> heapPools() {
        return ManagementFactory.getMemoryPoolMXBeans().stream().filter(p -> p.getType() == MemoryType.HEAP).toList();
    }

    private static double round(double seconds) {
        return Math.round(seconds * 10_000) / 10_000.0;
    }

    private static void deleteTree(Path root) throws IOException {
        if (!Files.exists(root)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(root)) {
            for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }

}
