package io.warmstream.ingest.topology;

import io.warmstream.events.PreferenceLabel;
import io.warmstream.ingest.rules.Reason;
import io.warmstream.ingest.rules.Violation;
import io.warmstream.schemas.DeadLetterHeaders;
import io.warmstream.schemas.RegistryOutage;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.processor.api.RecordMetadata;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Optional;

/**
 * Decodes each raw record inside a try/catch (the source reads plain bytes, so poison bytes can never stop the
 * stream thread), applies the shared rules, and tags the record as valid (re-keyed by label id) or invalid
 * (original bytes plus dead-letter headers).
 */
final class ValidateProcessor implements Processor<byte[], byte[], String, Checked> {

    private static final Logger LOG = LoggerFactory.getLogger(ValidateProcessor.class);

    private static final String[] OUR_HEADERS = {DeadLetterHeaders.REASON, DeadLetterHeaders.FIELD,
            DeadLetterHeaders.SOURCE_TOPIC, DeadLetterHeaders.SOURCE_PARTITION, DeadLetterHeaders.SOURCE_OFFSET,
            DeadLetterHeaders.ERROR_CLASS, DeadLetterHeaders.TRUNCATED};

    private final RawPreferenceTopology.Settings settings;
    private final Deserializer<PreferenceLabel> decoder;
    private ProcessorContext<String, Checked> context;

    ValidateProcessor(RawPreferenceTopology.Settings settings) {
        this.settings = settings;
        this.decoder = settings.labelSerde().deserializer();
    }

    @Override
    public void init(ProcessorContext<String, Checked> context) {
        this.context = context;
    }

    @Override
    public void process(Record<byte[], byte[]> record) {
        PreferenceLabel label;
        try {
            label = record.value() == null ? null : decoder.deserialize(settings.rawTopic(), record.headers(), record.value());
        } catch (RuntimeException e) {
            if (RegistryOutage.isOutage(e)) {
                // The registry or network is down: the bytes may be fine, so fail the task and retry the record
                // (exactly-once: nothing was committed) rather than dead-letter a good label.
                pauseBeforeRetry();
                throw e;
            }
            deadLetter(record, Violation.of(Violation.WHOLE_ITEM, Reason.UNDECODABLE,
                    "not a PreferenceLabel in the registry's wire format: " + e.getMessage()), e);
            return;
        }
        if (label == null) {
            deadLetter(record, Violation.of(Violation.WHOLE_ITEM, Reason.UNDECODABLE, "the record has no value"), null);
            return;
        }
        Optional<Violation> violation = settings.rules().check(label);
        if (violation.isPresent()) {
            deadLetter(record, violation.get(), null);
            return;
        }
        byte[] key = record.key();
        boolean keyIsId = key != null && Arrays.equals(key, label.getId().getBytes(StandardCharsets.UTF_8));
        // Producer headers are not carried over: they may describe the raw bytes (e.g. schema ids), not the re-encoded value.
        context.forward(new Record<>(label.getId(), new Checked.Valid(label, keyIsId), record.timestamp(), new RecordHeaders()));
    }

    private void deadLetter(Record<byte[], byte[]> record, Violation violation, Throwable error) {
        Headers headers = new RecordHeaders(record.headers().toArray());
        for (String name : OUR_HEADERS) headers.remove(name); // a re-ingested dead letter gets fresh headers
        // "<code>: <detail>": readable as is, and the stable code is everything before the first ':'.
        put(headers, DeadLetterHeaders.REASON, violation.reason().code() + ": " + violation.detail());
        put(headers, DeadLetterHeaders.FIELD, violation.field());
        Optional<RecordMetadata> source = context.recordMetadata();
        source.ifPresent(md -> {
            put(headers, DeadLetterHeaders.SOURCE_TOPIC, md.topic());
            put(headers, DeadLetterHeaders.SOURCE_PARTITION, Integer.toString(md.partition()));
            put(headers, DeadLetterHeaders.SOURCE_OFFSET, Long.toString(md.offset()));
        });
        if (error != null) put(headers, DeadLetterHeaders.ERROR_CLASS, error.getClass().getName());
        if (LOG.isDebugEnabled()) {
            LOG.debug("dead-lettering {}: {} {} ({})", source.map(Object::toString).orElse("record"),
                    violation.field(), violation.reason().code(), violation.detail());
        }
        settings.events().deadLettered(violation.reason().code());
        Checked.Invalid letter = DeadLetterFit.fit(record.key(), record.value(), headers, settings.deadLetterMaxBytes());
        context.forward(new Record<>(null, letter, record.timestamp(), headers));
    }

    private static void put(Headers headers, String name, String value) {
        if (value != null) headers.add(name, value.getBytes(StandardCharsets.UTF_8));
    }

    /** A short back-off, so a replaced stream thread does not spin while the registry is down. */
    private static void pauseBeforeRetry() {
        try {
            Thread.sleep(1_000);
        } catch (InterruptedException ie) {
            Thread.currentThread().interrupt();
        }
    }
}
