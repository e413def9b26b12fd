package io.warmstream.local.bench;

import java.util.List;

/** Labels per second into the embedded broker: the service's Avro producer beside a raw-bytes producer. */
final class IngestBench extends ChildJvmBenchmark {

    @Override
    public String name() {
        return "ingest";
    }

    @Override
    public String yardstick() {
        return "raw-bytes producer: same value sizes, keys and producer settings";
    }

    @Override
    String mainClass() {
        return "io.warmstream.local.bench.ingest.IngestBenchmark";
    }

    @Override
    List<String> jvmOptions(BenchOptions o) {
        return o.quick()
                ? List.of("-Xmx2g", "-Dbench.labels=20000", "-Dbench.rounds=2", "-Dbench.httpLabels=5000",
                        "-Dbench.topologyLabels=5000")
                : List.of("-Xmx4g");
    }

    @Override
    List<Figure> figures(RawFigures raw) {
        return List.of(
                Figure.against("Avro labels through the service's producer, median round",
                        raw.number("directAvro", "labelsPerSecMedian"), "labels/s",
                        "raw-bytes producer, median round", raw.number("rawBaseline", "labelsPerSecMedian")),
                Figure.alone("HTTP POST /v1/preferences, validation topology running",
                        raw.number("http", "labelsPerSec"), "labels/s"),
                Figure.alone("validation topology alone, working off a backlog",
                        raw.number("topology", "labelsPerSec"), "labels/s"));
    }
}
