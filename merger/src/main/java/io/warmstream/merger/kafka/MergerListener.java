package io.warmstream.merger.kafka;

import io.warmstream.merger.fold.ReasonCode;
import io.warmstream.merger.fold.StageTimes;
import io.warmstream.merger.state.AverageState;

/** What the merger reports as it goes (metrics, logs). Called on the merger's thread. */
public interface MergerListener {

    MergerListener NONE = new MergerListener() {
    };

    /**
     * @param latencyMillis from the checkpoint record's timestamp to the commit of the version
     * @param stages        where the time went inside the merger
     */
    default void published(AverageState state, long latencyMillis, StageTimes stages) {
    }

    /** The state this merger holds now: after activation (recovered) and after a rollback. */
    default void current(AverageState state) {
    }

    default void rejected(ReasonCode code) {
    }

    default void fault(String message) {
    }

    /** Once, at start: the outages the merger will record (metrics export them). */
    default void watch(io.warmstream.platform.DependencyOutages outages) {
    }
}
