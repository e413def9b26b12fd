package io.warmstream.local.bench;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Training pairs per second with the trainer's frozen-bottom feature cache beside the uncached trainer, same job,
 * same device, rounds interleaved; and how far the cached rewards are from the whole network's.
 */
final class TrainerBench extends ChildJvmBenchmark {

    @Override
    public String name() {
        return "trainer";
    }

    @Override
    public String yardstick() {
        return "the uncached trainer on the same job";
    }

    @Override
    public boolean runsOnKit() {
        return true;
    }

    @Override
    String mainClass() {
        return "io.warmstream.local.bench.trainer.FeatureCacheBenchmark";
    }

    @Override
    List<String> jvmOptions(BenchOptions o) {
        String model = "-Dbench.model=" + o.architecture();
        return o.quick() ? List.of("-Xmx4g", model, "-Dbench.pairs=16", "-Dbench.epochs=2", "-Dbench.rounds=1")
                : List.of("-Xmx6g", model);
    }

    @Override
    List<Figure> figures(RawFigures raw) {
        return List.of(
                Figure.against("training with the feature cache, whole job", raw.number("cachedPairsPerSecond"),
                        "pairs/s", "uncached, same job", raw.number("uncachedPairsPerSecond")),
                Figure.against("epochs after the first (cache filled)", raw.number("cachedLaterEpochsPairsPerSecond"),
                        "pairs/s", "uncached, same epochs", raw.number("uncachedLaterEpochsPairsPerSecond")),
                Figure.against("largest reward difference, cached vs whole network",
                        raw.number("maxAbsRewardDiffCachedVsWholeNetworkScoring"), "",
                        "whole network, one batch vs one sequence at a time",
                        raw.number("maxAbsRewardDiffWholeNetworkBatchedVsOneByOne")),
                // Where the difference comes from: the top path's own arithmetic, run on every layer (no cached bottom).
                Figure.against("largest reward difference, the top path on every layer vs whole network",
                        raw.number("maxAbsRewardDiffTopPathOnEveryLayerVsWholeNetwork"), "",
                        "cached vs whole network", raw.number("maxAbsRewardDiffCachedVsWholeNetworkScoring")));
    }

    @Override
    Map<String, Object> facts(RawFigures raw, BenchOptions options) {
        Map<String, Object> facts = super.facts(raw, options);
        for (String key : List.of("model", "architecture", "device", "trainableLayers", "batchPairs", "seqLen", "epochs")) {
            facts.put(key, raw.value(key));
        }
        Double cached = raw.number("cachedPairsPerSecond");
        Double uncached = raw.number("uncachedPairsPerSecond");
        Map<String, Object> summary = new LinkedHashMap<>();
        summary.put("trainer_cached_vs_uncached",
                cached == null || uncached == null ? null : Math.round(cached / uncached * 100) / 100.0);
        facts.put("summary", summary);
        return facts;
    }
}
