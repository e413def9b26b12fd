package io.warmstream.eval.report;

/**
 * What one reward model (or ENS) scores at one noise level; NaN where a subset is empty.
 *
 * @param memorisation      on the training pairs flipped at this level: agreement with the (wrong) label
 * @param flippedPairsWrong on the pairs flipped at the highest level: preference for the gold-worse response
 *                          (equals memorisation there; at lower levels, where these pairs keep correct labels, it
 *                          is the control: how often a model prefers the worse response without being taught to)
 * @param cleanTrain        accuracy on the checked training pairs not flipped at this level, vs their labels
 * @param validation        in-distribution held-out accuracy vs the gold reward
 * @param validationLabels  in-distribution held-out accuracy vs the labeller's (noisy) labels
 * @param validationLoss    in-distribution Bradley-Terry loss, pairs oriented by gold
 * @param ood               out-of-distribution accuracy vs the gold reward
 * @param oodLabels         out-of-distribution accuracy vs the labeller's labels
 * @param oodLoss           out-of-distribution Bradley-Terry loss, pairs oriented by gold
 */
public record SetMeasures(double memorisation, double flippedPairsWrong, double cleanTrain, double validation,
                          double validationLabels, double validationLoss, double ood, double oodLabels,
                          double oodLoss) {
}
