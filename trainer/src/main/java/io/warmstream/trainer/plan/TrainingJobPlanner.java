package io.warmstream.trainer.plan;

import io.warmstream.events.TrainingJob;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.Named;
import org.apache.kafka.streams.kstream.Produced;
import org.apache.kafka.streams.kstream.Repartitioned;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.ContextualProcessor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.processor.api.RecordMetadata;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.Stores;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.List;

/**
 * The accumulator: follows the validated label topic and emits one {@link TrainingJob} each time enough new labels
 * have arrived (count trigger), or when the oldest unplanned label has waited long enough and a minimum count is
 * there (wall-clock time trigger).
 *
 * <p>Topology: labels (any number of partitions) -> each record becomes its {@link LabelPosition} (partition,
 * offset from the record's metadata; the label itself is not decoded) keyed by the average name -> a one-partition
 * repartition topic, so all counting for an average happens in one task -> the planning processor with its
 * changelogged {@link PlannerState} store -> the jobs topic, keyed by job id.
 *
 * <p>Run it with {@code exactly_once_v2}: a label's position, the state change it causes and the job it triggers
 * are committed together, so a restart neither loses nor repeats a trigger, and a job emitted again after a crash
 * is identical (ids, seeds and draws are functions of content, see {@link JobIdentity}).
 */
public final class TrainingJobPlanner {

    /** The state store: planner state per average. */
    public static final String STORE = "planner-state";
    /** Name of the repartition step (topic {@code <application.id>-label-positions-repartition}). */
    public static final String POSITIONS = "label-positions";

    private TrainingJobPlanner() {
    }

    public static void build(StreamsBuilder builder, PlannerSettings settings) {
        builder.addStateStore(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(STORE), Serdes.String(),
                new PlannerStateSerde()));
        builder.stream(settings.labelsTopic(), Consumed.with(Serdes.ByteArray(), Serdes.ByteArray()).withName("labels"))
                .process(() -> new PositionTagger(settings.average()), Named.as("label-position"))
                .repartition(Repartitioned.<String, LabelPosition>as(POSITIONS)
                        .withKeySerde(Serdes.String()).withValueSerde(LabelPosition.serde()).withNumberOfPartitions(1))
                .process(() -> new Planning(settings), Named.as("plan-jobs"), STORE)
                .to(settings.jobsTopic(), Produced.with(Serdes.String(), settings.jobSerde()).withName("training-jobs"));
    }

    /** Replaces a label by its position, keyed by the average it counts towards. */
    static final class PositionTagger extends ContextualProcessor<byte[], byte[], String, LabelPosition> {
        private final String average;

        PositionTagger(String average) {
            this.average = average;
        }

        @Override
        public void process(Record<byte[], byte[]> record) {
            if (record.value() == null) {
                return; // a tombstone is no label
            }
            RecordMetadata m = context().recordMetadata().orElseThrow(
                    () -> new IllegalStateException("label records always come from a topic"));
            context().forward(new Record<>(average, new LabelPosition(m.partition(), m.offset()), record.timestamp()));
        }
    }

    /** Counts positions per average and cuts jobs on the count and time triggers. */
    static final class Planning extends ContextualProcessor<String, LabelPosition, String, TrainingJob> {
        private static final Logger LOG = LoggerFactory.getLogger(TrainingJobPlanner.class);

        private final PlannerSettings settings;
        private KeyValueStore<String, PlannerState> store;

        Planning(PlannerSettings settings) {
            this.settings = settings;
        }

        @Override
        public void init(ProcessorContext<String, TrainingJob> context) {
            super.init(context);
            store = context.getStateStore(STORE);
            context.schedule(settings.checkInterval(), PunctuationType.WALL_CLOCK_TIME, this::checkTime);
        }

        @Override
        public void process(Record<String, LabelPosition> record) {
            String average = record.key();
            PlannerState state = store.get(average);
            if (state == null) {
                state = new PlannerState();
            }
            long now = context().currentSystemTimeMs();
            if (!state.add(record.value().partition(), record.value().offset(), now)) {
                return;
            }
            if (state.countDue(settings.labelsPerJob())) {
                emit(state, now, "count");
            }
            store.put(average, state);
        }

        private void checkTime(long now) {
            List<String> due = new ArrayList<>();
            try (KeyValueIterator<String, PlannerState> it = store.all()) {
                it.forEachRemaining(kv -> {
                    if (kv.value.timeDue(now, settings.interval(), settings.minLabels())) {
                        due.add(kv.key);
                    }
                });
            }
            for (String average : due) {
                PlannerState state = store.get(average);
                emit(state, now, "time");
                store.put(average, state);
            }
        }

        private void emit(PlannerState state, long now, String trigger) {
            TrainingJob job = JobFactory.next(state, settings, now);
            LOG.info("planned job {} ({} trigger): {} labels in {}, lr {}, dropout {}, seed {}", job.getJobId(),
                    trigger, job.getLabelCount(), job.getRanges().size() + " range(s)",
                    job.getHyperparameters().getLearningRate(), job.getHyperparameters().getDropout(), job.getSeed());
            context().forward(new Record<>(job.getJobId(), job, now));
            settings.events().planned(job, trigger);
        }
    }
}
