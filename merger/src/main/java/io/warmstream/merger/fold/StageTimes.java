package io.warmstream.merger.fold;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * Where one checkpoint's time went on its way to a version, in seconds: vetting (fetch, manifest, the current
 * average), the fold, the held-out checks (LMC guard and quality gate) and writing the version to the store. Why:
 * checkpoint-to-served is a freshness figure users watch, and the log line and the per-stage timer say which step
 * to look at when it grows.
 */
public record StageTimes(double vetSeconds, double foldSeconds, double checksSeconds, double writeSeconds) {

    /** A version that was not folded (a rollback): no stage ran. */
    public static final StageTimes NONE = new StageTimes(0, 0, 0, 0);

    /** Stage name to seconds, in pipeline order (the names tag the merger's stage timer). */
    public Map<String, Double> byStage() {
        Map<String, Double> m = new LinkedHashMap<>();
        m.put("vet", vetSeconds);
        m.put("fold", foldSeconds);
        m.put("checks", checksSeconds);
        m.put("write", writeSeconds);
        return m;
    }

    /** These times with the write's. */
    public StageTimes withWriteSeconds(double seconds) {
        return new StageTimes(vetSeconds, foldSeconds, checksSeconds, seconds);
    }

    public String describe() {
        return String.format(Locale.ROOT, "vet %.2f s, fold %.2f s, held-out checks %.2f s, write %.2f s",
                vetSeconds, foldSeconds, checksSeconds, writeSeconds);
    }

    /** Seconds since {@code startNanos}. */
    static double since(long startNanos) {
        return (System.nanoTime() - startNanos) / 1e9;
    }
}
