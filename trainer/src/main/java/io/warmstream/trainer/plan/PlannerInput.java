package io.warmstream.trainer.plan;

/**
 * What the planning processor receives, through its two one-partition repartition topics: the position of a new
 * label, or a sign of a training run (which job, which worker, what happened). Both change the same per-average
 * {@link PlannerState}, so the label count and the capacity it is planned against commit together.
 */
public sealed interface PlannerInput permits LabelPosition, RunSignal {
}
