package io.warmstream.eval.world;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.TreeSet;

/**
 * A simulated summarisation policy: samples {@link SummaryPlan}s of varied quality. Each candidate first draws its
 * own quality q, then covers each fact with a probability rising with q and the fact's salience, and sometimes
 * hallucinates, repeats, pads, copies or stops mid-sentence.
 *
 * <p>{@code shift} in [0, 1] moves the policy away from the training distribution toward a stronger, wordier policy:
 * q is drawn from [0.15 + 0.65 shift, 1] (candidates cover more and are closer to each other in quality),
 * hallucinations get rarer (35% of candidates at shift 0, 21% at shift 1) and become mostly subtle wrong values of
 * stated facts rather than made-up extra facts, and outputs get longer (more fillers and copied sentences) while
 * repetition and truncation get rarer.
 */
final class CandidatePolicy {
    private final double shift;

    CandidatePolicy(double shift) {
        if (shift < 0 || shift > 1) {
            throw new IllegalArgumentException("shift must be in [0, 1], got " + shift);
        }
        this.shift = shift;
    }

    SummaryPlan sample(Task task, SplittableRandom rng) {
        double quality = 0.15 + 0.65 * shift + rng.nextDouble() * (0.85 - 0.65 * shift);
        Set<Integer> covered = new TreeSet<>();
        for (int i = 0; i < task.facts().size(); i++) {
            double p = quality * (0.55 + 0.5 * task.facts().get(i).salience());
            if (rng.nextDouble() < p) {
                covered.add(i);
            }
        }
        Set<Integer> contradicted = new TreeSet<>();
        int inventedNew = 0;
        if (rng.nextDouble() < 0.35 * (1 - 0.4 * shift)) {
            int hallucinations = rng.nextDouble() < 0.75 + 0.2 * shift ? 1 : 2;
            for (int h = 0; h < hallucinations; h++) {
                if (rng.nextDouble() < 0.25 + 0.7 * shift) {
                    int fact = pickContradiction(task, covered, contradicted, rng);
                    covered.remove(fact);
                    contradicted.add(fact);
                } else {
                    inventedNew++;
                }
            }
        }
        Set<Integer> copied = new TreeSet<>();
        for (int fact : covered) {
            if (rng.nextDouble() < 0.08 + 0.15 * shift) {
                copied.add(fact);
            }
        }
        int repeats = rng.nextDouble() < 0.15 * (1 - 0.6 * shift) ? (rng.nextDouble() < 0.2 ? 2 : 1) : 0;
        int fillers = (rng.nextDouble() < shift ? 1 : 0) + poisson(0.5 + 1.5 * shift, rng);
        boolean truncated = rng.nextDouble() < 0.06 * (1 - 0.5 * shift);
        return new SummaryPlan(covered, copied, contradicted, inventedNew, repeats, fillers, truncated,
                rng.nextBoolean(), rng.nextDouble() < 0.3);
    }

    /** Prefers a fact the candidate would otherwise have stated correctly: the subtle kind of hallucination. */
    private static int pickContradiction(Task task, Set<Integer> covered, Set<Integer> contradicted,
                                         SplittableRandom rng) {
        List<Integer> options = new ArrayList<>(covered);
        if (options.isEmpty()) {
            for (int i = 0; i < task.facts().size(); i++) {
                if (!contradicted.contains(i)) {
                    options.add(i);
                }
            }
        }
        return options.isEmpty() ? rng.nextInt(task.facts().size()) : Phrasing.pick(options, rng);
    }

    private static int poisson(double mean, SplittableRandom rng) {
        double limit = Math.exp(-mean);
        double product = rng.nextDouble();
        int count = 0;
        while (product > limit) {
            product *= rng.nextDouble();
            count++;
        }
        return count;
    }
}
