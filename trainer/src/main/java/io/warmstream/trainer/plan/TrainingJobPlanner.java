package io.warmstream.trainer.plan;

import io.warmstream.events.TrainingJob;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.KStream;
import org.apache.kafka.streams.kstream.Named;
import org.apache.kafka.streams.kstream.Produced;
import org.apache.kafka.streams.kstream.Repartitioned;
import org.apache.kafka.streams.processor.api.ContextualProcessor;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.processor.api.RecordMetadata;
import org.apache.kafka.streams.state.Stores;

/**
 * The accumulator: follows the validated label topic and emits one {@link TrainingJob} each time enough new labels
 * have arrived (count trigger), or when the oldest unplanned label has waited long enough and a minimum count is
 * there (wall-clock time trigger), as long as the trainers keep up: it also follows the run events and plans no
 * more while {@link CapacitySettings#limit} of its jobs are pending (see {@link Planning}).
 *
 * <p>Topology: labels (any number of partitions) -> each record becomes its {@link LabelPosition} (partition,
 * offset from the record's metadata; the label itself is not decoded) keyed by the average name -> a one-partition
 * repartition topic; run events -> {@link RunSignal}s keyed by the average -> another one-partition repartition
 * topic; both -> the planning processor with its changelogged {@link PlannerState} store, so all counting and
 * capacity accounting for an average happens in one task -> the jobs topic, keyed by job id.
 *
 * <p>Run it with {@code exactly_once_v2}: a label's position or a run event, the state change it causes and the job
 * it triggers are committed together, so a restart neither loses nor repeats a trigger, and a job emitted again
 * after a crash is identical (ids, seeds and draws are functions of content, see {@link JobIdentity}).
 */
public final class TrainingJobPlanner {

    /** The state store: planner state per average. */
    public static final String STORE = "planner-state";
    /** Name of the repartition step (topic {@code <application.id>-label-positions-repartition}). */
    public static final String POSITIONS = "label-positions";
    /** Name of the run events' repartition step (topic {@code <application.id>-run-signals-repartition}). */
    public static final String RUN_SIGNALS = "run-signals";

    private TrainingJobPlanner() {
    }

    public static void build(StreamsBuilder builder, PlannerSettings settings) {
        builder.addStateStore(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(STORE), Serdes.String(),
                new PlannerStateSerde()));
        KStream<String, PlannerInput> positions = builder.stream(settings.labelsTopic(),
                        Consumed.with(Serdes.ByteArray(), Serdes.ByteArray()).withName("labels"))
                .process(() -> new PositionTagger(settings.average()), Named.as("label-position"))
                .repartition(Repartitioned.<String, LabelPosition>as(POSITIONS)
                        .withKeySerde(Serdes.String()).withValueSerde(LabelPosition.serde()).withNumberOfPartitions(1))
                .mapValues(p -> (PlannerInput) p, Named.as("positions-as-input"));
        // One partition too: whatever the run topic's partitions, every signal must reach the one planning task.
        KStream<String, PlannerInput> runs = builder.stream(settings.capacity().runsTopic(),
                        Consumed.with(Serdes.String(), Serdes.ByteArray()).withName("run-events"))
                .process(() -> new RunEventTagger(settings), Named.as("run-signal"))
                .repartition(Repartitioned.<String, RunSignal>as(RUN_SIGNALS)
                        .withKeySerde(Serdes.String()).withValueSerde(RunSignal.serde()).withNumberOfPartitions(1))
                .mapValues(s -> (PlannerInput) s, Named.as("signals-as-input"));
        positions.merge(runs, Named.as("planner-input"))
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
}
