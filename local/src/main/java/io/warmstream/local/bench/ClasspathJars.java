package io.warmstream.local.bench;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The size of what {@code warm bench} needs copied to another machine: the jars on its classpath, less libtorch's
 * native jars (a GPU machine brings its own, named by PYTORCH_LIBRARY_PATH) and the pretrained weights' jars (the
 * benchmarks can run with random weights instead). Target: under 40 MB.
 */
public final class ClasspathJars {

    public static final double TARGET_MB = 40;
    private static final List<String> LIBTORCH = List.of("pytorch-native", "libtorch");
    private static final List<String> WEIGHTS = List.of("langchain4j-embeddings-all-minilm", "langchain4j-embeddings-bge");

    private ClasspathJars() {
    }

    public static Map<String, Object> measure(String classpath) {
        long counted = 0;
        long libtorch = 0;
        long weights = 0;
        List<Map.Entry<String, Long>> jars = new ArrayList<>();
        for (String entry : classpath.split(File.pathSeparator)) {
            Path p = Path.of(entry);
            if (!entry.endsWith(".jar") || !Files.isRegularFile(p)) {
                continue; // class folders during development: not what is copied
            }
            long size = size(p);
            String name = p.getFileName().toString();
            if (isLibtorch(name)) {
                libtorch += size;
            } else if (isWeights(name)) {
                weights += size;
            } else {
                counted += size;
                jars.add(Map.entry(name, size));
            }
        }
        jars.sort(Map.Entry.<String, Long>comparingByValue(Comparator.reverseOrder()));
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("jarsMb", mb(counted));
        m.put("targetMb", TARGET_MB);
        m.put("underTarget", mb(counted) < TARGET_MB);
        m.put("excludedLibtorchMb", mb(libtorch));
        m.put("excludedWeightsMb", mb(weights));
        Map<String, Object> largest = new LinkedHashMap<>();
        jars.stream().limit(8).forEach(e -> largest.put(e.getKey(), mb(e.getValue())));
        m.put("largestJarsMb", largest);
        return m;
    }

    /** libtorch's native jars: a GPU machine brings its own libtorch. */
    static boolean isLibtorch(String jarName) {
        return matches(jarName, LIBTORCH);
    }

    /** The pretrained weights' jars: the benchmarks can run with random weights instead. */
    static boolean isWeights(String jarName) {
        return matches(jarName, WEIGHTS);
    }

    private static boolean matches(String name, List<String> parts) {
        String n = name.toLowerCase(Locale.ROOT);
        return parts.stream().anyMatch(n::contains);
    }

    private static long size(Path p) {
        try {
            return Files.size(p);
        } catch (IOException e) {
            return 0;
        }
    }

    private static double mb(long bytes) {
        return Math.round(bytes / 1e5) / 10.0;
    }
}
