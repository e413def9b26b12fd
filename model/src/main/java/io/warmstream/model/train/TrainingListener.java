package io.warmstream.model.train;

/** Receives progress after every optimizer step, on the training thread: keep it cheap. */
@FunctionalInterface
public interface TrainingListener {

    TrainingListener NONE = progress -> { };

    void onStep(TrainingProgress progress);
}
