package io.warmstream.local.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The scorer (its runtime in process, and the whole service over HTTP) beside onnxruntime running the shipped
 * MiniLM encoder with the same tokenizer, inputs and threads; and WARM beside ENS over the same members.
 */
final class ScorerBench extends ChildJvmBenchmark {

    @Override
    public String name() {
        return "scorer";
    }

    @Override
    public String yardstick() {
        return "onnxruntime on the same model (CPU, MiniLM-L6 shapes); ENS of the same members";
    }

    @Override
    String mainClass() {
        return "io.warmstream.local.bench.scorer.ScorerBenchmark";
    }

    @Override
    List<String> jvmOptions(BenchOptions o) {
        return o.quick()
                ? List.of("-Xmx6g", "-Dbench.seconds=1", "-Dbench.rounds=1", "-Dbench.clients=4", "-Dbench.members=2")
                : List.of("-Xmx8g", "-Dbench.seconds=6", "-Dbench.rounds=3");
    }

    @Override
    List<Figure> figures(RawFigures raw) {
        String big = raw.number("results", "backend_batch32", "rewards_per_s") != null ? "32" : "256";
        String onnx = "onnxruntime, same model and threads";
        List<Figure> f = new ArrayList<>();
        f.add(Figure.against("scorer runtime in process, batch 1", rate(raw, "backend_batch1"), "rewards/s",
                onnx + ", batch 1", rate(raw, "yardstick_batch1")));
        f.add(Figure.against("scorer runtime in process, batch " + big, rate(raw, "backend_batch" + big), "rewards/s",
                onnx + ", batch " + big, rate(raw, "yardstick_batch" + big)));
        f.add(Figure.against("HTTP WARM, concurrent clients", rate(raw, "http_warm_concurrent"), "rewards/s",
                onnx + ", as many threads at batch 1", rate(raw, "yardstick_concurrent")));
        f.add(Figure.against("HTTP WARM, concurrent clients", rate(raw, "http_warm_concurrent"), "rewards/s",
                "HTTP ENS of the members, same clients", rate(raw, "http_ens_concurrent")));
        f.add(Figure.alone("HTTP WARM, one client, p50 latency", raw.number("results", "http_warm_batch1", "p50_ms"), "ms"));
        return f;
    }

    private static Double rate(RawFigures raw, String workload) {
        return raw.number("results", workload, "rewards_per_s");
    }

    @Override
    Map<String, Object> facts(RawFigures raw, BenchOptions options) {
        Map<String, Object> facts = super.facts(raw, options);
        for (String key : List.of("model", "architecture", "device", "runtime", "mean_tokens_per_item", "settings")) {
            facts.put(key, raw.value(key));
        }
        return facts;
    }
}
