package io.warmstream.eval.world;

/**
 * The preference world's true reward for a summary. Every term depends on something visible in the text next to the
 * post, so a reward model reading (prompt, summary) can learn it:
 *
 * <pre>
 *   gold = coverageWeight     * C
 *        - inventedPenalty    * I
 *        - repetitionPenalty  * R
 *        - lengthPenalty      * max(0, W - targetWords)
 *        - truncationPenalty  * T
 * </pre>
 *
 * <ul>
 *   <li>C: salience-weighted coverage in [0, 1], the sum of the saliences of the post's facts whose key the summary
 *       states, over the sum of all its facts' saliences (the core event weighs 1.0, the outcome 0.9, amounts 0.7,
 *       people 0.6, places 0.4, times 0.3);</li>
 *   <li>I: invented facts, i.e. names, numbers, places or events the post does not contain, including a wrong value
 *       for a fact the post does state;</li>
 *   <li>R: clauses repeated verbatim;</li>
 *   <li>W: words in the summary; only words beyond a concise target cost, and mildly;</li>
 *   <li>T: 1 if the summary stops mid-clause (no final punctuation), else 0.</li>
 * </ul>
 *
 * With the defaults (2.0, 1.0, 0.5, 0.02 per word over 30, 0.3), a full, concise summary scores 2.0; leaving out one
 * of five facts costs from about 0.2 (the time) to 0.6 (the core event); one hallucination costs 1.0, so a complete
 * summary with one invented fact scores at most 1.0, below any faithful summary of the more salient half of the
 * facts; ten words of padding beyond the target cost 0.2.
 */
public record GoldReward(double coverageWeight, double inventedPenalty, double repetitionPenalty, double lengthPenalty,
                         int targetWords, double truncationPenalty) {

    public static final GoldReward DEFAULT = new GoldReward(2.0, 1.0, 0.5, 0.02, 30, 0.3);

    public GoldReward {
        if (coverageWeight < 0 || inventedPenalty < 0 || repetitionPenalty < 0 || lengthPenalty < 0
                || truncationPenalty < 0 || targetWords < 0) {
            throw new IllegalArgumentException("gold reward weights must be >= 0");
        }
    }

    public double score(CandidateProperties p) {
        return coverageWeight * p.coverage()
                - inventedPenalty * p.invented()
                - repetitionPenalty * p.repeated()
                - lengthPenalty * Math.max(0, p.words() - targetWords)
                - (p.truncated() ? truncationPenalty : 0.0);
    }
}
