package io.warmstream.model.merge;

/**
 * One way of folding a new model into an average, in mergekit's shape: a {@link MergePlan} that names the inputs
 * (which models, in kernel order) and every member's weight in the merge record, plus the per-tensor
 * {@link TensorKernel} that {@link StreamingMerge} runs over those inputs. {@link AverageFolder} does the rest
 * (compatibility checks, hashing, writing), the same for every method.
 *
 * <p>Each method owns the checks that are its alone: what it needs in its settings (the init model, a member
 * locator) and from each member (an accuracy, training labels). Pick one with {@link MergeStrategy#method()}.
 */
public interface MergeMethod {

    /** Refuses settings this method cannot fold with, naming what is missing. */
    default void requireSettings(MergeSettings settings) {
    }

    /** Whether folds need the shared initialisation ({@link MergeSettings#initModel()}). */
    default boolean needsInitModel() {
        return false;
    }

    /**
     * Refuses a member this method cannot weigh, with {@link IncompatibleModelException.Kind#UNWEIGHABLE}; the
     * methods that ignore weights accept every member.
     */
    default void requireWeighable(MemberFigures member) {
    }

    /** What the member weighs in the fold ({@link AverageFolder#fold}'s weight); 1 for methods that ignore it. */
    default double weightOf(MemberFigures member) {
        return 1.0;
    }

    /** The inputs, the kernel and the merge record of folding {@code request}'s new model in. */
    MergePlan plan(FoldRequest request);
}
