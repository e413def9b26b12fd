package io.warmstream.eval.world;

/**
 * A candidate summary with its known gold reward.
 *
 * @param text        the summary
 * @param goldReward  {@link GoldReward#score(CandidateProperties)} of {@code properties}
 * @param properties  what the text contains
 */
public record Candidate(String text, double goldReward, CandidateProperties properties) {
}
