package io.warmstream.trainer.work;

import io.warmstream.events.TrainingRunEvent;
import io.warmstream.platform.KafkaSettings;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.serialization.Serializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * STARTED and PROGRESS events, sent outside any transaction from the training thread: they inform, nothing depends
 * on them, so one that cannot be sent is logged and dropped.
 */
final class RunEventSender implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(RunEventSender.class);

    private final WorkerSettings settings;
    private final Producer<String, byte[]> producer;
    private final Serializer<TrainingRunEvent> values;

    RunEventSender(WorkerSettings settings, KafkaSettings kafka) {
        this.settings = settings;
        this.producer = new KafkaProducer<>(kafka.producerConfig("warm-trainer-events-" + settings.workerId(),
                settings.producerOverrides()));
        this.values = kafka.serdes().valueSerializer(TrainingRunEvent.class);
    }

    void send(TrainingRunEvent e) {
        try {
            producer.send(new ProducerRecord<>(settings.runsTopic(), e.getJobId(),
                    values.serialize(settings.runsTopic(), e)), (md, error) -> {
                        if (error != null) {
                            LOG.warn("{} event of {} not published: {}", e.getType(), e.getJobId(), error.toString());
                        }
                    });
        } catch (KafkaException ex) {
            LOG.warn("{} event of {} not published: {}", e.getType(), e.getJobId(), ex.toString());
        }
    }

    @Override
    public void close() {
        producer.close(settings.closeTimeout());
    }
}
