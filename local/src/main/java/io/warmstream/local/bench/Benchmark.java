package io.warmstream.local.bench;

import java.util.List;
import java.util.Map;

/**
 * One benchmark of {@code warm bench}: it measures one part of the system side by side with its yardstick in the
 * same run and returns the figures the table shows, plus everything it measured ({@code raw}).
 */
public interface Benchmark {

    /** Short name: the --only value and the result file's name (bench/results/NAME.json). */
    String name();

    /** What the figures are compared with, in words (e.g. "raw-bytes producer, same sizes and keys"). */
    String yardstick();

    Outcome run(BenchOptions options) throws Exception;

    /**
     * True when its measuring code runs on the bench kit's classpath (see BenchKit; with libtorch's jars, and the
     * weights' unless with random weights), not on all of {@code ./warm}'s: every run then proves the kit is enough.
     */
    default boolean runsOnKit() {
        return false;
    }

    /** The classpath its measuring code runs on: the jars its result records. */
    default String classpath(BenchOptions options) {
        return runsOnKit() ? BenchKit.ofThisJvm().classpath(!options.randomWeights(), true)
                : System.getProperty("java.class.path");
    }

    /**
     * @param figures the rows of the figures table
     * @param raw     the benchmark's own JSON, kept whole in the result file
     * @param facts   what was measured on what: model, architecture, device, settings, a source file
     */
    record Outcome(List<Figure> figures, Map<String, Object> raw, Map<String, Object> facts) {
        public Outcome {
            figures = List.copyOf(figures);
        }
    }
}
