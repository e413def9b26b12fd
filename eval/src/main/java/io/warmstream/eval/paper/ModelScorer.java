package io.warmstream.eval.paper;

import io.warmstream.model.BaseModels;
import io.warmstream.model.Compute;
import io.warmstream.model.FrozenPrefixCache;
import io.warmstream.model.RewardModel;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.IntStream;

/**
 * Scores model directories on the check's data. Every model scores exactly the same sequences, truncated to the
 * training length, so members, ENS and WARM are compared on equal terms. With a {@link FrozenPrefixCache}, models
 * whose frozen bottom is the cache's (every member, average and interpolation when only top layers train) score
 * from the cached hidden states; any other model runs its whole network, and is counted.
 */
final class ModelScorer {

    /** Sequences per call to the model: small enough for frequent progress, large enough for full batches. */
    private static final int CHUNK = 512;

    private final Compute compute;
    private final int maxLength;
    private final Progress progress;
    private final FrozenPrefixCache prefix;
    private int modelsFromCache;
    private int modelsFull;

    ModelScorer(Compute compute, int maxLength, Progress progress) {
        this(compute, maxLength, progress, null);
    }

    /** {@code prefix}: null to run every model's whole network. */
    ModelScorer(Compute compute, int maxLength, Progress progress, FrozenPrefixCache prefix) {
        if (prefix != null && prefix.maxLength() != maxLength) {
            throw new IllegalArgumentException("prefix cache of " + prefix.maxLength() + " tokens, scoring at "
                    + maxLength);
        }
        this.compute = compute;
        this.maxLength = maxLength;
        this.progress = progress;
        this.prefix = prefix;
    }

    /** Model scorings that used the cache, and that ran the whole network. */
    int[] modelsFromCacheAndFull() {
        return new int[] {modelsFromCache, modelsFull};
    }

    /** Loads a model directory for scoring at the check's sequence length. */
    RewardModel load(Path dir) {
        return RewardModel.create(BaseModels.fromDirectory(dir), compute, maxLength);
    }

    ModelScores score(String name, Path dir, PairSet train, PairSet validation, PairSet ood, CandidatePool pool) {
        try (RewardModel model = load(dir)) {
            return score(name, model, train, validation, ood, pool);
        }
    }

    /** Validation pairs only (the interpolation curve). */
    PairScores scoreValidation(Path dir, PairSet validation) {
        return scoreValidation(dir, validation, true);
    }

    /** Validation pairs only; {@code useCache} false runs the whole network even when the cache applies. */
    PairScores scoreValidation(Path dir, PairSet validation, boolean useCache) {
        try (RewardModel model = load(dir)) {
            Batch batch = new Batch();
            int from = batch.addPairs(validation);
            float[] r = batch.score(model, useCache);
            return batch.pairs(r, from, validation.size());
        }
    }

    /** A best-of-N pool's candidates, [task][candidate]. */
    float[][] scorePool(Path dir, CandidatePool pool) {
        try (RewardModel model = load(dir)) {
            Batch batch = new Batch();
            for (int task = 0; task < pool.tasks(); task++) {
                for (String text : pool.texts().get(task)) {
                    batch.add(pool.prompts().get(task), text);
                }
            }
            float[] r = batch.score(model, true);
            float[][] out = new float[pool.tasks()][];
            for (int task = 0; task < pool.tasks(); task++) {
                out[task] = java.util.Arrays.copyOfRange(r, task * pool.perTask(), (task + 1) * pool.perTask());
            }
            return out;
        }
    }

    /** Several pair sets with one load of the model, in one sorted batch (the interpolation curve's points). */
    List<PairScores> scoreSets(Path dir, List<PairSet> sets) {
        try (RewardModel model = load(dir)) {
            Batch batch = new Batch();
            int[] from = new int[sets.size()];
            for (int k = 0; k < sets.size(); k++) {
                from[k] = batch.addPairs(sets.get(k));
            }
            float[] r = batch.score(model, true);
            List<PairScores> out = new ArrayList<>();
            for (int k = 0; k < sets.size(); k++) {
                out.add(batch.pairs(r, from[k], sets.get(k).size()));
            }
            return out;
        }
    }

    ModelScores score(String name, RewardModel model, PairSet train, PairSet validation, PairSet ood,
                      CandidatePool pool) {
        Batch batch = new Batch();
        int t = batch.addPairs(train);
        int v = batch.addPairs(validation);
        int o = batch.addPairs(ood);
        int c = batch.prompts.size();
        if (pool != null) {
            for (int task = 0; task < pool.tasks(); task++) {
                for (String text : pool.texts().get(task)) {
                    batch.add(pool.prompts().get(task), text);
                }
            }
        }
        float[] r = batch.score(model, true);
        float[][] bon = null;
        if (pool != null) {
            bon = new float[pool.tasks()][];
            for (int task = 0; task < pool.tasks(); task++) {
                int from = c + task * pool.perTask();
                bon[task] = java.util.Arrays.copyOfRange(r, from, from + pool.perTask());
            }
        }
        return new ModelScores(name, batch.pairs(r, t, train.size()), batch.pairs(r, v, validation.size()),
                batch.pairs(r, o, ood.size()), bon);
    }

    /** Sequences to score in one go, sorted by length before batching so that little padding is computed. */
    private final class Batch {
        final List<String> prompts = new ArrayList<>();
        final List<String> responses = new ArrayList<>();

        void add(String prompt, String response) {
            prompts.add(prompt);
            responses.add(response);
        }

        /** Adds chosen then rejected of every pair; returns the index of the first sequence. */
        int addPairs(PairSet set) {
            int from = prompts.size();
            for (int i = 0; i < set.size(); i++) {
                add(set.prompts().get(i), set.chosen().get(i));
            }
            for (int i = 0; i < set.size(); i++) {
                add(set.prompts().get(i), set.rejected().get(i));
            }
            return from;
        }

        PairScores pairs(float[] rewards, int from, int n) {
            return new PairScores(java.util.Arrays.copyOfRange(rewards, from, from + n),
                    java.util.Arrays.copyOfRange(rewards, from + n, from + 2 * n));
        }

        float[] score(RewardModel model, boolean useCache) {
            boolean cached = useCache && prefix != null && prefix.matches(model);
            if (cached) {
                modelsFromCache++;
            } else {
                modelsFull++;
            }
            int n = prompts.size();
            int[] order = IntStream.range(0, n).boxed()
                    .sorted(Comparator.comparingInt(i -> prompts.get(i).length() + responses.get(i).length()))
                    .mapToInt(Integer::intValue).toArray();
            float[] out = new float[n];
            for (int start = 0; start < n; start += CHUNK) {
                int end = Math.min(n, start + CHUNK);
                List<String> p = new ArrayList<>(end - start);
                List<String> q = new ArrayList<>(end - start);
                for (int k = start; k < end; k++) {
                    p.add(prompts.get(order[k]));
                    q.add(responses.get(order[k]));
                }
                long t0 = System.nanoTime();
                long c0 = Progress.processCpuNanos();
                float[] r = cached ? prefix.score(model, p, q) : model.score(p, q);
                if (progress != null) {
                    progress.scored(end - start, (System.nanoTime() - t0) / 1e9,
                            (Progress.processCpuNanos() - c0) / 1e9);
                }
                for (int k = start; k < end; k++) {
                    out[order[k]] = r[k - start];
                }
            }
            return out;
        }
    }
}
