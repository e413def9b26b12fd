package io.warmstream.scorer.drift;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Headless Chromium as a process: the DOM of a page after its scripts ran. */
public final class Chromium {

    private Chromium() {
    }

    /** Debian's chromium (CI installs it), or $CHROMIUM; null if there is none. */
    public static Path find() {
        String env = System.getenv("CHROMIUM");
        for (String candidate : env != null ? List.of(env) : List.of("/usr/bin/chromium", "/usr/bin/chromium-browser")) {
            Path p = Path.of(candidate);
            if (Files.isExecutable(p)) return p;
        }
        return null;
    }

    /**
     * Loads {@code url} with a fresh profile in {@code profile} and returns the serialized DOM. Virtual time lets the
     * page's fetches and rendering finish without waiting in real time for its refresh timer.
     */
    public static String dumpDom(Path chromium, String url, Path profile) throws IOException, InterruptedException {
        Files.createDirectories(profile);
        Path out = profile.resolve("dom.html");
        Path err = profile.resolve("stderr.txt");
        Process p = new ProcessBuilder(chromium.toString(), "--headless", "--no-sandbox", "--disable-gpu",
                "--disable-background-networking", "--disable-component-update", "--no-first-run",
                "--disable-dev-shm-usage", "--user-data-dir=" + profile.resolve("profile"),
                "--virtual-time-budget=4000", "--dump-dom", url)
                .redirectOutput(out.toFile()).redirectError(err.toFile()).start();
        if (!p.waitFor(90, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("chromium did not finish within 90 s; stderr: " + Files.readString(err));
        }
        String dom = Files.readString(out, StandardCharsets.UTF_8);
        if (p.exitValue() != 0 || dom.isBlank()) {
            throw new AssertionError("chromium exited with " + p.exitValue() + "; stderr: " + Files.readString(err));
        }
        return dom;
    }
}
