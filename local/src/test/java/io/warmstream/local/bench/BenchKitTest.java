package io.warmstream.local.bench;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The bench kit on this build's real classpath: what it holds, its size, and the model benchmark running on it. */
class BenchKitTest {

    private static final List<String> NEVER_IN_KIT = List.of("onnxruntime", "langchain4j", "pytorch-native",
            "kafka", "micronaut", "rocksdb", "netty", "apicurio", "s3-", "sdk-core", "eventstream");

    @Test
    void theKitLeavesOutOnnxruntimeWeightsLibtorchKafkaAndMicronautAndStaysUnder40Mb() {
        BenchKit kit = BenchKit.ofThisJvm();
        List<String> names = kit.jars().stream().map(BenchKitTest::name).toList();
        for (Path jar : kit.jars()) {
            String n = name(jar);
            assertTrue(NEVER_IN_KIT.stream().noneMatch(n::contains), jar + " is in the kit: " + names);
        }
        for (String needed : List.of("tokenizers-", "pytorch-engine-", "pytorch-jni-", "api-", "protobuf-java-",
                "jackson-databind-", "minilm-tokenizer.jar")) {
            assertTrue(names.stream().anyMatch(n -> n.startsWith(needed)), needed + " missing from " + names);
        }
        assertTrue(kit.weights().stream().anyMatch(p -> name(p).contains("langchain4j-embeddings-all-minilm")),
                kit.weights().toString());
        assertTrue(kit.libtorch().stream().allMatch(p -> name(p).contains("pytorch-native")),
                kit.libtorch().toString());
        assertFalse(kit.libtorch().isEmpty());
        // The benchmarks' own modules: jars under ./warm, class folders here (counted by their files, more than a jar).
        for (String module : List.of("local", "model", "trainer")) {
            assertTrue(kit.jars().stream().anyMatch(p -> p.endsWith(Path.of(module, "target", "classes"))
                    || name(p).startsWith("warmstream-" + module + "-")), module + " missing from " + kit.jars());
        }
        double mb = kit.bytes() / 1e6;
        assertTrue(mb < ClasspathJars.TARGET_MB, "kit: " + mb + " MB");
        assertTrue(mb > 10, "kit: " + mb + " MB: DJL, its tokenizers and libtorch's JNI alone are more");
        System.out.printf("bench kit on this classpath: %d entries, %.1f MB%n", kit.jars().size(), mb);
    }

    @Test
    void aListedJarMatchesWhateverVersionTheBuildSettledOnButOnlyInItsOwnGroup() {
        Path annotations = Path.of("/m2/com/fasterxml/jackson/core/jackson-annotations/2.19.2/"
                + "jackson-annotations-2.19.2.jar");
        assertTrue(BenchKit.isRepositoryJar(annotations, "com.fasterxml.jackson.core.jackson-annotations.jar"));
        Path natives = Path.of("/m2/ai/djl/pytorch/pytorch-native-cpu/2.7.1/pytorch-native-cpu-2.7.1-linux-x86_64.jar");
        assertTrue(BenchKit.isRepositoryJar(natives, "ai.djl.pytorch.pytorch-native-cpu-linux-x86_64.jar"));
        assertFalse(BenchKit.isRepositoryJar(natives, "ai.djl.pytorch.pytorch-native-cpu.jar"));
        Path otherAnnotations = Path.of("/m2/org/jetbrains/annotations/24.0.1/annotations-24.0.1.jar");
        assertFalse(BenchKit.isRepositoryJar(otherAnnotations, "software.amazon.awssdk.annotations.jar"));
        assertFalse(BenchKit.isRepositoryJar(Path.of("lib/annotations-2.31.66.jar"),
                "software.amazon.awssdk.annotations.jar"));
    }

    @Test
    void theModelBenchmarkRunsOnTheKitWithRandomWeights(@TempDir Path out) throws Exception {
        BenchOptions quick = new BenchOptions(true, "minilm-l6", true, out, Duration.ofMinutes(1), null, "test");
        ModelBench bench = new ModelBench();
        String classpath = bench.classpath(quick);
        for (String entry : classpath.split(File.pathSeparator)) {
            String n = name(Path.of(entry));
            assertTrue(Stream.of("langchain4j", "onnxruntime", "kafka", "micronaut").noneMatch(n::contains), entry);
        }
        Benchmark.Outcome outcome = bench.run(quick);
        assertFalse(outcome.figures().isEmpty());
        for (Figure f : outcome.figures()) {
            assertNotNull(f.value(), f.toString());
            assertTrue(f.value() > 0, f.toString());
        }
        assertEquals(true, outcome.facts().get("randomWeights"));
        assertTrue(String.valueOf(outcome.facts().get("model")).startsWith("tiny-"), outcome.facts().toString());
    }

    @Test
    @SuppressWarnings("unchecked")
    void aKitBenchmarksResultRecordsTheKitsJarsAndTheOthersTheWholeClasspaths(@TempDir Path root) throws Exception {
        Path out = root.resolve("results");
        BenchOptions options = new BenchOptions(true, "minilm-l6", true, out, Duration.ofMinutes(1), null, "test");
        List<String> failed = new BenchRunner(options, root, System.out)
                .run(List.of(new NoOp("on-kit", true), new NoOp("on-whole", false)));
        assertEquals(List.of(), failed);
        Map<String, Object> kit = ResultFiles.JSON.readValue(out.resolve("on-kit.json").toFile(), Map.class);
        Map<String, Object> kitJars = (Map<String, Object>) kit.get("jars");
        assertEquals("bench kit", kitJars.get("classpath"));
        assertEquals(true, kitJars.get("underTarget"), kitJars.toString());
        assertEquals(0.0, ((Number) kitJars.get("excludedWeightsMb")).doubleValue(), "random weights: none on the kit");
        Map<String, Object> whole = (Map<String, Object>) kit.get("wholeClasspathJars");
        assertTrue(((Number) whole.get("jarsMb")).doubleValue() > ((Number) kitJars.get("jarsMb")).doubleValue(),
                whole + " vs " + kitJars);
        Map<String, Object> other = ResultFiles.JSON.readValue(out.resolve("on-whole.json").toFile(), Map.class);
        assertEquals("whole", ((Map<String, Object>) other.get("jars")).get("classpath"));
        assertFalse(other.containsKey("wholeClasspathJars"));
    }

    /** A benchmark that measures nothing, to see what its result file records about jars. */
    private record NoOp(String name, boolean runsOnKit) implements Benchmark {
        @Override
        public String yardstick() {
            return "none";
        }

        @Override
        public Outcome run(BenchOptions options) {
            return new Outcome(List.of(Figure.alone("nothing", 1.0, "")), Map.of(), Map.of());
        }
    }

    @Test
    void theKitFolderHoldsTheKitsJarsAndAScriptThatChecksItsInput(@TempDir Path dir) throws Exception {
        BenchKit kit = BenchKit.ofThisJvm();
        BenchKitFolder.Written w = BenchKitFolder.write(kit, dir, false, false);
        try (Stream<Path> lib = Files.list(w.lib())) {
            List<String> copied = lib.map(BenchKitTest::name).toList();
            assertEquals(kit.jars().size(), copied.size(), copied.toString());
            assertTrue(copied.stream().allMatch(n -> n.endsWith(".jar")), copied.toString());
            assertTrue(copied.stream().noneMatch(n -> n.contains("langchain4j") || n.contains("pytorch-native")));
        }
        assertTrue(w.kitBytes() / 1e6 < ClasspathJars.TARGET_MB, w.toString());
        Path script = dir.resolve(BenchKitFolder.SCRIPT);
        assertTrue(Files.isExecutable(script));
        assertEquals(0, bash(dir, "-n", script.toString()).exit(), "bench.sh must parse");
        Result unknown = bash(dir, script.toString(), "--gpu");
        assertEquals(2, unknown.exit(), unknown.err());
        assertTrue(unknown.err().contains("unknown option '--gpu'"), unknown.err());
        Result noLibtorch = bash(dir, script.toString(), "--random-weights");
        assertEquals(1, noLibtorch.exit(), noLibtorch.err());
        assertTrue(noLibtorch.err().contains("PYTORCH_LIBRARY_PATH"), noLibtorch.err());
        String text = Files.readString(script);
        assertTrue(text.contains("-cp \"lib/*\" \"$main\""), text);
        assertTrue(text.contains("\"-Dwarm.bench.randomWeights=${random_weights}\""), text);
        assertTrue(text.contains("main=" + new ModelBench().mainClass()), text);
        IllegalArgumentException again = assertThrows(IllegalArgumentException.class,
                () -> BenchKitFolder.write(kit, dir, false, false));
        assertTrue(again.getMessage().contains("already holds files"), again.getMessage());
    }

    record Result(int exit, String err) {
    }

    private static Result bash(Path dir, String... args) throws Exception {
        List<String> command = new java.util.ArrayList<>(List.of("bash"));
        command.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(command).directory(dir.toFile())
                .redirectOutput(ProcessBuilder.Redirect.DISCARD);
        pb.environment().remove("PYTORCH_LIBRARY_PATH");
        Process p = pb.start();
        String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        return new Result(p.waitFor(), err);
    }

    private static String name(Path p) {
        return p.getFileName().toString().toLowerCase(Locale.ROOT);
    }
}
