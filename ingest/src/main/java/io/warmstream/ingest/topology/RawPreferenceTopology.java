package io.warmstream.ingest.topology;

import io.warmstream.events.PreferenceLabel;
import io.warmstream.platform.PlainAvroSerde;
import io.warmstream.ingest.rules.LabelRules;
import io.warmstream.schemas.Topics;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.kstream.Branched;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.KStream;
import org.apache.kafka.streams.kstream.Named;
import org.apache.kafka.streams.kstream.Produced;
import org.apache.kafka.streams.kstream.Repartitioned;
import org.apache.kafka.streams.state.Stores;

import java.time.Duration;
import java.util.Map;
import java.util.Objects;

/**
 * Validates the raw label topic: {@code warm.preferences.raw} -> {@code warm.preferences} (valid, de-duplicated)
 * and {@code warm.preferences.dlq} (everything else, original bytes plus
 * {@link io.warmstream.schemas.DeadLetterHeaders}). Nothing is dropped silently: a record is either forwarded,
 * dead-lettered, or counted as a duplicate.
 * <ul>
 *   <li>The source reads bytes and decoding happens inside a processor, so undecodable records become dead letters
 *       instead of stopping the application.</li>
 *   <li>Deduplication needs every copy of an id in one task. Records keyed by their label id (as the HTTP service
 *       and well-behaved producers write them) already are; the others are re-keyed through a repartition topic,
 *       which carries registry-free Avro because it never leaves this application.</li>
 *   <li>Duplicates (same id within {@link Settings#dedupWindow()} by record timestamp) are dropped and counted, not
 *       dead-lettered: at-least-once producers and client retries make them normal.</li>
 * </ul>
 */
public final class RawPreferenceTopology {

    /** Name of the window store remembering recently seen ids. */
    public static final String DEDUP_STORE = "label-ids-seen";
    /** Name of the repartition step for records not keyed by their id. */
    public static final String REKEY = "labels-by-id";

    /**
     * What the topology needs.
     *
     * @param rawTopic        topic read as bytes
     * @param validTopic      topic valid labels are written to
     * @param deadLetterTopic topic refused records are written to
     * @param dedupWindow     how far apart two records with the same id may be and still count as duplicates
     * @param rules           the shared label rules
     * @param labelSerde      decodes raw values and encodes validated ones (registry-backed in production)
     * @param events          told about every outcome, for metrics
     * @param deadLetterMaxBytes a dead letter (key, value and headers) is cut to at most this many bytes, so one
     *                        that the broker would refuse never stops the stream ({@link DeadLetterFit})
     */
    public record Settings(String rawTopic, String validTopic, String deadLetterTopic, Duration dedupWindow,
                           LabelRules rules, Serde<PreferenceLabel> labelSerde, TopologyEvents events,
                           int deadLetterMaxBytes) {

        public static final Duration DEFAULT_DEDUP_WINDOW = Duration.ofHours(1);
        /** Below the broker's and the producer's 1 MiB defaults (message.max.bytes, max.request.size). */
        public static final int DEFAULT_DEAD_LETTER_MAX_BYTES = 1_000_000;

        public Settings {
            Objects.requireNonNull(rawTopic, "rawTopic");
            Objects.requireNonNull(validTopic, "validTopic");
            Objects.requireNonNull(deadLetterTopic, "deadLetterTopic");
            Objects.requireNonNull(rules, "rules");
            Objects.requireNonNull(labelSerde, "labelSerde");
            Objects.requireNonNull(events, "events");
            if (dedupWindow == null || dedupWindow.isNegative() || dedupWindow.isZero()) {
                throw new IllegalArgumentException("dedupWindow must be positive, got " + dedupWindow);
            }
            if (deadLetterMaxBytes < 16 * 1024) {
                throw new IllegalArgumentException("deadLetterMaxBytes must be at least 16384 (room for the headers), got "
                        + deadLetterMaxBytes);
            }
        }

        /** The catalogue's topics, a one-hour window, default rules, no event listener. */
        public static Settings defaults(Serde<PreferenceLabel> labelSerde) {
            return new Settings(Topics.PREFERENCES_RAW, Topics.PREFERENCES, Topics.PREFERENCES_DLQ, DEFAULT_DEDUP_WINDOW,
                    LabelRules.defaults(), labelSerde, TopologyEvents.none(), DEFAULT_DEAD_LETTER_MAX_BYTES);
        }

        public Settings withDedupWindow(Duration window) {
            return new Settings(rawTopic, validTopic, deadLetterTopic, window, rules, labelSerde, events,
                    deadLetterMaxBytes);
        }

        public Settings withRules(LabelRules newRules) {
            return new Settings(rawTopic, validTopic, deadLetterTopic, dedupWindow, newRules, labelSerde, events,
                    deadLetterMaxBytes);
        }

        public Settings withEvents(TopologyEvents newEvents) {
            return new Settings(rawTopic, validTopic, deadLetterTopic, dedupWindow, rules, labelSerde, newEvents,
                    deadLetterMaxBytes);
        }

        public Settings withDeadLetterMaxBytes(int maxBytes) {
            return new Settings(rawTopic, validTopic, deadLetterTopic, dedupWindow, rules, labelSerde, events, maxBytes);
        }
    }

    private RawPreferenceTopology() {
    }

    /** Adds the validation topology to {@code builder}. */
    public static void build(StreamsBuilder builder, Settings settings) {
        Duration window = settings.dedupWindow();
        builder.addStateStore(Stores.windowStoreBuilder(
                Stores.persistentWindowStore(DEDUP_STORE, window, window, false), Serdes.String(), Serdes.Long()));

        Map<String, KStream<String, Checked>> routes = builder
                .stream(settings.rawTopic(), Consumed.with(Serdes.ByteArray(), Serdes.ByteArray()).withName("raw-labels"))
                .process(() -> new ValidateProcessor(settings), Named.as("validate"))
                .split(Named.as("route-"))
                .branch((id, checked) -> checked instanceof Checked.Invalid, Branched.as("invalid"))
                .branch((id, checked) -> ((Checked.Valid) checked).keyIsId(), Branched.as("keyed"))
                .defaultBranch(Branched.as("rekey"));

        routes.get("route-invalid")
                .map((id, checked) -> KeyValue.pair(((Checked.Invalid) checked).key(), ((Checked.Invalid) checked).value()),
                        Named.as("original-bytes"))
                .to(settings.deadLetterTopic(), Produced.with(Serdes.ByteArray(), Serdes.ByteArray()).withName("dead-letters"));

        KStream<String, PreferenceLabel> keyed = routes.get("route-keyed")
                .mapValues(checked -> ((Checked.Valid) checked).label(), Named.as("keyed-label"));
        KStream<String, PreferenceLabel> rekeyed = routes.get("route-rekey")
                .mapValues(checked -> ((Checked.Valid) checked).label(), Named.as("rekeyed-label"))
                .repartition(Repartitioned.with(Serdes.String(), new PlainAvroSerde<>(PreferenceLabel.class)).withName(REKEY));

        keyed.merge(rekeyed, Named.as("labels"))
                .processValues(() -> new DedupProcessor(DEDUP_STORE, window.toMillis(), settings.events()),
                        Named.as("dedup"), DEDUP_STORE)
                .to(settings.validTopic(), Produced.with(Serdes.String(), settings.labelSerde()).withName("valid-labels"));
    }
}
