package io.warmstream.trainer.plan;

import io.warmstream.events.TrainingJob;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.ContextualProcessor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The planning step of {@link TrainingJobPlanner}: counts label positions per average, keeps the capacity ledger up
 * to date from run signals, and cuts a job when a trigger is due (count, time, or a deferred one) and fewer jobs
 * are pending than the live workers may have. At capacity the trigger waits: with ALL the labels simply stay
 * pending (the next job covers every label anyway); with NEWEST_WINDOW the trigger closes its segment unplanned,
 * so the window keeps its size and the next job covers the newest segments.
 *
 * <p>Every check happens where the state changes (a label, a run event) and on the wall-clock punctuation, so a
 * job is planned as soon as an ending frees capacity.
 */
final class Planning extends ContextualProcessor<String, PlannerInput, String, TrainingJob> {

    private static final Logger LOG = LoggerFactory.getLogger(TrainingJobPlanner.class);

    private final PlannerSettings settings;
    private final CapacitySettings capacity;
    /** Averages at capacity whose deferral was logged; in memory only: after a restart it is logged once more. */
    private final Set<String> atCapacity = new HashSet<>();
    private KeyValueStore<String, PlannerState> store;

    Planning(PlannerSettings settings) {
        this.settings = settings;
        this.capacity = settings.capacity();
    }

    @Override
    public void init(ProcessorContext<String, TrainingJob> context) {
        super.init(context);
        store = context.getStateStore(TrainingJobPlanner.STORE);
        context.schedule(settings.checkInterval(), PunctuationType.WALL_CLOCK_TIME, this::tick);
    }

    @Override
    public void process(Record<String, PlannerInput> record) {
        String average = record.key();
        PlannerState state = store.get(average);
        if (state == null) {
            state = new PlannerState();
        }
        long now = context().currentSystemTimeMs();
        if (record.value() instanceof LabelPosition p) {
            if (!state.add(p.partition(), p.offset(), now)) {
                return;
            }
            // A label can only make the count trigger due; the clock's triggers are the punctuation's business.
            planIfDue(average, state, now, false);
        } else if (record.value() instanceof RunSignal s) {
            if (state.capacity().record(s, now)) {
                LOG.debug("job {} ended ({}): {} job(s) pending", s.jobId(), s.type(), state.capacity().pendingJobs());
            }
            // An ending may free capacity for a trigger that waited, whichever it was.
            planIfDue(average, state, now, true);
        }
        store.put(average, state);
    }

    /** Wall-clock check: expires silent jobs and workers, fires time triggers and deferred ones. */
    private void tick(long now) {
        List<String> averages = new ArrayList<>();
        try (KeyValueIterator<String, PlannerState> it = store.all()) {
            it.forEachRemaining(kv -> averages.add(kv.key));
        }
        for (String average : averages) {
            PlannerState state = store.get(average);
            CapacityLedger.Expired expired = state.capacity().expire(now, capacity.jobTimeout(), capacity.workerTtl());
            for (String job : expired.jobs()) {
                LOG.warn("job {} shows no sign of life for {}: it no longer counts as pending (its end was never seen)",
                        job, capacity.jobTimeout());
            }
            if (planIfDue(average, state, now, true) || expired.any()) {
                store.put(average, state);
            }
        }
    }

    /**
     * Plans a job if one is due and capacity allows; true if the state changed. {@code anyTrigger}: the time and
     * deferred triggers count too, not only the count trigger.
     */
    private boolean planIfDue(String average, PlannerState state, long now, boolean anyTrigger) {
        CapacityLedger ledger = state.capacity();
        int live = ledger.liveWorkers(now, capacity.workerTtl());
        int limit = capacity.limit(live);
        settings.events().capacity(average, ledger.pendingJobs(), live);
        String trigger = trigger(state, now, anyTrigger);
        if (trigger == null) {
            return false;
        }
        if (ledger.pendingJobs() >= limit) {
            return defer(average, state, trigger, live, limit);
        }
        if (atCapacity.remove(average)) {
            LOG.info("average '{}': below capacity again ({} job(s) pending, limit {}), planning now", average,
                    ledger.pendingJobs(), limit);
        }
        emit(state, now, trigger, average, live);
        return true;
    }

    /** "count", "time", "deferred" or null: why a job is due now. */
    private String trigger(PlannerState state, long now, boolean anyTrigger) {
        if (state.countDue(settings.labelsPerJob())) {
            return "count";
        }
        if (!anyTrigger) {
            return null;
        }
        if (state.timeDue(now, settings.interval(), settings.minLabels())) {
            return "time";
        }
        return state.owed() ? "deferred" : null;
    }

    private boolean defer(String average, PlannerState state, String trigger, int live, int limit) {
        if (atCapacity.add(average)) {
            LOG.info("average '{}' at trainer capacity: {} job(s) pending, limit {} ({} per worker x {} live "
                            + "worker(s), at least {}); {} trigger deferred, {} new label(s) wait for the next job",
                    average, state.capacity().pendingJobs(), limit, capacity.maxPendingPerWorker(), live,
                    capacity.minWorkers(), trigger, state.pending());
            settings.events().deferred(average, trigger);
        } else {
            LOG.debug("average '{}' still at capacity; {} trigger deferred", average, trigger);
        }
        if (settings.dataSelection() != DataSelection.NEWEST_WINDOW || "deferred".equals(trigger)) {
            return false;
        }
        PlannerState.Selection slid = state.deferTrigger(settings.keptSegments());
        if (slid.count() > 0) {
            LOG.warn("average '{}': {} label(s) in {} slid out of the newest {} trigger(s) before a job took them; "
                            + "the next job records them as left out", average, slid.count(), slid.spans(),
                    settings.windowTriggers());
            settings.events().leftOut(average, slid.count());
        }
        return true;
    }

    private void emit(PlannerState state, long now, String trigger, String average, int live) {
        TrainingJob job = JobFactory.next(state, settings, now, "deferred".equals(trigger));
        state.capacity().planned(job.getJobId(), now);
        LOG.info("planned job {} ({} trigger): {} labels in {} range(s), lr {}, dropout {}, seed {}; {} job(s) "
                        + "pending, {} live worker(s){}", job.getJobId(), trigger, job.getLabelCount(),
                job.getRanges().size(), job.getHyperparameters().getLearningRate(),
                job.getHyperparameters().getDropout(), job.getSeed(), state.capacity().pendingJobs(), live,
                job.getLeftOutCount() > 0 ? "; records " + job.getLeftOutCount() + " label(s) left out" : "");
        context().forward(new Record<>(job.getJobId(), job, now));
        settings.events().planned(job, trigger);
        settings.events().capacity(average, state.capacity().pendingJobs(), live);
    }
}
