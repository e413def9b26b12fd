package io.warmstream.local.bench;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Folding one MiniLM-sized model into the average (file I/O and fsync included) beside copying one weights file. */
final class FoldBench extends ChildJvmBenchmark {

    @Override
    public String name() {
        return "fold";
    }

    @Override
    public String yardstick() {
        return "copying one member's weights file and forcing it to disk";
    }

    @Override
    String mainClass() {
        return "io.warmstream.local.bench.fold.FoldBenchmark";
    }

    @Override
    List<String> jvmOptions(BenchOptions o) {
        return List.of("-Xmx96m"); // the fold streams chunk by chunk: it must fit in this heap
    }

    @Override
    List<String> args(BenchOptions o) {
        return List.of("--folds", o.quick() ? "2" : "7");
    }

    @Override
    List<Figure> figures(RawFigures raw) {
        return List.of(
                Figure.against("uniform fold of one MiniLM-sized model, median", raw.number("uniform", "medianSeconds"),
                        "s", "copy + fsync of one weights file, median", raw.number("copyAndFsync", "medianSeconds")),
                Figure.against("SLERP+LITI fold, median", raw.number("slerpLiti", "medianSeconds"), "s",
                        "copy + fsync of one weights file, median", raw.number("copyAndFsync", "medianSeconds")));
    }

    @Override
    Map<String, Object> facts(RawFigures raw, BenchOptions options) {
        // Random weights with MiniLM-L6's shapes whatever --architecture says: folding cost depends on size alone.
        Map<String, Object> facts = new LinkedHashMap<>();
        facts.put("architecture", "minilm-l6 shapes");
        facts.put("randomWeights", true);
        facts.put("parameters", raw.value("parameters"));
        return facts;
    }
}
