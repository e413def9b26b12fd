package io.warmstream.model.train;

/**
 * @param step 1-based optimizer step just finished
 * @param totalSteps steps of the run
 * @param loss this step's training loss (Bradley-Terry plus centering term)
 * @param pairsPerSecond training pairs per wall-clock second since the run started
 * @param learningRate the learning rate used for this step
 * @param gradNorm global gradient norm before clipping (NaN if the step was skipped as non-finite)
 * @param skipped true if the step's gradients were not finite and no update was made
 */
public record TrainingProgress(int step, int totalSteps, double loss, double pairsPerSecond, double learningRate,
                               double gradNorm, boolean skipped) {}
