package io.warmstream.eval.paper;

import io.warmstream.eval.world.Candidate;
import io.warmstream.eval.world.CandidateProperties;
import io.warmstream.eval.world.PreferenceWorld;
import io.warmstream.eval.world.Split;
import io.warmstream.eval.world.Task;
import java.util.ArrayList;
import java.util.List;

/**
 * Best-of-N material: for each of T prompts, K candidate summaries from the world's policy, their gold rewards and
 * what they contain. Candidate i of a task depends only on (task, seed, i), so any block of consecutive candidates
 * is an independent draw of that size.
 */
public record CandidatePool(List<String> prompts, List<List<String>> texts, double[][] gold,
                            List<List<CandidateProperties>> properties) {

    /** Prompts come from this index on, so they never coincide with the held-out pairs' prompts. */
    public static final long FIRST_TASK = 1_000_000L;

    public CandidatePool {
        if (prompts.size() != texts.size() || prompts.size() != gold.length) {
            throw new IllegalArgumentException("candidate pool columns of different lengths");
        }
        prompts = List.copyOf(prompts);
        texts = texts.stream().map(List::copyOf).toList();
        properties = properties.stream().map(List::copyOf).toList();
    }

    /** One number per candidate, [task][candidate], for best-of-N profiles of the picks. */
    public double[][] property(java.util.function.ToDoubleFunction<CandidateProperties> f) {
        double[][] out = new double[tasks()][];
        for (int t = 0; t < out.length; t++) {
            out[t] = properties.get(t).stream().mapToDouble(f).toArray();
        }
        return out;
    }

    public static CandidatePool draw(PreferenceWorld world, Split split, int tasks, int perTask, long seed) {
        List<String> prompts = new ArrayList<>();
        List<List<String>> texts = new ArrayList<>();
        double[][] gold = new double[tasks][];
        List<List<CandidateProperties>> properties = new ArrayList<>();
        for (int t = 0; t < tasks; t++) {
            Task task = world.task(split, FIRST_TASK + t);
            List<Candidate> candidates = world.candidates(task, perTask, seed);
            prompts.add(task.prompt());
            texts.add(candidates.stream().map(Candidate::text).toList());
            gold[t] = candidates.stream().mapToDouble(Candidate::goldReward).toArray();
            properties.add(candidates.stream().map(Candidate::properties).toList());
        }
        return new CandidatePool(prompts, texts, gold, properties);
    }

    public int tasks() {
        return prompts.size();
    }

    public int perTask() {
        return texts.isEmpty() ? 0 : texts.get(0).size();
    }

    public int sequences() {
        return tasks() * perTask();
    }
}
