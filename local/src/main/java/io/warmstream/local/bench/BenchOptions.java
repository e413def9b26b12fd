package io.warmstream.local.bench;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * What {@code warm bench} was asked for.
 *
 * @param quick            small sizes, to check that every benchmark works (figures not for publishing)
 * @param architecture     base model name or architecture (minilm-l6, bert-base, ...)
 * @param randomWeights    randomly initialised weights of that architecture instead of the pretrained ones
 * @param outDir           where the result files go (bench/results)
 * @param freshnessTime    how long the freshness benchmark's stream run may take
 * @param freshnessFrom    an existing stream report to take the freshness figures from, instead of running one
 * @param command          the command line, recorded in every result
 */
public record BenchOptions(boolean quick, String architecture, boolean randomWeights, Path outDir,
                           Duration freshnessTime, Path freshnessFrom, String command) {

    /** The system properties that tell a benchmark's JVM which model to use (see RandomArchitectures). */
    public List<String> modelProperties() {
        return modelProperties(architecture, String.valueOf(randomWeights));
    }

    /** The same with the values as text: the bench kit's script writes shell variables there. */
    static List<String> modelProperties(String architecture, String randomWeights) {
        List<String> p = new ArrayList<>();
        p.add("-Dwarm.bench.architecture=" + architecture);
        p.add("-Dwarm.bench.randomWeights=" + randomWeights);
        return p;
    }
}
