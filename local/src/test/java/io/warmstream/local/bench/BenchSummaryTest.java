package io.warmstream.local.bench;

import org.junit.jupiter.api.Test;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

class BenchSummaryTest {

    @Test
    void takesEachNamedFigureFromItsResultWithThatFilesMachine() {
        Map<String, Object> report = streamReport();
        Benchmark.Outcome freshness = FreshnessBench.fromReport(report, "eval/results/stream-cpu/report.json");
        ResultFiles.Result fresh = withSummary("freshness.json", freshness, Map.of("cores", 2, "loadAverageAtStart", 1.3));
        ResultFiles.Result trainer = withSummary("trainer.json",
                new Benchmark.Outcome(List.of(), Map.of(), Map.of("summary", Map.of("trainer_cached_vs_uncached", 3.41))),
                Map.of("cores", 2, "loadAverageAtStart", 0.4));
        ResultFiles.Result ingest = BenchmarksTableTest.result("ingest.json", "ingest", false, 1, 1);

        Map<String, Object> s = BenchSummary.build(List.of(fresh, ingest, trainer));

        assertEquals(41.0565, s.get("checkpoint_to_served_p50_s"));
        assertEquals(386.506, s.get("newest_label_age_p50_s"));
        assertEquals(172.0725, s.get("training_time_p50_s"));
        assertEquals(1, s.get("max_queued_jobs_per_trainer"));
        assertEquals(33.1, s.get("demo_minutes"));
        assertEquals(3.41, s.get("trainer_cached_vs_uncached"));
        assertEquals(List.copyOf(BenchSummary.NAMES), List.copyOf(s.keySet()).subList(0, BenchSummary.NAMES.size()));
        Map<?, ?> sources = (Map<?, ?>) s.get("sources");
        assertEquals("freshness.json", sources.get("demo_minutes"));
        assertEquals("trainer.json", sources.get("trainer_cached_vs_uncached"));
        Map<?, ?> machines = (Map<?, ?>) s.get("machine");
        assertEquals(1.3, ((Map<?, ?>) machines.get("freshness.json")).get("loadAverageAtStart"));
        assertEquals(0.4, ((Map<?, ?>) machines.get("trainer.json")).get("loadAverageAtStart"));
    }

    @Test
    void aFigureNoResultHasIsNull() {
        Map<String, Object> s = BenchSummary.build(List.of());
        for (String name : BenchSummary.NAMES) {
            assertNull(s.get(name), name);
        }
    }

    @Test
    void freshnessFiguresCompareLabelAgeWithTrainingTime() {
        Benchmark.Outcome o = FreshnessBench.fromReport(streamReport(), "r.json");
        Figure age = o.figures().get(0);
        assertEquals(386.506, age.value());
        assertEquals(172.0725, age.yardstickValue());
        assertEquals(386.506 / 172.0725, age.ratio(), 1e-12);
        assertEquals("r.json", o.facts().get("source"));
        Map<?, ?> machine = (Map<?, ?>) o.facts().get("measuredOn");
        assertEquals(1.33, machine.get("loadAverageAtStart"));
        assertEquals(2.02, machine.get("loadAverageAtEnd"));
    }

    @Test
    void checkpointToServedIsSplitIntoTheMergersAndTheScorersShare() {
        Map<String, Object> report = streamReport();
        @SuppressWarnings("unchecked")
        Map<String, Object> uniform = (Map<String, Object>) ((Map<String, Object>) report.get("strategies")).get("uniform");
        uniform.put("served", List.of(
                Map.of("version", 1, "checkpointToServedMs", 6500, "publishedToServedMs", 2700),
                Map.of("version", 2, "checkpointToServedMs", 10900, "publishedToServedMs", 2500),
                Map.of("version", 5, "checkpointToServedMs", 4500, "publishedToServedMs", 1900),
                Map.of("version", 6, "checkpointToServedMs", 5000)));
        Benchmark.Outcome o = FreshnessBench.fromReport(report, "r.json");
        Map<String, Double> byName = new LinkedHashMap<>();
        o.figures().forEach(f -> byName.put(f.what(), f.value()));
        // merger: 3.8, 8.4, 2.6 (version 6 has no published time) -> 3.8; scorer: 2.7, 2.5, 1.9 -> 2.5
        assertEquals(3.8, byName.get("checkpoint to published (the merger), median"));
        assertEquals(2.5, byName.get("published to served (the scorer's load), median"));
        assertNull(FreshnessBench.medianSeconds(List.of(), "checkpointToServedMs", null));
    }

    private static ResultFiles.Result withSummary(String file, Benchmark.Outcome o, Map<String, Object> machine) {
        Map<String, Object> c = new LinkedHashMap<>();
        c.put("benchmark", file.replace(".json", ""));
        c.put("summary", o.facts().get("summary"));
        c.put("machine", machine);
        return new ResultFiles.Result(file, c);
    }

    /** The shape of a stream report (figures of eval/results/stream-cpu). */
    private static Map<String, Object> streamReport() {
        Map<String, Object> freshness = new LinkedHashMap<>();
        freshness.put("served_versions", 8);
        freshness.put("checkpoint_to_served_p50_s", 41.0565);
        freshness.put("newest_label_age_p50_s", 386.506);
        freshness.put("training_time_p50_s", 172.0725);
        freshness.put("queue_wait_p50_s", 136.96);
        freshness.put("max_queued_jobs_per_trainer", 1);
        Map<String, Object> uniform = new LinkedHashMap<>();
        uniform.put("summary", Map.of("wall_minutes", 33.08));
        uniform.put("freshness", freshness);
        uniform.put("served", List.of());
        Map<String, Object> report = new LinkedHashMap<>();
        report.put("command", "./warm eval --stream --preset cpu --out eval/results/stream-cpu");
        report.put("machine", new LinkedHashMap<>(Map.of("cores", 2, "loadAverage", 1.33, "device", "cpu")));
        report.put("machineAtEnd", Map.of("loadAverage", 2.02));
        report.put("strategies", Map.of("uniform", uniform));
        return report;
    }
}
