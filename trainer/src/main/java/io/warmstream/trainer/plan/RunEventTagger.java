package io.warmstream.trainer.plan;

import io.warmstream.events.TrainingRunEvent;
import io.warmstream.schemas.RegistryOutage;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.streams.processor.api.ContextualProcessor;
import org.apache.kafka.streams.processor.api.Record;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Replaces a run event by its {@link RunSignal}, keyed by the average this planner plans for (like a label's
 * position), so it reaches the task that owns that average's state.
 *
 * <p>Decoded here rather than by the source's serde, to choose what a bad record does: a record that does not
 * decode is skipped with a warning (it is no label; at worst the capacity accounting misses one event, and a job
 * whose end is missed times out), but a registry that cannot be reached fails the stream thread, which is
 * replaced and reads the record again.
 */
final class RunEventTagger extends ContextualProcessor<String, byte[], String, RunSignal> {

    private static final Logger LOG = LoggerFactory.getLogger(RunEventTagger.class);

    private final String average;
    private final Deserializer<TrainingRunEvent> events;

    RunEventTagger(PlannerSettings settings) {
        this.average = settings.average();
        this.events = settings.capacity().runEventSerde().deserializer();
    }

    @Override
    public void process(Record<String, byte[]> record) {
        if (record.value() == null) {
            return;
        }
        String topic = context().recordMetadata().map(m -> m.topic()).orElse("");
        TrainingRunEvent e;
        try {
            e = events.deserialize(topic, record.headers(), record.value());
        } catch (SerializationException ex) {
            if (RegistryOutage.isOutage(ex)) {
                throw ex;
            }
            LOG.warn("skipping an undecodable run event (key {}) on {}: {}", record.key(), topic, ex.getMessage());
            return;
        }
        if (e == null) {
            return;
        }
        RunSignal signal = new RunSignal(e.getJobId(), e.getWorker(), e.getType(), e.getTime().toEpochMilli());
        context().forward(new Record<>(average, signal, record.timestamp()));
    }
}
