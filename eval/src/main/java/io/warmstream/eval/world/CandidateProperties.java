package io.warmstream.eval.world;

/**
 * What a candidate summary contains, as measured on its final text.
 *
 * @param covered    facts of the post stated in full (their key appears)
 * @param omitted    facts of the post not stated ({@code facts - covered})
 * @param coverage   salience-weighted share of the post's facts covered, in [0, 1]
 * @param invented   distinct facts stated that the post does not contain (wrong values or made-up details)
 * @param repeated   extra copies of clauses already stated
 * @param copied     post sentences copied verbatim
 * @param fillers    phrases that add words but no fact
 * @param words      whitespace-separated words
 * @param truncated  the text stops mid-clause
 * @param coveredFacts   indices into {@link Task#facts()} of the covered facts, ascending
 * @param inventedFacts  the invented facts as worded in the summary (each absent from the post)
 */
public record CandidateProperties(int covered, int omitted, double coverage, int invented, int repeated, int copied,
                                  int fillers, int words, boolean truncated, java.util.List<Integer> coveredFacts,
                                  java.util.List<String> inventedFacts) {

    public CandidateProperties {
        coveredFacts = java.util.List.copyOf(coveredFacts);
        inventedFacts = java.util.List.copyOf(inventedFacts);
    }
}
