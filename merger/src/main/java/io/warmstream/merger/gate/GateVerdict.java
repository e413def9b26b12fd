package io.warmstream.merger.gate;

/**
 * What the quality gate decided about one candidate.
 *
 * @param compared             a paired comparison with the served version was made
 * @param withheld             the candidate is recorded but not served
 * @param detail               one line for the log
 * @param comparedWith         the served version compared with (null when not compared)
 * @param comparison           the paired figures (null when not compared)
 * @param candidateRankedRight the candidate's per-pair results the gate used, or null if it did not score it
 */
public record GateVerdict(boolean compared, boolean withheld, String detail, Long comparedWith,
                          PairedComparison comparison, boolean[] candidateRankedRight) {

    /** No comparison: the candidate is served. */
    static GateVerdict notCompared(String why, boolean[] candidateRankedRight) {
        return new GateVerdict(false, false, why, null, null, candidateRankedRight);
    }

    /** No comparison, and not served: {@code why} is the recorded reason. */
    static GateVerdict withheldUncompared(String why, boolean[] candidateRankedRight) {
        return new GateVerdict(false, true, why, null, null, candidateRankedRight);
    }
}
