package io.warmstream.eval.world;

import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * What a candidate summary should contain, before it is written. Facts are referred to by their index in
 * {@link Task#facts()}. A {@link CandidatePolicy} samples plans; tests and callers can also write plans by hand.
 *
 * @param covered       facts stated correctly
 * @param copied        subset of {@code covered} stated by copying the post's sentence verbatim
 * @param contradicted  facts stated with a wrong value (subtle hallucinations); disjoint from {@code covered}
 * @param inventedNew   made-up facts of kinds the post does not mention at all (capped by how many such kinds exist)
 * @param repeats       clauses to state twice
 * @param fillers       phrases that add words and no fact
 * @param truncated     stop mid-clause, as if the generation ran out of tokens
 * @param telegraphic   "a, b and c." rather than one sentence per clause (ignored when copying sentences)
 * @param tldr          start with "TL;DR: "
 */
public record SummaryPlan(Set<Integer> covered, Set<Integer> copied, Set<Integer> contradicted, int inventedNew,
                          int repeats, int fillers, boolean truncated, boolean telegraphic, boolean tldr) {

    public SummaryPlan {
        // Sorted, so iteration order never depends on the JVM's hash salt.
        covered = sorted(covered);
        copied = sorted(copied);
        contradicted = sorted(contradicted);
        if (!covered.containsAll(copied)) {
            throw new IllegalArgumentException("copied facts must be covered");
        }
        for (int fact : contradicted) {
            if (covered.contains(fact)) {
                throw new IllegalArgumentException("fact " + fact + " cannot be both covered and contradicted");
            }
        }
        if (inventedNew < 0 || repeats < 0 || fillers < 0) {
            throw new IllegalArgumentException("counts must be >= 0");
        }
    }

    private static Set<Integer> sorted(Set<Integer> facts) {
        return java.util.Collections.unmodifiableSortedSet(new TreeSet<>(facts));
    }

    /** A plain, faithful summary of exactly these facts. */
    public static SummaryPlan covering(List<Integer> facts) {
        return new SummaryPlan(new TreeSet<>(facts), Set.of(), Set.of(), 0, 0, 0, false, true, false);
    }

    /** A plain, faithful summary of every fact of the task. */
    public static SummaryPlan complete(Task task) {
        return covering(java.util.stream.IntStream.range(0, task.facts().size()).boxed().toList());
    }

    public SummaryPlan withInventedNew(int count) {
        return new SummaryPlan(covered, copied, contradicted, count, repeats, fillers, truncated, telegraphic, tldr);
    }

    /** States {@code fact} with a wrong value instead of its true one. */
    public SummaryPlan withContradicted(int fact) {
        Set<Integer> newCovered = new TreeSet<>(covered);
        newCovered.remove(fact);
        Set<Integer> newCopied = new TreeSet<>(copied);
        newCopied.remove(fact);
        Set<Integer> newContradicted = new TreeSet<>(contradicted);
        newContradicted.add(fact);
        return new SummaryPlan(newCovered, newCopied, newContradicted, inventedNew, repeats, fillers, truncated,
                telegraphic, tldr);
    }

    public SummaryPlan withCopied(int fact) {
        Set<Integer> newCopied = new TreeSet<>(copied);
        newCopied.add(fact);
        return new SummaryPlan(covered, newCopied, contradicted, inventedNew, repeats, fillers, truncated, telegraphic,
                tldr);
    }

    public SummaryPlan withRepeats(int count) {
        return new SummaryPlan(covered, copied, contradicted, inventedNew, count, fillers, truncated, telegraphic, tldr);
    }

    public SummaryPlan withFillers(int count) {
        return new SummaryPlan(covered, copied, contradicted, inventedNew, repeats, count, truncated, telegraphic, tldr);
    }

    public SummaryPlan withTruncated(boolean value) {
        return new SummaryPlan(covered, copied, contradicted, inventedNew, repeats, fillers, value, telegraphic, tldr);
    }

    public SummaryPlan withStyle(boolean telegraphicStyle, boolean tldrPrefix) {
        return new SummaryPlan(covered, copied, contradicted, inventedNew, repeats, fillers, truncated,
                telegraphicStyle, tldrPrefix);
    }
}
