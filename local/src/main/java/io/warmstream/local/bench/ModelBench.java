package io.warmstream.local.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The reward model in DJL alone: forward sequences per second and training pairs per second per trainable-layer
 * setting, 128 tokens per sequence. No yardstick of its own: the scorer and trainer benchmarks compare these paths.
 */
final class ModelBench extends ChildJvmBenchmark {

    @Override
    public String name() {
        return "model";
    }

    @Override
    public String yardstick() {
        return "none (raw DJL speed; see scorer and trainer)";
    }

    @Override
    public boolean runsOnKit() {
        return true;
    }

    @Override
    String mainClass() {
        return "io.warmstream.local.bench.model.ModelBenchmark";
    }

    @Override
    List<String> jvmOptions(BenchOptions o) {
        String model = "-Dbench.model=" + o.architecture();
        return o.quick() ? List.of("-Xmx4g", model, "-Dbench.forwardBatches=1", "-Dbench.trainSteps=1",
                "-Dbench.trainableLayers=2") : List.of("-Xmx6g", model, "-Dbench.trainableLayers=all,2");
    }

    @Override
    @SuppressWarnings("unchecked")
    List<Figure> figures(RawFigures raw) {
        List<Figure> f = new ArrayList<>();
        f.add(Figure.alone("forward, 128 tokens", raw.number("forward", "sequences_per_second"), "sequences/s"));
        Object train = raw.value("train");
        if (train instanceof List<?> settings) {
            for (Object s : settings) {
                RawFigures one = new RawFigures((Map<String, Object>) s);
                f.add(Figure.alone("training, " + ((Map<String, Object>) s).get("trainable_layers")
                        + " trainable layers, batch of " + raw.value("batch_pairs") + " pairs",
                        one.number("pairs_per_second"), "pairs/s"));
            }
        }
        return f;
    }

    @Override
    Map<String, Object> facts(RawFigures raw, BenchOptions options) {
        Map<String, Object> facts = super.facts(raw, options);
        for (String key : List.of("model", "architecture", "device", "precision", "seq_len", "batch_pairs")) {
            facts.put(key, raw.value(key));
        }
        return facts;
    }
}
