package io.warmstream.eval.report;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;
import java.util.Map;

/**
 * Every number of one paper check, as written to {@code report.json}.
 *
 * @param settings    the settings, by name (enough to reproduce the run)
 * @param environment device, cores, base model, timings
 * @param noise       one experiment per flip fraction
 * @param cost        ENS against WARM at inference
 * @param claims      the paper's claims, each with its estimate, standard error, verdict and detectable effect
 * @param truncation  per split, the share of pairs cut by the token budget and the length 99% of them fit in
 *                    (null in reports written before it existed)
 * @param rl          the RL stand-in: KL-regularised policies of WARM, ENS and the best single RM compared at matched
 *                    KL (null in reports written before it existed)
 */
public record PaperResults(Map<String, Object> settings, Map<String, Object> environment, List<NoiseResult> noise,
                           Cost cost, List<Claim> claims, Map<String, Object> truncation, Rl rl) {

    /**
     * The RL stand-in (see {@code RlStandIn}). The headline is the first (lowest) noise level at KL {@code kl}:
     * the win rate of WARM's policy over the best single RM's with its 95% interval, next to the paper's.
     *
     * @param seeds     training seeds pooled
     * @param prompts   prompts of the candidate pool (the items of the bootstrap)
     * @param candidates candidates per prompt (the base policy's draws; the largest KL is log of it)
     * @param shiftedPolicy the same on the shifted policy's candidates for unseen topics (null if not measured)
     */
    public record Rl(@JsonProperty("win_rate") double winRate, @JsonProperty("win_rate_ci_low") double winRateCiLow,
                     @JsonProperty("win_rate_ci_high") double winRateCiHigh, double kl, String level,
                     @JsonProperty("paper_win_rate") double paperWinRate, int seeds, int prompts, int candidates,
                     String method, List<RlLevel> levels, List<RlLevel> shiftedPolicy) {
    }

    /**
     * One noise level of the RL stand-in: at KL {@code kl}, WARM's win rates (95% intervals) over the best single
     * RM's and ENS's policies; and the gold reward against KL for the three proxies.
     */
    public record RlLevel(double flipFraction, String level, double kl, double winRateVsBestSingle,
                          double winRateVsBestSingleCiLow, double winRateVsBestSingleCiHigh, double winRateVsEns,
                          double winRateVsEnsCiLow, double winRateVsEnsCiHigh, List<RlPoint> curve) {
    }

    /**
     * Expected gold reward (± bootstrap SE) of each proxy's tilted policy at one KL; {@code base}: the base policy's
     * (KL 0, the random baseline); {@code warmWinRateVsBestSingle} with its SE.
     */
    public record RlPoint(double kl, double base, double bestSingle, double bestSingleSe, double ens, double ensSe,
                          double warm, double warmSe, double warmWinRateVsBestSingle,
                          double warmWinRateVsBestSingleSe) {
    }

    /**
     * Everything measured at one label-noise level (for the first training seed; the claims pool every seed).
     *
     * @param bestSingle 1-based index of the member with the best label accuracy on the selection pairs (a split
     *                   of its own: it is never scored on the pairs it was chosen on)
     * @param flippedPairsWrongStderr standard error over the flipped pairs of {@code flippedPairsWrong} at M = max,
     *                   by model: "lpOnly", "meanMember", "ens", "warm"
     * @param shiftedBestOfN best-of-N on candidates of the shifted policy for unseen topics (null if not measured)
     */
    public record NoiseResult(double flipFraction, int trainPairs, int flippedTrainPairs, int checkedPairs,
                              Map<String, Object> head, SetMeasures lpOnly, List<Member> members, int bestSingle,
                              List<ByM> byM, List<BestOfNPoint> bestOfN, Interpolation interpolation,
                              Diversity diversity, Sanity sanity, Map<String, Double> flippedPairsWrongStderr,
                              Controls controls, List<ShiftPoint> shift, List<BestOfNPoint> shiftedBestOfN) {
    }

    /**
     * One set of the shift sweep (null list in reports written before it): accuracy vs gold of WARM, ENS, the members'
     * mean and the best single member on pairs of seen or unseen topics whose responses come from a policy shifted by
     * {@code policyShift}; gold margins matched to the seen-topic, unshifted set ({@code meanAbsGoldMargin} after
     * matching, {@code unmatchedMeanAbsGoldMargin} before). Differences: {paired estimate, SE over pairs}.
     */
    public record ShiftPoint(String topics, double policyShift, int pairs, double meanAbsGoldMargin,
                             double unmatchedMeanAbsGoldMargin, double warm, double ens, double meanMember,
                             double bestSingle, double[] warmMinusEns, double[] warmMinusMembers,
                             double[] warmMinusBestSingle) {
    }

    /**
     * M-scaling over random subsets of members, and the two controls (null in reports written before them).
     *
     * @param mScaling      ENS and WARM by number of members, averaged over random subsets of that size
     * @param shrunkMember  1-based index of the best single member, the one shrunk
     * @param shrinkFactor  |tau_WARM| / |tau_member|: the member's task vector is scaled by it
     * @param shrunk        measures of init + factor * (member - init)
     * @param warm          WARM of all members (for comparison)
     * @param ensStandardised ENS of the members' rewards standardised on the selection pairs
     * @param ens           plain ENS of all members (for comparison)
     */
    public record Controls(List<MScalingPoint> mScaling, int shrunkMember, double shrinkFactor, SetMeasures shrunk,
                           SetMeasures warm, SetMeasures ensStandardised, SetMeasures ens) {
    }

    /**
     * ENS and WARM of m members averaged over {@code subsets} random subsets (m = 1: each member; m = M: all);
     * {@code warmMinusEnsOod} and {@code warmMinusEnsValidation}: {paired difference, SE over items}.
     */
    public record MScalingPoint(int m, int subsets, double warmValidation, double ensValidation, double warmOod,
                                double ensOod, double[] warmMinusEnsOod, double[] warmMinusEnsValidation) {
    }

    /** One fine-tuned member: its recipe (1-based index, seed, learning rate, dropout), training facts, measures. */
    public record Member(int index, long seed, double learningRate, double dropout, double finalTrainLoss,
                         double trainSeconds, SetMeasures measures) {
    }

    /**
     * ENS and WARM of members 1..m, and the mean of those members' own measures.
     *
     * @param warmMinusEnsOod paired difference of OOD accuracies, {diff, stderr}
     * @param warmMinusEnsValidation paired difference of validation accuracies, {diff, stderr}
     */
    public record ByM(int m, SetMeasures ens, SetMeasures warm, SetMeasures meanMember, double[] warmMinusEnsOod,
                      double[] warmMinusEnsValidation) {
    }

    /**
     * Mean gold reward of best-of-N picks (with standard errors over prompts) and win rates at one N.
     *
     * @param warmMinusBestSingle paired difference over prompts (same candidates for both proxies), {diff, se}
     * @param warmMinusEns        paired difference over prompts, {diff, se}
     */
    public record BestOfNPoint(int n, double random, double bestSingle, double bestSingleStderr, double ens,
                               double ensStderr, double warm, double warmStderr, double oracle,
                               double warmWinRateVsBestSingle, double ensWinRateVsBestSingle,
                               double warmWinRateVsEns, PickProfile singlePicks, PickProfile ensPicks,
                               PickProfile warmPicks, PickProfile oraclePicks, double[] warmMinusBestSingle,
                               double[] warmMinusEns) {
    }

    /**
     * What a proxy's best-of-N picks contain, averaged like their gold reward: salience-weighted coverage, invented
     * facts, words, share cut off mid-clause. Shows what a proxy trades the gold reward for at large N.
     */
    public record PickProfile(double coverage, double invented, double words, double truncated) {
    }

    /**
     * Weight interpolation (1 - lambda) A + lambda B between two members, against interpolating their predictions.
     *
     * @param memberA       1-based index of A (the pair furthest apart in weight space)
     * @param pairs         validation pairs measured (the first ones)
     * @param lambdas       0, 1/k, ..., 1
     * @param accuracy      validation accuracy (vs gold) of the interpolated weights
     * @param loss          validation Bradley-Terry loss (vs gold) of the interpolated weights
     * @param predictionAccuracy validation accuracy of (1 - lambda) r_A + lambda r_B
     * @param lossStderr  standard error over pairs of {@code loss}
     * @param predictionLossStderr standard error over pairs of {@code predictionLoss}
     * @param trainFlippedAgreement agreement of the interpolated weights with the training labels of the pairs
     *                    flipped at the highest noise level (memorisation where they are flipped; at 0% their
     *                    correct labels)
     * @param trainCleanAgreement agreement with the labels of the clean checked training pairs
     * @param oodAccuracy accuracy vs gold on the first {@code pairs} OOD pairs
     */
    public record Interpolation(int memberA, int memberB, int pairs, List<Double> lambdas, List<Double> accuracy,
                                List<Double> loss, List<Double> predictionAccuracy, List<Double> predictionLoss,
                                List<Double> lossStderr, List<Double> predictionLossStderr,
                                List<Double> trainFlippedAgreement, List<Double> trainCleanAgreement,
                                List<Double> oodAccuracy) {
    }

    /**
     * How different the members are.
     *
     * @param taskVectorNorms |theta_i - theta_init| per member
     * @param distances       |theta_i - theta_j|
     * @param cosines         cosine of the task vectors
     * @param warmTaskVectorNorm |theta_WARM - theta_init| for all members
     * @param meanValidationDisagreement mean over member pairs of the share of validation pairs they order differently
     */
    public record Diversity(double[] taskVectorNorms, double[][] distances, double[][] cosines,
                            double warmTaskVectorNorm, double meanValidationDisagreement) {
    }

    /**
     * Checks of the harness itself.
     *
     * @param warmOfOneSameWeights WARM of member 1 alone has member 1's weights (SHA-256)
     * @param warmOfOneMaxRewardDifference max |reward difference| between WARM(M=1) and member 1 over all scored pairs
     * @param identicalAverageMaxDifference largest |weight difference| between member 1 and the average of member 1
     *        with itself (0: averaging identical members is the identity; null if not checked)
     * @param ensOfOneEqualsMember ENS of member 1 alone gives member 1's rewards
     */
    /**
     * @param cachedVsFullMaxRewardDifference largest |reward| difference between scoring member 1 and WARM of M
     *        from the cached frozen bottom and through their whole network (null when no cache was used)
     */
    public record Sanity(boolean warmOfOneSameWeights, double warmOfOneMaxRewardDifference,
                         Double identicalAverageMaxDifference, boolean ensOfOneEqualsMember,
                         Double cachedVsFullMaxRewardDifference) {
    }

    /** Inference cost of ENS (M forward passes) against WARM (one). */
    public record Cost(int members, int sequences, double ensSeconds, double warmSeconds, double ensCpuSeconds,
                       double warmCpuSeconds, double ensSequencesPerSecond, double warmSequencesPerSecond,
                       double speedup, long parametersPerModel, double loadAverage) {
    }

    /**
     * One claim of the paper at one noise level, decided on its paired estimate.
     *
     * @param claim          what the paper says
     * @param level          the noise level(s) measured, e.g. "25% flipped"
     * @param paperDirection the sign the paper expects of {@code estimate}, e.g. "WARM - ENS > 0"
     * @param estimate       the measured effect (mean over training seeds of the mean over items)
     * @param se             its paired bootstrap standard error (items, and training seeds when there are several)
     * @param verdict        "holds" (more than 2 SE in the paper's direction), "contradicted" (more than 2 SE
     *                       against it) or "inconclusive"
     * @param minDetectableEffect the smallest true effect this size of experiment detects with 80% power (2.84 SE)
     * @param paperEffect    the effect the paper reports on the same scale (e.g. 0.294 for a 79.4% win rate against
     *                       a tie), or null where it gives a direction only
     * @param measured       the numbers behind the estimate, in words
     */
    public record Claim(String claim, String level, @JsonProperty("paper_direction") String paperDirection,
                        double estimate, double se, String verdict,
                        @JsonProperty("min_detectable_effect") double minDetectableEffect,
                        @JsonProperty("paper_effect") Double paperEffect, String measured) {

        /**
         * Whether this run could not have decided the claim at the size the paper reports: inconclusive, with a
         * detectable effect larger than the paper's. Null when the paper gives no size on this claim's scale.
         */
        @com.fasterxml.jackson.annotation.JsonIgnore
        public Boolean underpoweredForPaperEffect() {
            if (paperEffect == null) {
                return null;
            }
            return "inconclusive".equals(verdict) && minDetectableEffect > Math.abs(paperEffect);
        }

        /** One line for a terminal: verdict, claim, estimate and its standard error. */
        public String summaryLine() {
            return String.format(java.util.Locale.ROOT, "[%s] %s (%s): %+.4f ± %.4f, detectable %.4f; %s", verdict,
                    claim, level, estimate, se, minDetectableEffect, measured);
        }
    }
}
