package io.warmstream.local.bench;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The benchmarks {@code warm bench} starts in a child JVM by class name: a moved class must not break them. */
class ChildJvmBenchmarksTest {

    @Test
    void everyChildJvmBenchmarkNamesAMainThatExists() throws Exception {
        List<ChildJvmBenchmark> benchmarks = BenchmarkCatalogue.all(System.out).values().stream()
                .filter(ChildJvmBenchmark.class::isInstance).map(ChildJvmBenchmark.class::cast).toList();
        assertTrue(benchmarks.size() >= 5, "fold, ingest, merger, trainer, scorer, model: " + benchmarks);
        for (ChildJvmBenchmark b : benchmarks) {
            Method main = Class.forName(b.mainClass()).getMethod("main", String[].class);
            assertTrue(Modifier.isStatic(main.getModifiers()), b.name() + ": " + b.mainClass());
        }
    }

    @Test
    void theFoldBenchmarkRunsInItsChildJvmAndGivesItsFigures(@TempDir Path out) throws Exception {
        BenchOptions quick = new BenchOptions(true, "minilm-l6", true, out, Duration.ofMinutes(1), null, "test");
        Benchmark.Outcome outcome = new FoldBench().run(quick);
        assertEquals(2, outcome.figures().size(), outcome.figures().toString());
        for (Figure f : outcome.figures()) {
            assertNotNull(f.value(), f.toString());
            assertTrue(f.value() > 0, f.toString());
            assertNotNull(f.yardstickValue(), f.toString());
        }
        assertEquals("io.warmstream.local.bench.fold.FoldBenchmark", outcome.facts().get("mainClass"));
        assertFalse(outcome.raw().isEmpty());
    }
}
