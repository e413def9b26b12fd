package io.warmstream.local.bench;

import ai.djl.engine.Engine;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** What a figure was measured on: the machine, its load, Java, the device DJL reports, the code's commit. */
public final class MachineFacts {

    private MachineFacts() {
    }

    public static Map<String, Object> atStart(Path repository) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("startedAt", Instant.now().toString());
        m.put("cores", Runtime.getRuntime().availableProcessors());
        m.put("loadAverageAtStart", loadAverage());
        m.put("java", System.getProperty("java.version") + " (" + System.getProperty("java.vendor") + ")");
        m.put("os", System.getProperty("os.name") + " " + System.getProperty("os.arch") + " "
                + System.getProperty("os.version"));
        m.put("memoryBytes", totalMemory());
        m.putAll(device());
        String libtorch = System.getenv("PYTORCH_LIBRARY_PATH");
        m.put("pytorchLibraryPath", libtorch);
        m.put("gitCommit", gitCommit(repository));
        return m;
    }

    public static Map<String, Object> atEnd() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("finishedAt", Instant.now().toString());
        m.put("loadAverageAtEnd", loadAverage());
        return m;
    }

    public static double loadAverage() {
        return Math.round(ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage() * 100) / 100.0;
    }

    /** The device the benchmarks run on: DJL's default (a GPU when it reports one), and its engine. */
    static Map<String, Object> device() {
        Map<String, Object> m = new LinkedHashMap<>();
        try {
            Engine engine = Engine.getInstance();
            m.put("device", engine.defaultDevice().toString());
            m.put("gpuCount", engine.getGpuCount());
            m.put("engine", engine.getEngineName() + " " + engine.getVersion());
        } catch (RuntimeException | UnsatisfiedLinkError e) {
            m.put("device", "unknown: " + e.getMessage());
        }
        return m;
    }

    private static Long totalMemory() {
        if (ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os) {
            return os.getTotalMemorySize();
        }
        return null;
    }

    /**
     * The checked-out commit (with "+dirty" when the tree has changes), or null without git. Committed result files
     * do not count: a run rewrites them itself, and "+dirty" should mean code that no commit holds.
     */
    static String gitCommit(Path repository) {
        String head = git(repository, "rev-parse", "HEAD");
        if (head == null) {
            return null;
        }
        String status = git(repository, "status", "--porcelain", "--untracked-files=no", "--", ":/",
                ":(top,exclude)bench/results", ":(top,exclude)bench/BENCHMARKS.md", ":(top,exclude)eval/results");
        return status == null || status.isBlank() ? head : head + "+dirty";
    }

    /** {@code git -C dir args}: its trimmed output, or null when git is missing, fails or takes over 10 s. */
    static String git(Path dir, String... args) {
        String[] command = new String[args.length + 3];
        command[0] = "git";
        command[1] = "-C";
        command[2] = dir.toString();
        System.arraycopy(args, 0, command, 3, args.length);
        try {
            Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
            return p.waitFor(10, TimeUnit.SECONDS) && p.exitValue() == 0 ? out : null;
        } catch (IOException e) {
            return null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        }
    }
}
