package io.warmstream.merger.audit;

import io.micronaut.context.annotation.Requires;
import io.warmstream.events.AdminAction;
import io.warmstream.merger.MergerConfig;
import io.warmstream.platform.KafkaSettings;
import io.warmstream.schemas.Topics;
import jakarta.annotation.PreDestroy;
import jakarta.inject.Singleton;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Writes each admin action to {@link Topics#AUDIT}, keyed {@code merger/<average>}, and waits for the broker's
 * acknowledgement (acks=all, idempotent). The action has already happened when its record is written (the record
 * holds the state after it), so a failed write cannot undo it: it is logged at ERROR with the whole record, and the
 * caller is told in the {@code X-Warm-Audit: failed} header.
 */
@Singleton
@Requires(property = MergerConfig.ENABLED, value = "true")
public final class AdminAudit implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(AdminAudit.class);
    private static final Duration WAIT = Duration.ofSeconds(15);

    private final String key;
    private final KafkaSettings kafka;
    private Producer<String, AdminAction> producer;

    public AdminAudit(MergerConfig config) {
        this.kafka = config.kafka();
        this.key = "merger/" + config.average();
    }

    /** True when the broker acknowledged the record. */
    public boolean record(AdminAction action) {
        try {
            producer().send(new ProducerRecord<>(Topics.AUDIT, key, action)).get(WAIT.toMillis(), TimeUnit.MILLISECONDS);
            LOG.info("audit: {} {} by {} -> {}", action.getAction(), action.getArguments(), action.getPrincipal(),
                    action.getOutcome());
            return true;
        } catch (Exception e) {
            if (e instanceof InterruptedException) Thread.currentThread().interrupt();
            LOG.error("audit record NOT written to {}: {} ({})", Topics.AUDIT, action, e.toString());
            return false;
        }
    }

    private synchronized Producer<String, AdminAction> producer() {
        if (producer == null) {
            producer = new KafkaProducer<>(kafka.producerConfig(key + "-audit", Map.of(
                    "delivery.timeout.ms", (int) WAIT.toMillis(), "request.timeout.ms", (int) WAIT.toMillis() - 1000)),
                    new StringSerializer(), kafka.serdes().valueSerializer(AdminAction.class));
        }
        return producer;
    }

    @PreDestroy
    @Override
    public synchronized void close() {
        if (producer != null) {
            producer.close(Duration.ofSeconds(5));
        }
    }
}
