package io.warmstream.trainer.plan;

import io.warmstream.events.Hyperparameters;
import io.warmstream.events.OffsetRange;
import io.warmstream.events.TrainingJob;

import java.time.Instant;
import java.util.List;

/** Turns the planner's state at a trigger into the next {@link TrainingJob}. */
final class JobFactory {

    private JobFactory() {
    }

    /**
     * Closes the pending labels into a job, or, for a {@code deferred} trigger, the segments closed while the planner
     * was at capacity; {@code state} is updated (job counted, pending cleared, left-out labels handed to this job's
     * record of them).
     */
    static TrainingJob next(PlannerState state, PlannerSettings s, long now, boolean deferred) {
        if (deferred) {
            state.cutDeferred();
        } else {
            state.cut(s.keptSegments());
        }
        PlannerState.Selection leftOut = state.takeLeftOut();
        long sequence = state.jobs();
        PlannerState.Selection selection = s.dataSelection() == DataSelection.ALL
                ? state.all() : state.window(s.windowTriggers());
        long seed = JobIdentity.seed(s.average(), sequence, s.baseSeed());
        Hyperparameters hp = s.grid().draw(seed);
        String topic = s.labelsTopic();
        String head = null;
        List<OffsetRange> headRanges = List.of();
        if (s.sharedHead()) {
            state.refitHeadIfDue(s.refitFactor());
            head = JobIdentity.headKey(s.average(), s.baseModel(), topic, state.headSpans(), hp.getMaxSequenceLength(),
                    s.validationFraction(), s.validationSalt(), state.generation());
            headRanges = ranges(topic, state.headSpans());
        }
        return TrainingJob.newBuilder()
                .setJobId(JobIdentity.jobId(s.average(), sequence, topic, selection.spans(), seed))
                .setAverage(s.average())
                .setCreatedAt(Instant.ofEpochMilli(now))
                .setRanges(ranges(topic, selection.spans()))
                .setLabelCount(selection.count())
                .setDataSelection(s.dataSelection().name())
                .setValidationFraction(s.validationFraction())
                .setValidationSalt(s.validationSalt())
                .setBaseModel(s.baseModel())
                .setInitCheckpoint(null)
                .setSharedHead(head)
                .setSharedHeadRanges(headRanges)
                .setSeed(seed)
                .setHyperparameters(hp)
                .setLeftOutRanges(ranges(topic, leftOut.spans()))
                .setLeftOutCount(leftOut.count())
                .setGeneration(s.sharedHead() ? state.generation() : 0)
                .build();
    }

    private static List<OffsetRange> ranges(String topic, List<OffsetSpan> spans) {
        return spans.stream().map(span -> span.toRange(topic)).toList();
    }
}
