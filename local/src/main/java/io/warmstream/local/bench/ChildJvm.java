package io.warmstream.local.bench;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Runs a benchmark's {@code main} in its own JVM on a given classpath (this JVM's, or the bench kit's for the model
 * benchmarks: so that every run proves the kit is enough) and reads the JSON object it prints last.
 * Its own JVM so that each benchmark starts with a fresh heap, JIT and thread pools and can set its own heap size
 * (the fold benchmark proves it runs in 96 MiB); its log goes to a file beside the results.
 */
public final class ChildJvm {

    private static final ObjectMapper JSON = new ObjectMapper();

    /** Options every benchmark JVM gets, also written into the kit's bench.sh. */
    static final List<String> BASE_OPTIONS = List.of(
            "-Dai.djl.offline=true",
            "-Dlogback.configurationFile=warmstream/local/logback-cli.xml"); // warnings only, on stderr

    private final Path logDir;
    private final Duration timeout;
    private final String classpath;

    public ChildJvm(Path logDir, Duration timeout, String classpath) {
        this.logDir = logDir;
        this.timeout = timeout;
        this.classpath = classpath;
    }

    public Map<String, Object> run(String name, String mainClass, List<String> jvmOptions, List<String> args)
            throws IOException, InterruptedException {
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        List<String> command = new ArrayList<>();
        command.add(java.toString());
        command.addAll(BASE_OPTIONS);
        command.addAll(jvmOptions);
        command.add("-cp");
        command.add(classpath);
        command.add(mainClass);
        command.addAll(args);
        Files.createDirectories(logDir);
        Path out = logDir.resolve(name + ".stdout");
        Path err = logDir.resolve(name + ".log");
        Process p = new ProcessBuilder(command).redirectOutput(out.toFile()).redirectError(err.toFile()).start();
        if (!p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            p.destroyForcibly();
            throw new IOException(name + ": no result after " + timeout + "; log: " + err);
        }
        String stdout = Files.readString(out, StandardCharsets.UTF_8);
        if (p.exitValue() != 0) {
            throw new IOException(name + " exited with " + p.exitValue() + "; log: " + err);
        }
        return lastJsonObject(stdout, name);
    }

    /** The last line that starts a JSON object, read to its end (benchmarks print one, indented or not). */
    static Map<String, Object> lastJsonObject(String stdout, String name) throws IOException {
        int newlineBrace = stdout.lastIndexOf("\n{");
        int start = newlineBrace >= 0 ? newlineBrace + 1 : stdout.startsWith("{") ? 0 : -1;
        if (start < 0) {
            throw new IOException(name + " printed no JSON object");
        }
        return JSON.readValue(stdout.substring(start), new TypeReference<>() {});
    }
}
