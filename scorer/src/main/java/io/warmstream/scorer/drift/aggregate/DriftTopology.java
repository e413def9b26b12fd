package io.warmstream.scorer.drift.aggregate;

import io.warmstream.events.DriftObservation;
import io.warmstream.events.DriftReport;
import io.warmstream.scorer.drift.ObservationKey;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.Grouped;
import org.apache.kafka.streams.kstream.Materialized;
import org.apache.kafka.streams.kstream.Named;
import org.apache.kafka.streams.kstream.Produced;
import org.apache.kafka.streams.kstream.Suppressed;
import org.apache.kafka.streams.kstream.TimeWindows;
import org.apache.kafka.streams.kstream.Windowed;
import org.apache.kafka.streams.processor.api.FixedKeyProcessor;
import org.apache.kafka.streams.processor.api.FixedKeyProcessorContext;
import org.apache.kafka.streams.processor.api.FixedKeyRecord;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.TimestampedKeyValueStore;
import org.apache.kafka.streams.state.ValueAndTimestamp;
import org.apache.kafka.streams.state.WindowStore;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * Drift reports from observations: {@code DriftObservation}s keyed by {@code average/vN} are aggregated per key in
 * tumbling event-time windows into {@link DriftWindow}s; when stream time passes a window's end plus the grace, the
 * window is reported once (suppress until close) as a {@code DriftReport} keyed by average, with its PSI taken
 * against the newest reference rewards seen for the same key (a table of the observations that carry them).
 * Windows holding only ticks or references are not reported.
 */
public final class DriftTopology {

    public static final String REFERENCE_STORE = "drift-references";
    public static final String WINDOW_STORE = "drift-windows";

    private DriftTopology() {
    }

    /** The key of a version's observations ({@link ObservationKey}). */
    public static String key(String average, long version) {
        return ObservationKey.of(average, version);
    }

    /**
     * @param window  tumbling window size
     * @param grace   how long after a window's end late observations still count; the report waits for it
     * @param sketchSize the KLL sketch's k per window, for quantiles and PSI (exact up to k rewards)
     */
    public record Settings(String observationsTopic, String reportsTopic, Serde<DriftObservation> observations,
                           Serde<DriftReport> reports, Duration window, Duration grace, int sketchSize) {
    }

    public static void build(StreamsBuilder builder, Settings s) {
        var observations = builder.stream(s.observationsTopic(),
                        Consumed.with(Serdes.String(), s.observations()).withName("drift-observations"))
                .filter((k, o) -> k != null && o != null, Named.as("drift-decoded"));

        observations.filter((k, o) -> !o.getReferenceRewards().isEmpty(), Named.as("drift-reference-rewards"))
                .toTable(Named.as("drift-reference-table"),
                        Materialized.<String, DriftObservation, KeyValueStore<Bytes, byte[]>>as(REFERENCE_STORE)
                                .withKeySerde(Serdes.String()).withValueSerde(s.observations()));

        observations.groupByKey(Grouped.with("drift-by-version", Serdes.String(), s.observations()))
                .windowedBy(TimeWindows.ofSizeAndGrace(s.window(), s.grace()))
                .aggregate(() -> new DriftWindow(s.sketchSize()), (key, o, w) -> w.add(o), Named.as("drift-aggregate"),
                        Materialized.<String, DriftWindow, WindowStore<Bytes, byte[]>>as(WINDOW_STORE)
                                .withKeySerde(Serdes.String()).withValueSerde(new DriftWindowSerde()))
                .suppress(Suppressed.untilWindowCloses(Suppressed.BufferConfig.unbounded()).withName("drift-window-closed"))
                .toStream(Named.as("drift-closed-windows"))
                .filter((k, w) -> w != null && !w.isEmpty(), Named.as("drift-non-empty"))
                .processValues(ReportMaker::new, Named.as("drift-report"), REFERENCE_STORE)
                .selectKey((k, report) -> report.getAverage(), Named.as("drift-by-average"))
                .to(s.reportsTopic(), Produced.with(Serdes.String(), s.reports()).withName("drift-reports"));
    }

    /** Turns a closed window into its report, looking up the version's reference rewards. */
    static final class ReportMaker implements FixedKeyProcessor<Windowed<String>, DriftWindow, DriftReport> {

        private FixedKeyProcessorContext<Windowed<String>, DriftReport> context;
        private TimestampedKeyValueStore<String, DriftObservation> references;

        @Override
        public void init(FixedKeyProcessorContext<Windowed<String>, DriftReport> context) {
            this.context = context;
            this.references = context.getStateStore(REFERENCE_STORE);
        }

        @Override
        public void process(FixedKeyRecord<Windowed<String>, DriftWindow> record) {
            ValueAndTimestamp<DriftObservation> ref = references.get(record.key().key());
            double[] reference = ref == null || ref.value() == null ? null : toArray(ref.value().getReferenceRewards());
            Instant start = Instant.ofEpochMilli(record.key().window().start());
            Instant end = Instant.ofEpochMilli(record.key().window().end());
            context.forward(record.withValue(record.value().report(start, end, reference)));
        }

        private static double[] toArray(List<Double> values) {
            return values.stream().mapToDouble(Double::doubleValue).toArray();
        }
    }
}
