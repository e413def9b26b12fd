package io.warmstream.local.bench;

import io.warmstream.model.BaseModel;
import io.warmstream.trainer.work.FeatureCaches;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * Which of a classpath's entries the model and trainer benchmarks need: the bench kit, small enough to copy to a GPU
 * machine. It is warmstream-local (the benchmarks' mains), warmstream-model, warmstream-trainer's own jar (the
 * feature cache; not its Micronaut and Kafka closure), the model module's runtime jars as its build listed them
 * (model/pom.xml writes {@value #MODEL_JARS}), logback (DJL's warnings) and a jar holding only the MiniLM tokenizer
 * (random weights use it: BaseModels.tiny), taken out of the weights' jar. The pretrained weights' jars and libtorch's
 * native jars are kept apart: optional to copy. Left out: onnxruntime (it only comes with langchain4j's embedding
 * classes; warmstream reads the weights' ONNX files with protobuf, OnnxWeights) and the AWS SDK with eventstream and
 * reactive-streams, which only it uses (about 8 MB, for S3CheckpointStore: the benchmarks store no checkpoints).
 * {@code warm bench} runs model and trainer on this kit, so a class missing from it fails their run.
 */
public final class BenchKit {

    static final String MODEL_JARS = "warmstream/model/runtime-jars.txt";
    /** The CLI's logging: without an slf4j provider DJL's warnings (engine, device) would be lost. */
    private static final List<String> LOGGING = List.of("ch.qos.logback.logback-classic.jar",
            "ch.qos.logback.logback-core.jar");
    private static final List<String> LEFT_OUT_GROUPS = List.of("com.microsoft.onnxruntime.", "software.amazon.",
            "org.reactivestreams.");
    /** The tokenizer random weights use (BaseModels.tiny); it ships inside the MiniLM weights' 83 MB jar. */
    static final String TOKENIZER = "all-minilm-l6-v2-tokenizer.json";
    private static final Path TOKENIZER_JAR = Path.of(System.getProperty("java.io.tmpdir"), "warm-bench-kit",
            "minilm-tokenizer.jar");

    private static BenchKit thisJvm;

    private final List<Path> jars;
    private final List<Path> weights;
    private final List<Path> libtorch;

    private BenchKit(List<Path> jars, List<Path> weights, List<Path> libtorch) {
        this.jars = List.copyOf(jars);
        this.weights = List.copyOf(weights);
        this.libtorch = List.copyOf(libtorch);
    }

    /** This JVM's kit, found once: its classpath does not change, and finding it writes the tokenizer jar. */
    public static synchronized BenchKit ofThisJvm() {
        if (thisJvm == null) {
            thisJvm = of(System.getProperty("java.class.path"));
        }
        return thisJvm;
    }

    /** The kit's entries among {@code classpath}'s, in its order. */
    public static BenchKit of(String classpath) {
        Set<Path> modules = Stream.of(BenchKit.class, BaseModel.class, FeatureCaches.class)
                .map(BenchKit::location).collect(Collectors.toSet());
        List<String> names = new ArrayList<>(modelRuntimeJarNames());
        names.addAll(LOGGING);
        List<Path> jars = new ArrayList<>();
        List<Path> weights = new ArrayList<>();
        List<Path> libtorch = new ArrayList<>();
        for (String entry : classpath.split(File.pathSeparator)) {
            if (entry.isBlank()) {
                continue;
            }
            Path p = Path.of(entry).toAbsolutePath().normalize();
            if (modules.contains(p)) {
                jars.add(p); // a jar, or a class folder during development
                continue;
            }
            String listed = names.stream().filter(n -> isRepositoryJar(p, n)).findFirst().orElse(null);
            String file = p.getFileName().toString();
            if (listed == null || LEFT_OUT_GROUPS.stream().anyMatch(listed::startsWith)) {
                continue;
            }
            if (ClasspathJars.isLibtorch(file)) {
                libtorch.add(p);
            } else if (ClasspathJars.isWeights(file)) {
                weights.add(p);
            } else {
                jars.add(p);
            }
        }
        jars.add(tokenizerJar());
        List<Path> missing = modules.stream().filter(m -> !jars.contains(m)).toList();
        if (!missing.isEmpty()) {
            throw new IllegalStateException("the bench kit's modules " + missing + " are not on the classpath");
        }
        return new BenchKit(jars, weights, libtorch);
    }

    /** The jars (and during development class folders) the benchmarks need, less weights and libtorch. */
    public List<Path> jars() {
        return jars;
    }

    public List<Path> weights() {
        return weights;
    }

    public List<Path> libtorch() {
        return libtorch;
    }

    public String classpath(boolean withWeights, boolean withLibtorch) {
        List<Path> all = new ArrayList<>(jars);
        if (withWeights) {
            all.addAll(weights);
        }
        if (withLibtorch) {
            all.addAll(libtorch);
        }
        return all.stream().map(Path::toString).collect(Collectors.joining(File.pathSeparator));
    }

    /** Bytes of the kit less weights and libtorch; a class folder counts its files (more than its jar would be). */
    public long bytes() {
        return jars.stream().mapToLong(BenchKit::size).sum();
    }

    static long size(Path p) {
        try (Stream<Path> files = Files.walk(p)) {
            return files.filter(Files::isRegularFile).mapToLong(f -> f.toFile().length()).sum();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A jar holding only the MiniLM tokenizer, written from this JVM's weights jar (replaced whole, never half). */
    static synchronized Path tokenizerJar() {
        try (InputStream in = BaseModel.class.getClassLoader().getResourceAsStream(TOKENIZER)) {
            if (in == null) {
                throw new IllegalStateException(TOKENIZER + " not found: the bench kit takes it from the MiniLM "
                        + "weights' jar on warm's classpath");
            }
            Files.createDirectories(TOKENIZER_JAR.getParent());
            Path partial = TOKENIZER_JAR.resolveSibling("minilm-tokenizer.jar." + ProcessHandle.current().pid());
            try (JarOutputStream jar = new JarOutputStream(Files.newOutputStream(partial))) {
                jar.putNextEntry(new JarEntry(TOKENIZER));
                in.transferTo(jar);
                jar.closeEntry();
            }
            return Files.move(partial, TOKENIZER_JAR, StandardCopyOption.REPLACE_EXISTING,
                    StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Names like {@code ai.djl.api.jar}, {@code ai.djl.pytorch.pytorch-native-cpu-linux-x86_64.jar}. */
    static List<String> modelRuntimeJarNames() {
        try (InputStream in = BaseModel.class.getClassLoader().getResourceAsStream(MODEL_JARS)) {
            if (in == null) {
                throw new IllegalStateException(MODEL_JARS + " is missing from warmstream-model: rebuild it");
            }
            return Arrays.stream(new String(in.readAllBytes(), StandardCharsets.UTF_8).trim().split(":"))
                    .map(e -> e.substring(e.lastIndexOf('/') + 1)).filter(n -> !n.isEmpty()).toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Whether {@code jar} is the listed {@code group.artifact[-classifier].jar} in a Maven repository's layout
     * (.../group/path/artifact/version/artifact-version[-classifier].jar), whatever its version.
     */
    static boolean isRepositoryJar(Path jar, String listed) {
        Path version = jar.getParent();
        Path artifact = version == null ? null : version.getParent();
        if (artifact == null || artifact.getParent() == null) {
            return false;
        }
        String file = jar.getFileName().toString();
        String artifactId = artifact.getFileName().toString();
        String stem = artifactId + "-" + version.getFileName();
        if (!file.startsWith(stem) || !file.toLowerCase(Locale.ROOT).endsWith(".jar")) {
            return false;
        }
        String tail = "." + artifactId + file.substring(stem.length()); // .artifact[-classifier].jar
        if (!listed.endsWith(tail) || listed.length() == tail.length()) {
            return false;
        }
        String group = listed.substring(0, listed.length() - tail.length());
        return artifact.getParent().endsWith(Path.of(group.replace('.', '/')));
    }

    private static Path location(Class<?> c) {
        try {
            return Path.of(c.getProtectionDomain().getCodeSource().getLocation().toURI()).toAbsolutePath().normalize();
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }
}
