package io.warmstream.local.bench;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The merger service, checkpoint event in to version published, with the LMC guard on (its default) beside the same
 * service with the guard off: the ratio is what the guard costs per version.
 */
final class MergerBench extends ChildJvmBenchmark {

    @Override
    public String name() {
        return "merger";
    }

    @Override
    public String yardstick() {
        return "the same merger with the guard off";
    }

    @Override
    String mainClass() {
        return "io.warmstream.local.bench.merger.MergerBenchmark";
    }

    @Override
    List<String> jvmOptions(BenchOptions o) {
        return List.of("-Xmx4g");
    }

    @Override
    List<String> args(BenchOptions o) {
        return o.quick() ? List.of("--checkpoints", "3", "--guard-checkpoints", "2", "--guard-labels", "16")
                : List.of("--checkpoints", "8", "--guard-checkpoints", "3", "--guard-labels", "64");
    }

    @Override
    List<Figure> figures(RawFigures raw) {
        return List.of(
                Figure.against("checkpoint in -> version published, guard on, median",
                        raw.number("guard", "medianSeconds"), "s",
                        "guard off, median", raw.number("latency", "medianSeconds")),
                Figure.alone("backlog of checkpoints folded, guard off", raw.number("throughput", "foldsPerSecond"),
                        "folds/s"));
    }

    @Override
    Map<String, Object> facts(RawFigures raw, BenchOptions options) {
        Map<String, Object> facts = new LinkedHashMap<>();
        facts.put("architecture", "minilm-l6 shapes");
        facts.put("randomWeights", true);
        facts.put("guardHeldOutLabels", raw.number("guard", "heldOutLabels"));
        return facts;
    }
}
