package io.warmstream.eval.paper;

import io.warmstream.eval.world.Candidate;
import io.warmstream.eval.world.PreferenceWorld;
import io.warmstream.eval.world.Split;
import io.warmstream.eval.world.Task;
import java.util.ArrayList;
import java.util.List;

/**
 * Best-of-N material: for each of T prompts, K candidate summaries from the world's policy and their gold rewards.
 * Candidate i of a task depends only on (task, seed, i), so any block of consecutive candidates is an independent
 * draw of that size.
 */
public record CandidatePool(List<String> prompts, List<List<String>> texts, double[][] gold) {

    /** Prompts come from this index on, so they never coincide with the held-out pairs' prompts. */
    public static final long FIRST_TASK = 1_000_000L;

    public CandidatePool {
        if (prompts.size() != texts.size() || prompts.size() != gold.length) {
            throw new IllegalArgumentException("candidate pool columns of different lengths");
        }
        prompts = List.copyOf(prompts);
        texts = texts.stream().map(List::copyOf).toList();
    }

    public static CandidatePool draw(PreferenceWorld world, Split split, int tasks, int perTask, long seed) {
        List<String> prompts = new ArrayList<>();
        List<List<String>> texts = new ArrayList<>();
        double[][] gold = new double[tasks][];
        for (int t = 0; t < tasks; t++) {
            Task task = world.task(split, FIRST_TASK + t);
            List<Candidate> candidates = world.candidates(task, perTask, seed);
            prompts.add(task.prompt());
            texts.add(candidates.stream().map(Candidate::text).toList());
            gold[t] = candidates.stream().mapToDouble(Candidate::goldReward).toArray();
        }
        return new CandidatePool(prompts, texts, gold);
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
