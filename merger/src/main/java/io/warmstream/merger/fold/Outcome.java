package io.warmstream.merger.fold;

import io.warmstream.merger.state.RewardScaleFigures;
import io.warmstream.merger.state.AverageState;

import java.util.List;

/** What processing one checkpoint came to: a new version to publish, or a rejection to report. */
public sealed interface Outcome {

    /**
     * @param next       the state once the version is published (its directory is already in the store)
     * @param deleteUris directories to delete once the version is published (retention)
     * @param stages      where the checkpoint's time went ({@link StageTimes#NONE} for a rollback)
     * @param scale       the version's reward scale on the reference set; null when not measured
     */
    record Publish(AverageState next, List<String> deleteUris, StageTimes stages, RewardScaleFigures scale)
            implements Outcome {

        public Publish(AverageState next, List<String> deleteUris) {
            this(next, deleteUris, StageTimes.NONE, null);
        }
    }

    record Reject(ReasonCode code, String detail) implements Outcome {
    }
}
